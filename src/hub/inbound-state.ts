// An inbound event's life in the database: stored (and only then acknowledged to the platform), held by
// the instance handling it, handled. What a crash leaves half-done is found again by its row.
import type { InboundEvent } from "../../adapters/contract.ts";
import { storableText } from "../text/storable.ts";

/**
 * How long the instance that stored an event holds it before a redelivery or the recovery sweep may
 * handle it instead. Renewed while handling takes long, so it only bounds how soon a crashed
 * instance's events are answered: Slack retries after 1 and 5 minutes, Lark after 15 s and 5 minutes.
 */
export const INBOUND_LEASE_MS = 2 * 60_000;
export const LEASE_RENEW_MS = 40_000;
/**
 * Instances compare leases with their own clocks: a lease counts as run out only this long after its end,
 * so clocks up to a minute apart never hand one event to two instances (the hub warns at start on
 * PostgreSQL when its clock and the database's differ by more than half of it).
 */
export const CLOCK_SKEW_ALLOWANCE_MS = 60_000;
/** An event whose handling failed this many times is given up (logged), not tried for ever. */
export const MAX_HANDLING_ATTEMPTS = 3;
/** Older than this, an event nobody answered is not answered any more: the moment has passed. */
export const MAX_RECOVERY_AGE_MS = 24 * 3_600_000;
/** Events the recovery sweep takes per run. */
export const RECOVERY_BATCH = 100;

function cleanStrings<T>(value: T): T {
  if (typeof value === "string") return storableText(value) as T;
  if (Array.isArray(value)) return value.map(cleanStrings) as T;
  if (value instanceof Date || value === null || typeof value !== "object") return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, cleanStrings(v)])) as T;
}

const hasBadText = (value: unknown): boolean =>
  typeof value === "string"
    ? !value.isWellFormed() || value.includes("\u0000")
    : Array.isArray(value)
      ? value.some(hasBadText)
      : value !== null && typeof value === "object" && !(value instanceof Date) && Object.values(value).some(hasBadText);

/** Times a message can have: from 2000 to a day ahead of ours. Outside it (a ts of "253402300800") it is not one. */
const EARLIEST = Date.UTC(2000, 0, 1);
const AHEAD_MS = 86_400_000;


/**
 * What the database can store of an event, cleaned on its own so that it never sinks the batch it is
 * written with: NULs removed, broken characters replaced, and a time that is not a time (a Slack `ts` of
 * "abc", or the year 10000) replaced by the time it arrived. Returns the event, its stored form, and what
 * was fixed (for the log).
 */
export function cleanEvent(event: InboundEvent, now: Date): { event: InboundEvent; fixed: string[] } {
  const fixed: string[] = [];
  let out = event;
  const t = out.at instanceof Date ? out.at.getTime() : NaN;
  if (Number.isNaN(t) || t < EARLIEST || t > now.getTime() + AHEAD_MS) {
    out = { ...out, at: now };
    fixed.push("at");
  }
  if (hasBadText(out)) {
    out = cleanStrings(out);
    fixed.push("text");
  }
  return { event: out, fixed };
}

/** What the row keeps anyway: its platform, message id, time and (usually) text. */
export interface StoredRow {
  platform: string;
  externalMessageId: string | null;
  createdAt: Date;
  text: string;
}

/**
 * The event's stored form, without what its row holds already (the text too, unless the row keeps another
 * one, as for a vote or a message cut short): an event is written on every message, so it is kept small.
 */
export function serializeEvent(event: InboundEvent, rowText: string): string {
  const { platform: _p, messageId: _m, at: _a, ...rest } = event;
  if (rest.type === "message" && rest.text === rowText) {
    const { text: _t, ...withoutText } = rest;
    return JSON.stringify(withoutText);
  }
  return JSON.stringify(rest);
}

export function parseEvent(json: string, row: StoredRow): InboundEvent {
  const e = JSON.parse(json) as Partial<InboundEvent> & { text?: string };
  return { ...e, ...(e.type === "message" && e.text === undefined ? { text: row.text } : {}), platform: row.platform, messageId: row.externalMessageId ?? "", at: row.createdAt } as InboundEvent;
}
