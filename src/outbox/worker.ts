// The outbox worker: claims due Delivery rows, sends them through their adapter within the rate limits,
// records each sent one in the partner's history, and retries or fails the rest with a reason. Everything
// the hub says goes through it: outreach planned for later, and replies and staff alerts in the priority
// lane (Delivery.priority), which wake it (wake()) and go before outreach, one limiter for both.
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
import { AdapterError, type Adapter, type OutboundMessage, type Platform, type SendTarget } from "../../adapters/contract.ts";
import type { Db } from "../db/client.ts";
import { isUniqueViolation } from "../db/errors.ts";
import type { InteractionLog } from "../history/log.ts";
import type { Clock } from "../lib/clock.ts";
import type { Logger } from "../lib/logger.ts";
import { historyText, messageMeta } from "../history/summary.ts";
import { DeliveryMarks } from "./mark-sent.ts";
import { PRIORITY, type Claim, type DeliveryInput } from "./enqueue.ts";
import { Outcomes, SendTimeout, signal, withTimeout, type Outcome } from "./outcomes.ts";
import { nextAllowed, type QuietHours } from "./quiet-hours.ts";
import { RateLimiter, type RateLimit } from "./rate-limit.ts";

/** A claimed row is another worker's for this long; a send takes seconds at most. */
export const LEASE_MS = 5 * 60_000;
/** Tries before a delivery is marked FAILED. */
export const MAX_ATTEMPTS = 6;
/** The first retry of a reply or staff alert (its reader is waiting); after it, the outreach waits. */
export const REPLY_RETRY_MS = 5_000;
/**
 * Retry waits: 30 s, 1 min, 2 min, ... up to an hour, so six tries span about a quarter of an hour and a
 * short platform outage loses nothing. The priority lane tries once more first, after REPLY_RETRY_MS. The
 * platform's own hint wins when longer.
 */
export const backoffMs = (attempt: number, priority: number = PRIORITY.outreach) =>
  priority > PRIORITY.outreach ? (attempt <= 1 ? REPLY_RETRY_MS : outreachBackoff(attempt - 1)) : outreachBackoff(attempt);
