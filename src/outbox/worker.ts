// The outbox worker: claims due Delivery rows, sends them through their adapter within the rate limits,
// records each sent one in the partner's history, and retries or fails the rest with a reason.
//
// Exactly once, in practice:
// - Planning inserts rows under a unique dedupe key, so planning twice plans nothing new.
// - A claim is a conditional UPDATE (still PENDING, or SENDING with an expired lease): of two workers on
//   one database only one gets a row. A worker killed after claiming leaves a lease that expires; the row
//   is then claimed again and sent once.
// - A worker killed between the platform accepting a message and our bookkeeping must not cause a second
//   one. The send carries the delivery key: Lark drops a repeated request with the same key (uuid), and
//   Slack keeps it as message metadata, which the next worker looks for before resending. WeChat can do
//   neither, so there that window (milliseconds per send in flight) can still repeat a message.
import { randomUUID } from "node:crypto";
import { AdapterError, type Adapter, type OutboundMessage, type Platform } from "../../adapters/contract.ts";
import type { Db } from "../db/client.ts";
import type { InteractionInput, InteractionLog } from "../history/log.ts";
import { historyText } from "../history/summary.ts";
import type { Clock } from "../lib/clock.ts";
import type { Logger } from "../lib/logger.ts";
import { messageMeta } from "./outbox.ts";
import { SentMarker } from "./mark-sent.ts";
import { nextAllowed, type QuietHours } from "./quiet-hours.ts";
import { RateLimiter, type RateLimit } from "./rate-limit.ts";

/** A claimed row is another worker's for this long; a send takes seconds at most. */
export const LEASE_MS = 5 * 60_000;
/** Tries before a delivery is marked FAILED. */
export const MAX_ATTEMPTS = 6;
/** Retry waits: 30 s, 1 min, 2 min, ... up to an hour, or the platform's own hint when longer. */
export const backoffMs = (attempt: number) => Math.min(30_000 * 2 ** (attempt - 1), 3_600_000);

const CLAIM_BATCH = 200;
/** Rows that could not be sent this long before the lease ends are handed back. */
const LEASE_MARGIN_MS = 30_000;
const MAX_IN_FLIGHT = 32;

export interface WorkerOptions {
  db: Db;
  adapters: ReadonlyMap<Platform, Adapter>;
  log: InteractionLog;
  clock: Clock;
  logger: Logger;
  limits: Record<Platform, RateLimit>;
  quietHours: QuietHours | null;
  /** Waits on the clock: real timers in production, a manual clock's advance in tests. */
  sleep?: (ms: number) => Promise<void>;
  /** Distinguishes instances in claimedBy. */
  instanceId?: string;
  random?: () => number;
}

export interface DrainStats {
  sent: number;
  retried: number;
  failed: number;
  deferred: number;
}

type Claimed = Awaited<ReturnType<Db["delivery"]["findMany"]>>[number];

export class OutboxWorker {
  readonly #limiter: RateLimiter;
  readonly #sleep: (ms: number) => Promise<void>;
  readonly #instance: string;
  readonly #marker: SentMarker;
  /** Rows reclaimed from a dead worker, with when its attempt began: look before resending. */
  readonly #uncertain = new Map<number, Date>();
  #timer: NodeJS.Timeout | null = null;
  #running: Promise<DrainStats> | null = null;

  constructor(private readonly o: WorkerOptions) {
    this.#limiter = new RateLimiter(o.limits, o.random);
    this.#sleep = o.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    this.#instance = o.instanceId ?? randomUUID().slice(0, 8);
    this.#marker = new SentMarker(o.db);
  }

  /** Sends everything due now, then returns. Concurrent calls share one run. */
  drain(): Promise<DrainStats> {
    this.#running ??= this.#drain().finally(() => (this.#running = null));
    return this.#running;
  }

