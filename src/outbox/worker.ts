// The outbox worker: claims due Delivery rows, sends them through their adapter within the rate limits,
// records each sent one in the partner's history, and retries or fails the rest with a reason.
//
// Pacing holds across instances: one instance at a time sends a platform's rows (an OutboxLane lease),
// since the platforms' limits are per app.
//
// Exactly once, in practice:
// - Planning inserts rows under a unique dedupe key, so planning twice plans nothing new.
// - A claim is a conditional UPDATE (still PENDING, or SENDING with an expired lease): of two workers on
//   one database only one gets a row. A worker killed after claiming leaves a lease that expires; the row
//   is then claimed again and sent once. A worker never sends on a claim that is about to lapse, and every
//   update it makes names its claim, so a slow worker cannot overwrite the next owner's work.
// - A worker killed between the platform accepting a message and our bookkeeping (or a send that timed
//   out) must not cause a second one. Such a row is marked uncertain in the database. Every send carries
//   the delivery key: Lark drops a repeated request with the same key (uuid), and Slack keeps it as message
//   metadata, which is looked up before an uncertain row is sent again. WeChat can do neither, so there
//   that window (milliseconds per send in flight) can still repeat a message.
import { randomUUID } from "node:crypto";
import { AdapterError, type Adapter, type OutboundMessage, type Platform } from "../../adapters/contract.ts";
import type { Db } from "../db/client.ts";
import { isUniqueViolation } from "../db/errors.ts";
import type { InteractionLog } from "../history/log.ts";
import { historyText } from "../history/summary.ts";
import type { Clock } from "../lib/clock.ts";
import type { Logger } from "../lib/logger.ts";
import { messageMeta } from "./outbox.ts";
import { DeliveryMarks } from "./mark-sent.ts";
import { nextAllowed, type QuietHours } from "./quiet-hours.ts";
import { RateLimiter, type RateLimit } from "./rate-limit.ts";

/** A claimed row is another worker's for this long; a send takes seconds at most. */
export const LEASE_MS = 5 * 60_000;
/** Tries before a delivery is marked FAILED. */
export const MAX_ATTEMPTS = 6;
/** Retry waits: 30 s, 1 min, 2 min, ... up to an hour, or the platform's own hint when longer. */
export const backoffMs = (attempt: number) => Math.min(30_000 * 2 ** (attempt - 1), 3_600_000);

const CLAIM_BATCH = 200;
/** A platform held by an instance that stopped renewing is taken over after this. */
export const LANE_LEASE_MS = 60_000;
const LANE_RENEW_MS = 10_000;
/** A send that has not returned by then is abandoned (and its row marked uncertain): well inside the lease. */
export const SEND_TIMEOUT_MS = 60_000;
/** No send starts this close to the end of its claim: a send may take up to SEND_TIMEOUT_MS. */
const LEASE_MARGIN_MS = 90_000;
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
  /** How long a send may take before it is abandoned and its row marked uncertain (SEND_TIMEOUT_MS). */
  sendTimeoutMs?: number;
  random?: () => number;
}

export interface DrainStats {
  sent: number;
  retried: number;
  failed: number;
  deferred: number;
  /** Found already sent by a worker that died before booking them: booked, not sent again. */
  recovered: number;
}

const progress = (s: DrainStats) => s.sent + s.retried + s.failed + s.deferred + s.recovered;
const emptyStats = (): DrainStats => ({ sent: 0, retried: 0, failed: 0, deferred: 0, recovered: 0 });

type Claimed = Awaited<ReturnType<Db["delivery"]["findMany"]>>[number];

export class OutboxWorker {
  readonly #limiter: RateLimiter;
  readonly #sleep: (ms: number) => Promise<void>;
  readonly #instance: string;
  readonly #marks: DeliveryMarks;
  readonly #laneRenewed = new Map<Platform, number>();
  #timer: NodeJS.Timeout | null = null;
  /** Each platform's loop while it runs: a new drain starts idle platforms and joins busy ones. */
  readonly #loops = new Map<Platform, Promise<DrainStats>>();
  #stopping = false;
  /** Resolves when stop() is called: a pacing wait (up to minutes on WeChat or after a 429) ends at once. */
  #stopped: { promise: Promise<void>; resolve(): void } = signal();

  constructor(private readonly o: WorkerOptions) {
    this.#limiter = new RateLimiter(o.limits, o.random);
    this.#sleep = o.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    this.#instance = o.instanceId ?? randomUUID().slice(0, 8);
    this.#marks = new DeliveryMarks(o.db);
  }