const outreachBackoff = (attempt: number) => Math.min(30_000 * 2 ** (attempt - 1), 3_600_000);
/** A running lane looks for priority rows it was not told of (planned by another instance, a retry now due) this often. */
export const PRIORITY_LOOK_MS = 1_000;
/** How long a lane waiting for its next slot waits for sends in flight to land, at most (one may hang). */
const IN_FLIGHT_WAIT_MS = 1_000;
/** A 429 holds its chat for the platform's Retry-After, and the whole platform this long at most. */
export const PLATFORM_HOLD_MAX_MS = 2_000;

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
  readonly #outcomes = new Outcomes();
  /** Everything every loop of this worker did, for drain()'s report of what happened while it ran. */
  readonly #totals = emptyStats();
  /** Platforms with priority rows enqueued since their loop last looked. */
  readonly #woken = new Set<Platform>();
  /** Platforms with priority rows planned unclaimed since their loop last looked: claimed from the database. */
  readonly #unclaimed = new Set<Platform>();
  /** Chats (platform\0chat) with a reply waiting for its retry: their next message fetches it first. */
  readonly #retrying = new Set<string>();
  /** Platforms whose next loop pass must look in the database (a drain or a tick asked for everything due). */
  readonly #mustLook = new Set<Platform>();
  /** When each platform's loop last looked in the database for rows. */
  readonly #lookedAt = new Map<Platform, number>();
  /** Rows this instance planned already claimed (adopt()), waiting to join their platform's lane. */
  readonly #inbox = new Map<Platform, Claimed[]>();
  /** Resolves when wake() is called: a pacing wait ends to let a reply in first. */
  #wakeUp = signal();
  #timer: NodeJS.Timeout | null = null;
  /** Stopped (the app closing): nothing wakes it or claims for it until start(). */
  #closed = false;
  /** Each platform's loop while it runs: a new drain starts idle platforms and joins busy ones. */
  readonly #loops = new Map<Platform, Promise<DrainStats>>();
  #stopping = false;
  /** Resolves when stop() is called: a pacing wait (up to minutes on WeChat or after a 429) ends at once. */
  #stopped = signal();

  constructor(private readonly o: WorkerOptions) {
    this.#limiter = new RateLimiter(o.limits, o.random);
    this.#sleep = o.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    this.#instance = o.instanceId ?? randomUUID().slice(0, 8);
    this.#marks = new DeliveryMarks(o.db);
  }

  /**
   * Sends everything due now, then returns what this drain did: a platform's loop already running (a reply
   * woke it) finishes first, then one more pass looks for everything due. Each platform runs in its own loop,
   * so a slow WeChat backlog never holds up a Slack alert.
   */
  async drain(): Promise<DrainStats> {
    // Stopped (the app closing): a kick meanwhile leaves what it planned for the next worker, and the lanes handed over.
    if (this.#closed) return emptyStats();
    const before = { ...this.#totals };
    await Promise.all(
      [...this.o.adapters.keys()].map(async (platform) => {
        await this.#loops.get(platform)?.catch(() => {});
        this.#mustLook.add(platform);
        return this.#loop(platform);
      }),
    );
    await this.o.log.flush();
    // What every loop did while this drain ran (one that was running when it began included).
    const t = this.#totals;
    return { sent: t.sent - before.sent, retried: t.retried - before.retried, failed: t.failed - before.failed, deferred: t.deferred - before.deferred, recovered: t.recovered - before.recovered };
  }

  /**
   * Something was put in the priority lane (a reply, a staff alert): the platform's loop takes it in at
   * once, before what it had claimed, or a loop starts for it. Nothing waits for the tick.
   */
  wake(platform: Platform, unclaimed = true): void {
    if (this.#stopping || this.#closed || !this.o.adapters.has(platform)) return;
    this.#woken.add(platform);
    if (unclaimed) this.#unclaimed.add(platform);
    const woke = this.#wakeUp;
    this.#wakeUp = signal();
    woke.resolve();
    this.#loop(platform).catch((err) => this.o.logger.error({ err, platform }, "outbox run failed"));
  }

  /** Stopped: what is planned now waits in the database for the next worker. */
  get closed(): boolean {
    return this.#closed;
  }

  /**
   * A claim for rows this instance is about to plan in the priority lane, so that it can send them without
   * claiming them back from the database (adopt()); null when another instance paces the platform now (the
   * rows are then planned unclaimed, and that instance sends them).
   */
  claimFor(platform: Platform): Claim | null {
    if (this.#stopping || this.#closed || !this.o.adapters.has(platform)) return null;
    const now = this.o.clock.now().getTime();
    // A paced platform: only while this instance holds its lane, with time to spare.
    if (this.#paced(platform) && now - (this.#laneRenewed.get(platform) ?? -Infinity) > LANE_LEASE_MS / 2) return null;
    return { by: `${this.#instance}:own:${randomUUID().slice(0, 8)}`, until: new Date(now + LEASE_MS) };
  }

  /** Rows planned under claimFor()'s claim: they join the platform's lane at once (a loop starts if none runs). */
  adopt(rows: { input: DeliveryInput; id: number }[], claim: Claim, createdAt: Date): void {
    const adopted: Claimed[] = [];
    for (const { input: r, id } of rows) {
      const row: Claimed = {
        id, dedupeKey: r.dedupeKey, kind: r.kind, occasion: r.occasion ?? null, campaignId: r.campaignId ?? null, platform: r.platform, externalChatId: r.externalChatId,
        threadId: r.threadId ?? null, chatId: r.chatId ?? null, partnerId: r.partnerId ?? null, contactId: r.contactId ?? null, timeZone: r.timeZone ?? null,
        message: JSON.stringify(r.message), notBefore: r.notBefore, status: "SENDING", attempts: 1, leaseUntil: claim.until, claimedBy: claim.by, lastError: null,
        externalMessageId: null, sentAt: null, expiresAt: r.expiresAt ?? null, uncertainSince: r.uncertainSince ?? null, sendingSince: r.ephemeralTo ? null : createdAt,
        priority: r.priority ?? PRIORITY.outreach, inReplyTo: r.inReplyTo ?? null, ephemeralTo: r.ephemeralTo ?? null, createdAt,
      };
      adopted.push(row);
    }
    // Stopped while they were being written: handed back at once for the next worker, not held for a lease.
    if (this.#closed || this.#stopping) {
      this.#release(adopted).catch((err) => this.o.logger.error({ err }, "could not hand back claimed deliveries; they are taken over when their claim lapses"));
      return;
    }
    for (const row of adopted) {
      const inbox = this.#inbox.get(row.platform as Platform) ?? [];
      inbox.push(row);
      this.#inbox.set(row.platform as Platform, inbox);
    }
    // On a paced platform another instance may have planned into the same chats unclaimed: the lane looks in
    // the database too, so their earlier rows are not overtaken. (The console, unpaced, needs no look.)
    for (const platform of new Set(adopted.map((r) => r.platform as Platform))) this.wake(platform, this.#paced(platform));
  }

  /**
   * What became of a delivery: sent, failed for good, or queued (a retry is planned; or this instance
   * did not send it within `timeoutMs`, another holding the platform). Ask before waking the worker.
   */
  outcome(dedupeKey: string, timeoutMs: number): Promise<Outcome> {
    return this.#outcomes.next(dedupeKey, timeoutMs);
  }

  /** The platform's running loop, or a new one. */
  #loop(platform: Platform): Promise<DrainStats> {
    let loop = this.#loops.get(platform);
    if (!loop) {
      loop = this.#drainPlatform(platform).finally(() => {
        this.#loops.delete(platform);
        // Woken after its last look for rows, as it ended: look again.
        if (this.#woken.has(platform) && !this.#stopping) this.#loop(platform).catch((err) => this.o.logger.error({ err, platform }, "outbox run failed"));
      });
      this.#loops.set(platform, loop);
    }
    return loop;
  }

  /**
   * Every `everyMs` until stopped (`npm start`), starts a loop for each platform not running one. A platform
   * busy with a long paced backlog never holds up the others' ticks.
   */
  start(everyMs = 1000): void {
    this.#stopping = false;
    this.#closed = false;
    const tick = () => {
      for (const platform of this.o.adapters.keys()) {
        this.#mustLook.add(platform);
        if (!this.#loops.has(platform)) this.#loop(platform).catch((err) => this.o.logger.error({ err, platform }, "outbox run failed"));
      }
      this.o.log.flush().catch((err) => this.o.logger.error({ err }, "outbox history flush failed"));
      if (this.#timer) this.#timer = setTimeout(tick, everyMs);
    };
    this.#timer = setTimeout(tick, 0);
  }

  /**
   * Stops promptly: sends in flight finish, what is claimed but unsent goes back, the platforms are handed
   * over. Final until start(): what is planned afterwards stays in the database for the next worker.
   */
  async stop(): Promise<void> {
    this.#closed = true;
    this.#stopping = true;
    this.#stopped.resolve();
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    await Promise.all([...this.#loops.values()].map((l) => l.catch(() => {})));
    // Planned and claimed here but not yet taken into a lane: handed back for whoever runs next.
    const waiting = [...this.#inbox.keys()].flatMap((p) => this.#adopted(p));
    await this.#release(waiting).catch((err) => this.o.logger.error({ err }, "could not hand back claimed deliveries; they are taken over when their claim lapses"));
    // Hand the platforms over at once rather than after the lease.
    await this.o.db.outboxLane
      .deleteMany({ where: { owner: this.#instance } })
      .catch((err) => this.o.logger.warn({ err }, "could not hand the outbox lanes over; another instance takes them when their lease ends"));
    this.#outcomes.settleAll("queued");
    this.#woken.clear();
    this.#unclaimed.clear();
    this.#stopping = false;
    this.#stopped = signal();
  }

  async #drainPlatform(platform: Platform): Promise<DrainStats> {
    // This loop's own counts (did its lane make progress?), each also added to the worker's totals.
    const totals = this.#totals;
    const stats = new Proxy(emptyStats(), {
      set(local, key: keyof DrainStats, value: number) {
        totals[key] += value - local[key];
        local[key] = value;
        return true;
      },
    });
    let found = false;
    while (!this.#stopping) {
      this.#woken.delete(platform);
      const unclaimed = this.#unclaimed.delete(platform);
      // One instance paces a limited platform at a time: its limits are per app, not per instance.
      if (this.#paced(platform) && !(await this.#holdLane(platform))) break;
      // Woken for replies this instance planned (already claimed): the database is looked at only when asked
      // (a drain, a tick, rows planned unclaimed) or every PRIORITY_LOOK_MS, not once per reply.
      const own = this.#adopted(platform);
      const now = this.o.clock.now().getTime();
      // A pass that found rows looks again: a batch is at most CLAIM_BATCH, and more may be due.
      const asked = this.#mustLook.delete(platform);
      const look: boolean = found || unclaimed || asked || now - (this.#lookedAt.get(platform) ?? -Infinity) >= PRIORITY_LOOK_MS;
      if (look) this.#lookedAt.set(platform, now);
      const claimed: Claimed[] = look ? await this.#claim(platform) : [];
      found = claimed.length > 0;
      const batch = [...own, ...claimed];
      if (!batch.length) {
        if (this.#woken.has(platform)) continue; // a reply came in while we looked
        break;
      }
      const before = progress(stats);
      await this.#runLane(platform, batch, stats);
      // Everything claimed was handed back (the platform holding us off for minutes): next tick.
      if (progress(stats) === before) break;
    }
    return stats;
  }

  #adopted(platform: Platform): Claimed[] {
    const rows = this.#inbox.get(platform) ?? [];
    this.#inbox.delete(platform);
    return rows;
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

  /**
   * Claims up to a batch of this platform's due rows, the priority lane first; another worker's live claims
   * are left alone. `repliesOnly`: what a wake-up adds to a lane already running.
   */
  async #claim(platform: Platform, repliesOnly = false): Promise<Claimed[]> {
    const { db, clock } = this.o;
    const now = clock.now();
    const claimable = {
      platform,
      ...(repliesOnly ? { priority: { gt: PRIORITY.outreach } } : {}),
      OR: [
        { status: "PENDING", notBefore: { lte: now } },
        { status: "SENDING", leaseUntil: { lt: now } },
      ],
    };
    // Another worker may take the rows we picked between our look and our claim: look again.
    for (let tries = 0; tries < 5; tries++) {
      const candidates = await db.delivery.findMany({ where: claimable, orderBy: [{ priority: "desc" }, { notBefore: "asc" }, { id: "asc" }], take: CLAIM_BATCH, select: { id: true, status: true, sendingSince: true } });
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
      if (count) return db.delivery.findMany({ where: { claimedBy: token, status: "SENDING" }, orderBy: [{ priority: "desc" }, { notBefore: "asc" }, { id: "asc" }] });
    }
    return [];
  }

  /** One platform's rows: always the next one whose chat may be sent to soonest, a few in flight. */
  async #runLane(platform: Platform, lane: Claimed[], stats: DrainStats): Promise<void> {
    const queue = [...lane];
    const inFlight = new Set<Promise<void>>();
    try {
      await this.#pace(platform, lane, queue, inFlight, stats);
    } finally {
      // Whatever happened (a stop, a lost lane, a database error), what was claimed and not sent goes back.
      await Promise.allSettled(inFlight);
      await this.#release(queue).catch((err) => this.o.logger.error({ err }, "could not hand back claimed deliveries; they are taken over when their claim lapses"));
    }
  }

  /**
   * The next row to send: the one whose chat may be sent to soonest; of those ready, the priority lane
   * first. A chat with a send in flight waits for it, so one chat's messages arrive in order.
   */
  #next(queue: Claimed[], busy: Set<string>, now: number): { pick: number; at: number } {
    let pick = -1;
    let best = Infinity;
    for (let i = 0; i < queue.length; i++) {
      const d = queue[i];
      if (busy.has(d.externalChatId)) continue;
      // Not before its time (a row handed over at once may be due a moment later) nor its chat's next slot.
      const at = Math.max(now, d.notBefore.getTime(), this.#limiter.readyAt(d.platform as Platform, d.externalChatId));
      const q = queue[pick];
      if (at < best || (at === best && (d.priority > q.priority || (d.priority === q.priority && d.id < q.id)))) [best, pick] = [at, i];
    }
    return { pick, at: best };
  }

  async #pace(platform: Platform, lane: Claimed[], queue: Claimed[], inFlight: Set<Promise<void>>, stats: DrainStats): Promise<void> {
    const leaseEnd = Math.min(...lane.map((d) => d.leaseUntil?.getTime() ?? Infinity));
    const paced = this.#paced(platform);
    const busy = new Set<string>();
    let lookedAt = this.o.clock.now().getTime();
    let waitedForFlight = false;
    while (!this.#stopping) {
      // Replies that came in while this lane runs join it, ahead of what outreach planned: those this
      // instance planned are already claimed; others (planned while another instance held the lane) are claimed.
      if (this.#woken.delete(platform)) queue.push(...this.#adopted(platform));
      // Priority rows nobody told this loop of (another instance planned them while this one holds the
      // lane; a reply's retry fell due): looked for at once when told, else every PRIORITY_LOOK_MS.
      const clockNow = this.o.clock.now().getTime();
      if (this.#unclaimed.delete(platform) || clockNow - lookedAt >= PRIORITY_LOOK_MS) {
        lookedAt = clockNow;
        queue.push(...(await this.#claim(platform, true)));
      }
      // Nothing to start (all sent, or every chat left has a send in flight): wait for a send to land or a
      // reply to come in, whichever is first, so a send that hangs holds no other chat.
      const now = this.o.clock.now().getTime();
      const { pick, at: soonest } = this.#next(queue, busy, now);
      if (pick < 0) {
        if (!inFlight.size) break;
        if (!this.#woken.has(platform)) await Promise.race([Promise.race(inFlight), this.#wakeUp.promise, this.#stopped.promise]);
        continue;
      }
      // Never send on a claim about to lapse: hand back what is left (slow limits, a long wait).
      if (soonest > leaseEnd - LEASE_MARGIN_MS) break;
      if (soonest > now) {
        // Let what is in flight land first: the wait is needed anyway, and each send reaches the platform
        // inside its own slot. Not for long: one send that hangs must not hold every other chat's reply.
        if (inFlight.size && !waitedForFlight) {
          waitedForFlight = true;
          await Promise.race([Promise.all(inFlight), realDelay(IN_FLIGHT_WAIT_MS)]);
          continue;
        }
        // In steps of at most PRIORITY_LOOK_MS, so a reply planned elsewhere is looked for while it waits.
        await Promise.race([this.#sleep(Math.min(soonest - now, PRIORITY_LOOK_MS)), this.#stopped.promise, this.#wakeUp.promise]);
        continue;
      }
      // A long, slowly paced lane keeps its hold on the platform; losing it means another instance paces it now.
      if (paced && now - (this.#laneRenewed.get(platform) ?? 0) > LANE_RENEW_MS && !(await this.#holdLane(platform))) break;
      // This chat's reply waits for its retry, now due: that row is fetched first, so it goes before the
      // chat's later messages (the row order decides between rows ready together).
      const chatKey = `${platform}\u0000${queue[pick].externalChatId}`;
      if (this.#retrying.delete(chatKey)) {
        queue.push(...(await this.#claim(platform, true)));
        continue;
      }
      const [d] = queue.splice(pick, 1);
      waitedForFlight = false;
      if (await this.#expired(d, stats)) continue;
      const quiet = d.timeZone && this.o.quietHours ? nextAllowed(this.o.clock.now(), d.timeZone, this.o.quietHours) : null;
      if (quiet) {
        await this.#update(d, { status: "PENDING", notBefore: quiet, leaseUntil: null, attempts: { decrement: 1 } });
        this.#outcomes.settle(d.dedupeKey, "queued");
        stats.deferred++;
        continue;
      }
      // On a paced platform the "sending" mark is written here, one at a time, so each send follows its slot
      // by the same short delay (a batched write would delay some more than others and bunch them up).
      if (paced && !d.sendingSince) await this.#marks.sending(d.id, d.claimedBy!, this.o.clock.now());
      this.#limiter.take(d.platform as Platform, d.externalChatId, now);
      busy.add(d.externalChatId);
      const p = this.#send(d, stats, paced)
        .catch((err) => this.o.logger.error({ err, delivery: d.dedupeKey }, "delivery could not be handled; it is retried when its claim lapses"))
        .finally(() => {
          inFlight.delete(p);
          busy.delete(d.externalChatId);
        });
      inFlight.add(p);
      if (inFlight.size >= MAX_IN_FLIGHT) await Promise.race(inFlight);
    }
  }

  /** Updates a row only while it is still ours: a worker that outlived its claim changes nothing. */
  #update(d: Claimed, data: Parameters<Db["delivery"]["updateMany"]>[0]["data"]) {
    return this.o.db.delivery.updateMany({ where: { id: d.id, claimedBy: d.claimedBy, status: "SENDING" }, data });
  }

  async #release(rows: Claimed[]): Promise<void> {
    // A lane holds rows of several claims (the first batch, then replies taken in as they came).
    for (const claim of new Set(rows.map((r) => r.claimedBy))) {
      const mine = rows.filter((r) => r.claimedBy === claim);
      await this.o.db.delivery.updateMany({
        where: { id: { in: mine.map((r) => r.id) }, claimedBy: claim, status: "SENDING" },
        data: { status: "PENDING", leaseUntil: null, attempts: { decrement: 1 } },
      });
    }
    for (const r of rows) this.#outcomes.settle(r.dedupeKey, "queued");
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
    const target: SendTarget = { chatId: d.externalChatId, threadId: d.threadId ?? undefined, ephemeralTo: d.ephemeralTo ?? undefined, idempotencyKey: d.dedupeKey };
    const startedAt = clock.now();
    let messageId: string;
    let recovered = false;
    // A private (ephemeral) reply is never in the chat's history, so it cannot be looked for: one that may
    // already have been shown is not shown twice.
    if (d.uncertainSince && d.ephemeralTo) {
      stats[await this.#failed(d, new AdapterError("invalid", "a private reply that may already have been shown is not sent again"), { retry: false })]++;
      return;
    }
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
        // Rows planned claimed by this instance were written marked (enqueue's claim): no second write.
        if (!marked && !d.sendingSince) await this.#marks.sending(d.id, d.claimedBy!, startedAt);
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
      await log.record({ ...historyRow(d, message), kind: d.kind, externalMessageId: messageId!, createdAt: sentAt, meta: historyMeta(d, message) });
      // Sent and in the history: whoever waits may go on (should the mark below fail, the row is looked up, not resent).
      this.#outcomes.settle(d.dedupeKey, "sent");
      stats[recovered ? "recovered" : "sent"]++;
      await this.#marks.sent(d.id, d.claimedBy!, messageId!, sentAt);
    } catch (err) {
      logger.error({ err, delivery: d.dedupeKey, messageId: messageId! }, "delivery sent but not booked; it stays claimed until its lease ends");
    }
  }

  /** Retry later (transient, tries left) or fail with the reason, kept in the partner's history too. */
  async #failed(d: Claimed, err: unknown, opts: { retry?: boolean; uncertainSince?: Date } = {}): Promise<"retried" | "failed"> {
    const { log, clock, logger } = this.o;
    const e = err instanceof AdapterError ? err : new AdapterError("transient", (err as Error).message);
    const now = clock.now();
    if (e.code === "rate_limited" && e.retryAfterMs) this.#limiter.holdUntil(d.platform as Platform, d.externalChatId, now.getTime(), now.getTime() + e.retryAfterMs, PLATFORM_HOLD_MAX_MS);
    const reason = `${e.code}: ${e.message}`.slice(0, 500);
    const uncertain = opts.uncertainSince && !d.uncertainSince ? { uncertainSince: opts.uncertainSince } : {};
    if (opts.retry !== false && e.retryable && d.attempts < MAX_ATTEMPTS) {
      const wait = Math.max(backoffMs(d.attempts, d.priority), e.retryAfterMs ?? 0);
      // A reply waiting for its retry holds its chat's later messages (the second of two answers, the next
      // question's answer), so they do not arrive before it.
      if (d.priority > PRIORITY.outreach) {
        this.#limiter.holdUntil(d.platform as Platform, d.externalChatId, now.getTime(), now.getTime() + wait, 0);
        this.#retrying.add(`${d.platform}\u0000${d.externalChatId}`);
      }
      await this.#update(d, { status: "PENDING", notBefore: new Date(now.getTime() + wait), leaseUntil: null, sendingSince: null, lastError: reason, ...uncertain });
      logger.warn({ delivery: d.dedupeKey, attempt: d.attempts, code: e.code, retryInMs: wait }, "delivery will be retried");
      this.#outcomes.settle(d.dedupeKey, "queued");
      return "retried";
    }
    await this.#update(d, { status: "FAILED", leaseUntil: null, sendingSince: null, lastError: reason, ...uncertain });
    const message = JSON.parse(d.message) as OutboundMessage;
    // What the partner did not receive stays in their history, marked, with the reason.
    await log.record({ ...historyRow(d, message), kind: "send_failed", createdAt: now, meta: { ...historyMeta(d, message), error: e.code, reason: e.message } });
    logger.error({ delivery: d.dedupeKey, attempts: d.attempts, code: e.code, reason: e.message }, "delivery failed");
    this.#outcomes.settle(d.dedupeKey, "failed");
    return "failed";
  }
}

function historyRow(d: Claimed, message: OutboundMessage) {
  return { platform: d.platform, direction: "OUT" as const, text: historyText(message), partnerId: d.partnerId, contactId: d.contactId, chatId: d.chatId, inReplyTo: d.inReplyTo };
}

function historyMeta(d: Claimed, message: OutboundMessage): Record<string, unknown> {
  return { ...messageMeta(message), delivery: d.dedupeKey, ...(d.inReplyTo ? { inReplyTo: d.inReplyTo } : {}), ...(d.ephemeralTo ? { ephemeral: true } : {}) };
}

/** Real time, for bounding a wait on the platform (not the clock the lanes pace by). */
function realDelay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
