// The outbox worker: claims due Delivery rows, sends them through their adapter within the rate limits,
// records each sent one in the partner's history, and retries or fails the rest with a reason. Everything
// the hub says goes through it: outreach planned for later, and replies and staff alerts in the priority
// lane (Delivery.priority), which wake it (wake()) and go before outreach, one limiter for both.
//
// Pacing holds across instances: one instance at a time sends a platform's rows (an OutboxLane lease),
// since the platforms' limits are per app.
//
// Exactly once, in practice: planning inserts rows under a unique dedupe key, so planning twice plans
// nothing new; claims.ts says who sends each row, delivery.ts how a send that may have gone is not repeated.
import { randomUUID } from "node:crypto";
import type { Adapter, Platform } from "../../adapters/contract.ts";
import type { Db } from "../db/client.ts";
import type { InteractionLog } from "../history/log.ts";
import type { Clock } from "../lib/clock.ts";
import type { Logger } from "../lib/logger.ts";
import { Claims, LANE_LEASE_MS, LANE_RENEW_MS, LEASE_MS, type Claimed } from "./claims.ts";
import { Deliverer, emptyStats, type DrainStats } from "./delivery.ts";
import { PRIORITY, type Claim, type DeliveryInput } from "./enqueue.ts";
import { DeliveryMarks } from "./mark-sent.ts";
import { Outcomes, type Outcome } from "./outcomes.ts";
import { nextAllowed, type QuietHours } from "./quiet-hours.ts";
import { RateLimiter, type RateLimit } from "./rate-limit.ts";

export { LANE_LEASE_MS, LEASE_MS } from "./claims.ts";
export { backoffMs, MAX_ATTEMPTS, PLATFORM_HOLD_MAX_MS, REPLY_RETRY_MS, SEND_TIMEOUT_MS, type DrainStats } from "./delivery.ts";

/** A running lane looks for priority rows it was not told of (planned by another instance, a retry now due) this often. */
export const PRIORITY_LOOK_MS = 1_000;
/** How long a lane waiting for its next slot waits for sends in flight to land, at most (one may hang). */
const IN_FLIGHT_WAIT_MS = 1_000;
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
  /** HUB_POLL_OPEN_DAYS: how long a bare number in a chat answers the poll it received (POLL_REPLY_WINDOW_MS). */
  pollOpenMs?: number;
  random?: () => number;
}

const progress = (s: DrainStats) => s.sent + s.retried + s.failed + s.deferred + s.recovered;

export class OutboxWorker {
  readonly #limiter: RateLimiter;
  readonly #sleep: (ms: number) => Promise<void>;
  readonly #claims: Claims;
  readonly #deliverer: Deliverer;
  readonly #marks: DeliveryMarks;
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
  /**
   * The lanes' waits, each ended early by wake() (a pacing wait ends to let a reply in first) or stop() (a
   * wait of up to minutes, on WeChat or after a 429, ends at once). Each wait leaves when it ends: racing a
   * promise that lives as long as the worker would keep a reaction per wait until it settled, a leak of
   * a few hundred bytes a message.
   */
  readonly #interrupts = new Set<() => void>();
  #timer: NodeJS.Timeout | null = null;
  /** Stopped (the app closing): nothing wakes it or claims for it until start(). */
  #closed = false;
  /** Each platform's loop while it runs: a new drain starts idle platforms and joins busy ones. */
  readonly #loops = new Map<Platform, Promise<DrainStats>>();
  #stopping = false;