  /**
   * Sends everything due now, then returns what was done. Each platform runs in its own loop: a slow WeChat
   * backlog never holds up a Slack alert planned while it runs, since the next drain (the 1 s tick, a kick)
   * starts Slack's loop again at once.
   */
  async drain(): Promise<DrainStats> {
    const runs = [...this.o.adapters.keys()].map((platform) => {
      let loop = this.#loops.get(platform);
      if (!loop) {
        loop = this.#drainPlatform(platform).finally(() => this.#loops.delete(platform));
        this.#loops.set(platform, loop);
      }
      return loop;
    });
    const all = await Promise.all(runs);
    await this.o.log.flush();
    return all.reduce((sum, s) => ({ sent: sum.sent + s.sent, retried: sum.retried + s.retried, failed: sum.failed + s.failed, deferred: sum.deferred + s.deferred, recovered: sum.recovered + s.recovered }), emptyStats());
  }

  /** Drains every `everyMs` until stopped (`npm start`). */
  start(everyMs = 1000): void {
    this.#stopping = false;
    const tick = () => {
      this.drain()
        .catch((err) => this.o.logger.error({ err }, "outbox run failed"))
        .finally(() => {
          if (this.#timer) this.#timer = setTimeout(tick, everyMs);
        });
    };
    this.#timer = setTimeout(tick, 0);
  }

  /** Stops promptly: sends in flight finish, what is claimed but unsent goes back, the platforms are handed over. */
  async stop(): Promise<void> {
    this.#stopping = true;
    this.#stopped.resolve();
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    await Promise.all([...this.#loops.values()].map((l) => l.catch(() => {})));
    // Hand the platforms over at once rather than after the lease.
    await this.o.db.outboxLane
      .deleteMany({ where: { owner: this.#instance } })
      .catch((err) => this.o.logger.warn({ err }, "could not hand the outbox lanes over; another instance takes them when their lease ends"));
    this.#stopping = false;
    this.#stopped = signal();
  }

  async #drainPlatform(platform: Platform): Promise<DrainStats> {
    const stats = emptyStats();
    while (!this.#stopping) {
      // One instance paces a limited platform at a time: its limits are per app, not per instance.
      if (this.#paced(platform) && !(await this.#holdLane(platform))) break;
      const batch = await this.#claim(platform);
      if (!batch.length) break;
      const before = progress(stats);
      await this.#runLane(batch, stats);
      // Everything claimed was handed back (the platform holding us off for minutes): next tick.
      if (progress(stats) === before) break;
    }
    return stats;
  }

  /** A platform with an app-wide limit; an unlimited one (the console) is sent by every instance at once. */
  #paced(platform: Platform): boolean {
    return Number.isFinite(this.o.limits[platform].perPlatform);
  }

  /**
   * Takes or renews this instance's hold on a platform's outbox (an OutboxLane row with a lease). False
   * while another live instance holds it; a holder that stops renewing loses it after LANE_LEASE_MS.
   */
  async #holdLane(platform: Platform): Promise<boolean> {
    const { db, clock } = this.o;
    const now = clock.now();
    const leaseUntil = new Date(now.getTime() + LANE_LEASE_MS);
    const { count } = await db.outboxLane.updateMany({
      where: { platform, OR: [{ owner: this.#instance }, { leaseUntil: { lt: now } }] },
      data: { owner: this.#instance, leaseUntil },
    });
    if (count) {
      this.#laneRenewed.set(platform, now.getTime());
      return true;
    }
    try {
      await db.outboxLane.create({ data: { platform, owner: this.#instance, leaseUntil } });
      this.#laneRenewed.set(platform, now.getTime());
      return true;
    } catch (err) {
      if (isUniqueViolation(err)) return false; // held by another instance
      throw err;
    }
  }

  /** Claims up to a batch of this platform's due rows; another worker's live claims are left alone. */
  async #claim(platform: Platform): Promise<Claimed[]> {
    const { db, clock } = this.o;
    const now = clock.now();
    const claimable = {
      platform,
      OR: [
        { status: "PENDING", notBefore: { lte: now } },
        { status: "SENDING", leaseUntil: { lt: now } },
      ],
    };
    // Another worker may take the rows we picked between our look and our claim: look again.
    for (let tries = 0; tries < 5; tries++) {
      const candidates = await db.delivery.findMany({ where: claimable, orderBy: [{ notBefore: "asc" }, { id: "asc" }], take: CLAIM_BATCH, select: { id: true, status: true, sendingSince: true } });
      if (!candidates.length) return [];
      // A lapsed claim whose send had begun: its worker died, perhaps after the platform took the message.
      // Recorded in the row, so whoever sends it next looks first. Rows it never started are simply sent.
      for (const c of candidates) {
        if (c.status === "SENDING" && c.sendingSince) {
          await db.delivery.updateMany({ where: { id: c.id, status: "SENDING", leaseUntil: { lt: now }, uncertainSince: null }, data: { uncertainSince: c.sendingSince } });
        }
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
    const queue = [...lane];
    const inFlight = new Set<Promise<void>>();
    try {
      await this.#pace(lane, queue, inFlight, stats);
    } finally {
      // Whatever happened (a stop, a lost lane, a database error), what was claimed and not sent goes back.
      await Promise.allSettled(inFlight);
      await this.#release(queue).catch((err) => this.o.logger.error({ err }, "could not hand back claimed deliveries; they are taken over when their claim lapses"));
    }
  }

  async #pace(lane: Claimed[], queue: Claimed[], inFlight: Set<Promise<void>>, stats: DrainStats): Promise<void> {
    const leaseEnd = Math.min(...lane.map((d) => d.leaseUntil?.getTime() ?? Infinity));
    while (queue.length && !this.#stopping) {
      const now = this.o.clock.now().getTime();
      let pick = 0;
      let soonest = Infinity;
      for (let i = 0; i < queue.length; i++) {
        const at = this.#limiter.readyAt(queue[i].platform as Platform, queue[i].externalChatId);
        if (at < soonest) [soonest, pick] = [at, i];
        if (at <= now) break;
      }
      // Never send on a claim about to lapse: hand back what is left (slow limits, a long wait).
      if (Math.max(soonest, now) > leaseEnd - LEASE_MARGIN_MS) break;
      if (soonest > now) {
        // Let what is in flight land first: the wait is needed anyway, and each send reaches the
        // platform inside its own slot.
        if (inFlight.size) {
          await Promise.all(inFlight);
          continue;
        }
        await Promise.race([this.#sleep(soonest - now), this.#stopped.promise]);
        continue;
      }
      // A long, slowly paced lane keeps its hold on the platform; losing it means another instance paces it now.
      const platform = lane[0].platform as Platform;
      if (this.#paced(platform) && now - (this.#laneRenewed.get(platform) ?? 0) > LANE_RENEW_MS && !(await this.#holdLane(platform))) break;
      const [d] = queue.splice(pick, 1);
      if (await this.#expired(d, stats)) continue;
      const quiet = d.timeZone && this.o.quietHours ? nextAllowed(this.o.clock.now(), d.timeZone, this.o.quietHours) : null;
      if (quiet) {
        await this.#update(d, { status: "PENDING", notBefore: quiet, leaseUntil: null, attempts: { decrement: 1 } });
        stats.deferred++;
        continue;
      }
      // On a paced platform the "sending" mark is written here, one at a time, so each send follows its slot
      // by the same short delay (a batched write would delay some more than others and bunch them up).
      const paced = this.#paced(platform);
      if (paced) await this.#marks.sending(d.id, d.claimedBy!, this.o.clock.now());
      this.#limiter.take(d.platform as Platform, d.externalChatId, now);
      const p = this.#send(d, stats, paced)
        .catch((err) => this.o.logger.error({ err, delivery: d.dedupeKey }, "delivery could not be handled; it is retried when its claim lapses"))
        .finally(() => inFlight.delete(p));
      inFlight.add(p);
      if (inFlight.size >= MAX_IN_FLIGHT) await Promise.race(inFlight);
    }
  }

  /** Updates a row only while it is still ours: a worker that outlived its claim changes nothing. */
  #update(d: Claimed, data: Parameters<Db["delivery"]["updateMany"]>[0]["data"]) {
    return this.o.db.delivery.updateMany({ where: { id: d.id, claimedBy: d.claimedBy, status: "SENDING" }, data });
  }

  async #release(rows: Claimed[]): Promise<void> {
    if (!rows.length) return;
    await this.o.db.delivery.updateMany({
      where: { id: { in: rows.map((r) => r.id) }, claimedBy: rows[0].claimedBy, status: "SENDING" },
      data: { status: "PENDING", leaseUntil: null, attempts: { decrement: 1 } },
    });
  }

  /** A greeting for a day that has passed is not sent late with "today" in it. */
  async #expired(d: Claimed, stats: DrainStats): Promise<boolean> {
    if (!d.expiresAt || this.o.clock.now() < d.expiresAt) return false;
    await this.#failed(d, new AdapterError("invalid", "expired: its day passed before it could be sent"), { retry: false });
    stats.failed++;
    return true;
  }

  async #send(d: Claimed, stats: DrainStats, marked = false): Promise<void> {
    const { log, clock, logger } = this.o;
    const message = JSON.parse(d.message) as OutboundMessage;
    const adapter = this.o.adapters.get(d.platform as Platform)!;
    const target = { chatId: d.externalChatId, threadId: d.threadId ?? undefined, idempotencyKey: d.dedupeKey };
    const startedAt = clock.now();
    let messageId: string;
    let recovered = false;
    try {
      if (d.uncertainSince && adapter.findSent) {
        // The platform may already have it: book it if so; if it cannot tell us (an error, its rate limit),
        // try again later, without holding up the platform's sends.
        // From a minute earlier: the platform's clock and ours need not agree to the second.
        const since = new Date(d.uncertainSince.getTime() - 60_000);
        const found = await withTimeout(adapter.findSent(target, d.dedupeKey, since), this.o.sendTimeoutMs ?? SEND_TIMEOUT_MS).catch((err) => {
          throw new AdapterError("transient", `could not check whether it was already sent: ${(err as Error).message}`);
        });
        if (found) {
          logger.warn({ delivery: d.dedupeKey, messageId: found }, "delivery was already sent by a worker that stopped before booking it; booked now, not resent");
          messageId = found;
          recovered = true;
        } else {
          await this.#update(d, { uncertainSince: null });
          d.uncertainSince = null;
        }
      }
      if (!recovered) {
        if (!marked) await this.#marks.sending(d.id, d.claimedBy!, startedAt);
        ({ messageId } = await withTimeout(adapter.send(target, message), this.o.sendTimeoutMs ?? SEND_TIMEOUT_MS));
      }
    } catch (err) {
      const timedOut = err instanceof SendTimeout;
      // No answer (a timeout, a dropped connection): the platform may have it, so the next try looks first.
      const maybeDelivered = timedOut || (err instanceof AdapterError && err.maybeDelivered);
      try {
        stats[await this.#failed(d, timedOut ? new AdapterError("transient", err.message) : err, { uncertainSince: maybeDelivered ? startedAt : undefined })]++;
      } catch (bookkeeping) {
        // Not even the failure could be written (the database is down): the claim lapses and it is tried again.
        logger.error({ err: bookkeeping, delivery: d.dedupeKey }, "could not record a failed delivery; it is retried when its claim lapses");
      }
      return;
    }
    // Sent: from here on a failure is ours, not the platform's, and must not send it again now.
    try {
      const sentAt = clock.now();
      await log.record({ ...historyRow(d, message), kind: d.kind, externalMessageId: messageId!, createdAt: sentAt, meta: { ...messageMeta(message), delivery: d.dedupeKey } });
      await this.#marks.sent(d.id, d.claimedBy!, messageId!, sentAt);
      stats[recovered ? "recovered" : "sent"]++;
    } catch (err) {
      logger.error({ err, delivery: d.dedupeKey, messageId: messageId! }, "delivery sent but not booked; it stays claimed until its lease ends");
    }
  }

  /** Retry later (transient, tries left) or fail with the reason, kept in the partner's history too. */
  async #failed(d: Claimed, err: unknown, opts: { retry?: boolean; uncertainSince?: Date } = {}): Promise<"retried" | "failed"> {
    const { log, clock, logger } = this.o;
    const e = err instanceof AdapterError ? err : new AdapterError("transient", (err as Error).message);
    const now = clock.now();
    if (e.code === "rate_limited" && e.retryAfterMs) this.#limiter.holdUntil(d.platform as Platform, d.externalChatId, now.getTime() + e.retryAfterMs);
    const reason = `${e.code}: ${e.message}`.slice(0, 500);
    const uncertain = opts.uncertainSince && !d.uncertainSince ? { uncertainSince: opts.uncertainSince } : {};
    if (opts.retry !== false && e.retryable && d.attempts < MAX_ATTEMPTS) {
      const wait = Math.max(backoffMs(d.attempts), e.retryAfterMs ?? 0);
      await this.#update(d, { status: "PENDING", notBefore: new Date(now.getTime() + wait), leaseUntil: null, sendingSince: null, lastError: reason, ...uncertain });
      logger.warn({ delivery: d.dedupeKey, attempt: d.attempts, code: e.code, retryInMs: wait }, "delivery will be retried");
      return "retried";
    }
    await this.#update(d, { status: "FAILED", leaseUntil: null, sendingSince: null, lastError: reason, ...uncertain });
    const message = JSON.parse(d.message) as OutboundMessage;
    // What the partner did not receive stays in their history, marked, with the reason.
    await log.record({ ...historyRow(d, message), kind: "send_failed", createdAt: now, meta: { ...messageMeta(message), delivery: d.dedupeKey, error: e.code, reason: e.message } });
    logger.error({ delivery: d.dedupeKey, attempts: d.attempts, code: e.code, reason: e.message }, "delivery failed");
    return "failed";
  }
}

function signal(): { promise: Promise<void>; resolve(): void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

function historyRow(d: Claimed, message: OutboundMessage) {
  return { platform: d.platform, direction: "OUT" as const, text: historyText(message), partnerId: d.partnerId, contactId: d.contactId, chatId: d.chatId };
}

class SendTimeout extends Error {}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new SendTimeout(`no answer from the platform within ${ms / 1000} s`)), ms);
    timer.unref();
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}
