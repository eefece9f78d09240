// An inbound event's life in the database: stored (and only then acknowledged to the platform), held by
// the instance handling it, handled. What a crash leaves half-done is found again by its row.
import type { InboundEvent } from "../../adapters/contract.ts";

/**
 * How long the instance that stored an event holds it before a redelivery or the recovery sweep may
 * handle it instead. Renewed while handling takes long, so it only bounds how soon a crashed
 * instance's events are answered: Slack retries after 1 and 5 minutes, Lark after 15 s and 5 minutes.
 */
export const INBOUND_LEASE_MS = 2 * 60_000;
export const LEASE_RENEW_MS = 40_000;
/** An event whose handling failed this many times is given up (logged), not tried for ever. */
export const MAX_HANDLING_ATTEMPTS = 3;
/** Older than this, an event nobody answered is not answered any more: the moment has passed. */
export const MAX_RECOVERY_AGE_MS = 24 * 3_600_000;
/** Events the recovery sweep takes per run. */
export const RECOVERY_BATCH = 100;

/** Removes NUL from every string (PostgreSQL text cannot hold it; no person types it). */
function stripNul<T>(value: T): T {
  if (typeof value === "string") return (value.includes("\u0000") ? value.replaceAll("\u0000", "") : value) as T;
  if (Array.isArray(value)) return value.map(stripNul) as T;
  if (value instanceof Date || value === null || typeof value !== "object") return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, stripNul(v)])) as T;
}

/**
 * What the database can store of an event, cleaned on its own so that it never sinks the batch it is
 * written with: NULs removed, and a time that is not a time (a Slack `ts` of "abc") replaced by the time
 * it arrived. Returns the event, its stored form, and what was fixed (for the log).
 */
export function cleanEvent(event: InboundEvent, now: Date): { event: InboundEvent; json: string; fixed: string[] } {
  const fixed: string[] = [];
  let out = event;
  if (!(out.at instanceof Date) || Number.isNaN(out.at.getTime())) {
    out = { ...out, at: now };
    fixed.push("at");
  }
  let json = JSON.stringify(out);
  if (json.includes("\\u0000")) {
    out = stripNul(out);
    json = JSON.stringify(out);
    fixed.push("nul");
  }
  return { event: out, json, fixed };
}

export function parseEvent(json: string): InboundEvent {
  const e = JSON.parse(json) as InboundEvent & { at: string };
  return { ...e, at: new Date(e.at) };
}