  /** Drains every `everyMs` until stopped (`npm start`). */
  start(everyMs = 1000): void {
    const tick = () => {
      this.drain()
        .catch((err) => this.o.logger.error({ err }, "outbox run failed"))
        .finally(() => {
          if (this.#timer) this.#timer = setTimeout(tick, everyMs);
        });
    };
    this.#timer = setTimeout(tick, 0);
  }

  async stop(): Promise<void> {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    await this.#running?.catch(() => {});
  }

  async #drain(): Promise<DrainStats> {
    const stats: DrainStats = { sent: 0, retried: 0, failed: 0, deferred: 0 };
    for (;;) {
      const batch = await this.#claim();
      if (!batch.length) return stats;
      const lanes = new Map<string, Claimed[]>();
      for (const d of batch) lanes.set(d.platform, [...(lanes.get(d.platform) ?? []), d]);
      const before = stats.sent + stats.retried + stats.failed + stats.deferred;
      await Promise.all([...lanes.values()].map((lane) => this.#runLane(lane, stats)));
      await this.o.log.flush();
      // Everything claimed was handed back (a platform holding us off for minutes): try on the next tick.
      if (stats.sent + stats.retried + stats.failed + stats.deferred === before) return stats;
    }
  }

  /** Claims up to a batch of due rows for this worker; another worker's live claims are left alone. */
  async #claim(): Promise<Claimed[]> {
    const { db, clock } = this.o;
    const now = clock.now();
    // Only platforms this hub runs: a WeChat-only instance (one process per logged-in account) leaves
    // Slack's rows to the instance that has Slack.
    const claimable = {
      platform: { in: [...this.o.adapters.keys()] },
      OR: [
        { status: "PENDING", notBefore: { lte: now } },
        { status: "SENDING", leaseUntil: { lt: now } },
      ],
    };
    // Another worker may take the rows we picked between our look and our claim: look again.
    for (let tries = 0; tries < 5; tries++) {
      const candidates = await db.delivery.findMany({ where: claimable, orderBy: [{ notBefore: "asc" }, { id: "asc" }], take: CLAIM_BATCH, select: { id: true, status: true, leaseUntil: true } });
      if (!candidates.length) return [];
      // A lapsed claim: its worker died, perhaps after the platform took the message. Remember when.
      for (const c of candidates) {
        if (c.status === "SENDING" && c.leaseUntil) this.#uncertain.set(c.id, new Date(c.leaseUntil.getTime() - LEASE_MS - 60_000));
      }
      const token = `${this.#instance}:${randomUUID().slice(0, 8)}`;
      const { count } = await db.delivery.updateMany({
        where: { id: { in: candidates.map((c) => c.id) }, ...claimable },
        data: { status: "SENDING", claimedBy: token, leaseUntil: new Date(now.getTime() + LEASE_MS), attempts: { increment: 1 } },
      });
      if (count) return db.delivery.findMany({ where: { claimedBy: token, status: "SENDING" }, orderBy: [{ notBefore: "asc" }, { id: "asc" }] });
    }
    return [];
  }

  /** One platform's rows: always the next one whose chat may be sent to soonest, a few in flight. */
  async #runLane(lane: Claimed[], stats: DrainStats): Promise<void> {
    const leaseEnd = Math.min(...lane.map((d) => d.leaseUntil?.getTime() ?? Infinity));
    const inFlight = new Set<Promise<void>>();
    const queue = [...lane];
    while (queue.length) {
      const now = this.o.clock.now().getTime();
      let pick = 0;
      let soonest = Infinity;
      for (let i = 0; i < queue.length; i++) {
        const at = this.#limiter.readyAt(queue[i].platform as Platform, queue[i].externalChatId);
        if (at < soonest) [soonest, pick] = [at, i];
        if (at <= now) break;
      }
      if (soonest > now) {
        if (soonest > leaseEnd - LEASE_MARGIN_MS) {
          // Slow limits (WeChat): hand back what cannot go before the claim runs out.
          await this.#release(queue);
          break;
        }
        // Let what is in flight land first: the wait is needed anyway, and each send reaches the
        // platform inside its own slot.
        if (inFlight.size) {
          await Promise.all(inFlight);
          continue;
        }
        await this.#sleep(soonest - now);
        continue;
      }
      const [d] = queue.splice(pick, 1);
      const quiet = d.timeZone && this.o.quietHours ? nextAllowed(this.o.clock.now(), d.timeZone, this.o.quietHours) : null;
      if (quiet) {
        await this.o.db.delivery.update({ where: { id: d.id }, data: { status: "PENDING", notBefore: quiet, leaseUntil: null, attempts: { decrement: 1 } } });
        stats.deferred++;
        continue;
      }
      this.#limiter.take(d.platform as Platform, d.externalChatId, now);
      const p = this.#send(d, stats).finally(() => inFlight.delete(p));
      inFlight.add(p);
      if (inFlight.size >= MAX_IN_FLIGHT) await Promise.race(inFlight);
    }
    await Promise.all(inFlight);
  }