  constructor(private readonly o: WorkerOptions) {
    this.#limiter = new RateLimiter(o.limits, o.random);
    this.#sleep = o.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    this.#claims = new Claims(o.db, o.clock, o.instanceId ?? randomUUID().slice(0, 8));
    this.#marks = new DeliveryMarks(o.db);
    this.#deliverer = new Deliverer({ ...o, claims: this.#claims, marks: this.#marks, limiter: this.#limiter, outcomes: this.#outcomes, retrying: this.#retrying });
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
    this.#interrupt();
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
    if (this.#paced(platform) && now - (this.#claims.laneRenewed.get(platform) ?? -Infinity) > LANE_LEASE_MS / 2) return null;
    return { by: `${this.#claims.instance}:own:${randomUUID().slice(0, 8)}`, until: new Date(now + LEASE_MS) };
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
        priority: r.priority ?? PRIORITY.outreach, inReplyTo: r.inReplyTo ?? null, ephemeralTo: r.ephemeralTo ?? null, staffId: r.staffId ?? null, createdAt,
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
    this.#interrupt();
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    await Promise.all([...this.#loops.values()].map((l) => l.catch(() => {})));
    // Planned and claimed here but not yet taken into a lane: handed back for whoever runs next.
    const waiting = [...this.#inbox.keys()].flatMap((p) => this.#adopted(p));
    await this.#release(waiting).catch((err) => this.o.logger.error({ err }, "could not hand back claimed deliveries; they are taken over when their claim lapses"));
    // Hand the platforms over at once rather than after the lease.
    await this.#claims
      .handOver()
      .catch((err) => this.o.logger.warn({ err }, "could not hand the outbox lanes over; another instance takes them when their lease ends"));
    this.#outcomes.settleAll("queued");
    this.#woken.clear();
    this.#unclaimed.clear();
    this.#stopping = false;
  }

  /** Resolves when `until` settles, or at wake() or stop(), whichever is first (at once when stopping). */
  #pause(until: Promise<unknown>): Promise<void> {
    if (this.#stopping) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const done = () => {
        this.#interrupts.delete(done);
        resolve();
      };
      this.#interrupts.add(done);
      until.then(done, done);
    });
  }

  #interrupt(): void {
    for (const done of [...this.#interrupts]) done();
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
      if (this.#paced(platform) && !(await this.#claims.holdLane(platform))) break;
      // Woken for replies this instance planned (already claimed): the database is looked at only when asked
      // (a drain, a tick, rows planned unclaimed) or every PRIORITY_LOOK_MS, not once per reply.
      const own = this.#adopted(platform);
      const now = this.o.clock.now().getTime();
      // A pass that found rows looks again: a batch is at most CLAIM_BATCH, and more may be due.
      const asked = this.#mustLook.delete(platform);
      const look: boolean = found || unclaimed || asked || now - (this.#lookedAt.get(platform) ?? -Infinity) >= PRIORITY_LOOK_MS;
      if (look) this.#lookedAt.set(platform, now);
      const claimed: Claimed[] = look ? await this.#claims.claim(platform) : [];
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

  /** Claimed rows not sent go back to the database for whoever runs next; whoever waits on them hears "queued". */
  async #release(rows: Claimed[]): Promise<void> {
    await this.#claims.release(rows);
    for (const r of rows) this.#outcomes.settle(r.dedupeKey, "queued");
  }

  /** A platform with an app-wide limit; an unlimited one (the console) is sent by every instance at once. */
  #paced(platform: Platform): boolean {
    return Number.isFinite(this.o.limits[platform].perPlatform);
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
        queue.push(...(await this.#claims.claim(platform, true)));
      }
      // Nothing to start (all sent, or every chat left has a send in flight): wait for a send to land or a
      // reply to come in, whichever is first, so a send that hangs holds no other chat.
      const now = this.o.clock.now().getTime();
      const { pick, at: soonest } = this.#next(queue, busy, now);
      if (pick < 0) {
        if (!inFlight.size) break;
        if (!this.#woken.has(platform)) await this.#pause(Promise.race(inFlight));
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
        await this.#pause(this.#sleep(Math.min(soonest - now, PRIORITY_LOOK_MS)));
        continue;
      }
      // A long, slowly paced lane keeps its hold on the platform; losing it means another instance paces it now.
      if (paced && now - (this.#claims.laneRenewed.get(platform) ?? 0) > LANE_RENEW_MS && !(await this.#claims.holdLane(platform))) break;
      // This chat's reply waits for its retry, now due: that row is fetched first, so it goes before the
      // chat's later messages (the row order decides between rows ready together).
      const chatKey = `${platform}\u0000${queue[pick].externalChatId}`;
      if (this.#retrying.delete(chatKey)) {
        queue.push(...(await this.#claims.claim(platform, true)));
        continue;
      }
      const [d] = queue.splice(pick, 1);
      waitedForFlight = false;
      if (await this.#deliverer.expired(d, stats)) continue;
      const quiet = d.timeZone && this.o.quietHours ? nextAllowed(this.o.clock.now(), d.timeZone, this.o.quietHours) : null;
      if (quiet) {
        await this.#claims.update(d, { status: "PENDING", notBefore: quiet, leaseUntil: null, attempts: { decrement: 1 } });
        this.#outcomes.settle(d.dedupeKey, "queued");
        stats.deferred++;
        continue;
      }
      // On a paced platform the "sending" mark is written here, one at a time, so each send follows its slot
      // by the same short delay (a batched write would delay some more than others and bunch them up).
      if (paced && !d.sendingSince) await this.#marks.sending(d.id, d.claimedBy!, this.o.clock.now());
      this.#limiter.take(d.platform as Platform, d.externalChatId, now);
      busy.add(d.externalChatId);
      const p = this.#deliverer.send(d, stats, paced)
        .catch((err) => this.o.logger.error({ err, delivery: d.dedupeKey }, "delivery could not be handled; it is retried when its claim lapses"))
        .finally(() => {
          inFlight.delete(p);
          busy.delete(d.externalChatId);
        });
      inFlight.add(p);
      if (inFlight.size >= MAX_IN_FLIGHT) await Promise.race(inFlight);
    }
  }
}

function realDelay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