  async #release(rows: Claimed[]): Promise<void> {
    if (!rows.length) return;
    await this.o.db.delivery.updateMany({
      where: { id: { in: rows.map((r) => r.id) }, claimedBy: rows[0].claimedBy, status: "SENDING" },
      data: { status: "PENDING", leaseUntil: null, attempts: { decrement: 1 } },
    });
  }

  async #send(d: Claimed, stats: DrainStats): Promise<void> {
    const { log, clock, logger } = this.o;
    const message = JSON.parse(d.message) as OutboundMessage;
    const adapter = this.o.adapters.get(d.platform as Platform);
    const row = { platform: d.platform, direction: "OUT" as const, text: historyText(message), partnerId: d.partnerId, contactId: null, chatId: d.chatId };
    const meta = { ...messageMeta(message), delivery: d.dedupeKey };
    const target = { chatId: d.externalChatId, idempotencyKey: d.dedupeKey };
    const since = this.#uncertain.get(d.id);
    this.#uncertain.delete(d.id);
    let messageId: string;
    try {
      if (!adapter) throw new AdapterError("unsupported", `platform ${d.platform} is not running on this hub`);
      // Where the platform can tell, a message the dead worker got out is booked, not sent again.
      const already = since && adapter.findSent ? await adapter.findSent(target, d.dedupeKey, since) : null;
      if (already) logger.warn({ delivery: d.dedupeKey, messageId: already }, "delivery was sent by a worker that died before booking it; booked now, not resent");
      ({ messageId } = already ? { messageId: already } : await adapter.send(target, message));
    } catch (err) {
      await this.#failed(d, err, row, meta, stats);
      return;
    }
    // Sent: from here on a failure is ours, not the platform's, and must not send it again now.
    try {
      const sentAt = clock.now();
      await log.record({ ...row, kind: d.kind, externalMessageId: messageId, createdAt: sentAt, meta });
      await this.#marker.mark(d.id, messageId, sentAt);
      stats.sent++;
    } catch (err) {
      logger.error({ err, delivery: d.dedupeKey, messageId }, "delivery sent but not booked; it stays claimed until its lease ends");
    }
  }

  async #failed(d: Claimed, err: unknown, row: Omit<InteractionInput, "kind" | "createdAt">, meta: Record<string, unknown>, stats: DrainStats): Promise<void> {
    const { db, log, clock, logger } = this.o;
    const e = err instanceof AdapterError ? err : new AdapterError("transient", (err as Error).message);
    const now = clock.now();
    if (e.code === "rate_limited" && e.retryAfterMs) this.#limiter.holdUntil(d.platform as Platform, d.externalChatId, now.getTime() + e.retryAfterMs);
    const reason = `${e.code}: ${e.message}`.slice(0, 500);
    if (e.retryable && d.attempts < MAX_ATTEMPTS) {
      const wait = Math.max(backoffMs(d.attempts), e.retryAfterMs ?? 0);
      await db.delivery.update({ where: { id: d.id }, data: { status: "PENDING", notBefore: new Date(now.getTime() + wait), leaseUntil: null, lastError: reason } });
      logger.warn({ delivery: d.dedupeKey, attempt: d.attempts, code: e.code, retryInMs: wait }, "delivery will be retried");
      stats.retried++;
      return;
    }
    await db.delivery.update({ where: { id: d.id }, data: { status: "FAILED", leaseUntil: null, lastError: reason } });
    // What the partner did not receive stays in their history, marked, with the reason.
    await log.record({ ...row, kind: "send_failed", createdAt: now, meta: { ...meta, error: e.code, reason: e.message } });
    logger.error({ delivery: d.dedupeKey, attempts: d.attempts, code: e.code, reason: e.message }, "delivery failed");
    stats.failed++;
  }
}
