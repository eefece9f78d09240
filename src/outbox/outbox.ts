// The one way the hub says something now: a reply to a partner, an /answer, a staff alert. Each is a
// Delivery row due now in the priority lane, so it gets what outreach gets (the platform's limiter, the
// retries, the history record, the idempotency key) and goes before outreach. The worker is woken at
// once, and the caller may await what became of the row. What the hub plans for later (greetings, notices,
// polls) is enqueued by outreach (enqueue.ts); the worker (worker.ts) sends both.
import { createHash, randomUUID } from "node:crypto";
import type { OutboundMessage, Platform, SendTarget } from "../../adapters/contract.ts";
import type { Db } from "../db/client.ts";
import { historyText } from "../history/summary.ts";
import type { Clock } from "../lib/clock.ts";
import { GroupCommit } from "../lib/group-commit.ts";
import { enqueue, PRIORITY, type DeliveryInput } from "./enqueue.ts";
import type { Outcome } from "./outcomes.ts";
import type { OutboxWorker } from "./worker.ts";

export interface ReplyContext {
  platform: Platform;
  target: Pick<SendTarget, "chatId" | "threadId" | "ephemeralTo">;
  chatId: number | null;
  partnerId: number | null;
  /** What this answers (a platform message id), for the history. */
  inReplyTo?: string;
  /** Said on this staff member's behalf (the history shows it as theirs). */
  staffId?: number | null;
}

/** How long a caller waits for its reply's outcome before taking "queued" (the row is safe either way). */
export const REPLY_WAIT_MS = 30_000;
/**
 * With several instances another one's worker may send a reply this one planned: the outcome is then read
 * from the database, every so often, for what this instance's worker has not settled by itself.
 */
export const OUTCOME_POLL_MS = 250;
/** Plans (an event's answers, a staff alert's chats) per group-committed write: well under one INSERT's 500 rows. */
const WRITE_BATCH = 100;

export interface Post {
  message: OutboundMessage;
  /** history kind: reply, answer, handoff, staff... */
  kind: string;
  /** The delivery key. An event's answers are keyed by their place, so answering it again plans nothing new. */
  key: string;
}

/** What writing a row did: planned and taken in by this instance's worker, planned for any worker, or there already. */
type Written = "ours" | "planned" | "known";

export class Outbox {
  /** Rows planned at the same moment (a burst of answers) are written in one INSERT; each caller hears of its own. */
  readonly #writes: GroupCommit<DeliveryInput[], Written[]>;
  /** Outcomes awaited here, for the database poll (another instance sent them). */
  readonly #awaited = new Map<string, ((o: Outcome) => void)[]>();
  #poll: NodeJS.Timeout | null = null;

  constructor(
    private readonly db: Db,
    private readonly worker: OutboxWorker,
    private readonly clock: Clock,
  ) {
    this.#writes = new GroupCommit(WRITE_BATCH, (plans) => this.#writeAll(plans));
  }

  /**
   * One message now; true unless it failed for good (a retry planned counts as on its way). `key` makes it
   * once (the same key plans nothing new); without it, it is keyed by what it answers and its text.
   */
  async reply(ctx: ReplyContext, message: OutboundMessage, kind = "reply", key?: string): Promise<boolean> {
    const which = createHash("sha256").update(historyText(message)).digest("hex").slice(0, 16);
    const [outcome] = await this.post(ctx, [{ message, kind, key: key ?? replyKey(ctx, ctx.inReplyTo ?? randomUUID(), which) }]);
    return outcome !== "failed";
  }

  /** An event's answers, in order, in one write: they are all planned, or none is. `kind`: as the history files them. */
  async answer(ctx: ReplyContext & { inReplyTo: string }, messages: OutboundMessage[], kind = "reply"): Promise<Outcome[]> {
    return this.post(ctx, messages.map((message, index) => ({ message, kind, key: replyKey(ctx, ctx.inReplyTo, String(index)) })));
  }

  /** Messages into one chat in the priority lane; resolves with what became of each. */
  async post(ctx: ReplyContext, posts: Post[], opts: { wait?: boolean } = {}): Promise<Outcome[]> {
    const now = this.clock.now();
    const rows: DeliveryInput[] = posts.map((p) => ({
      dedupeKey: p.key, kind: p.kind, platform: ctx.platform, externalChatId: ctx.target.chatId, threadId: ctx.target.threadId, chatId: ctx.chatId,
      partnerId: ctx.partnerId, message: p.message, notBefore: now, priority: PRIORITY.reply, inReplyTo: ctx.inReplyTo, ephemeralTo: ctx.target.ephemeralTo, staffId: ctx.staffId ?? null,
    }));
    return this.plan(rows, opts);
  }

  /**
   * Puts rows in the priority lane and wakes the worker. With `wait` (the default) resolves once each is
   * sent, failed, or queued for a retry; a row planned before (the same key) is not planned again, and
   * its outcome is read from the database.
   */
  async plan(rows: DeliveryInput[], { wait = true } = {}): Promise<Outcome[]> {
    const outcomes = wait ? rows.map((r) => this.worker.outcome(r.dedupeKey, REPLY_WAIT_MS)) : [];
    // One event's answers go in one INSERT (a batch is all or nothing): planned together, or not at all.
    const written = await this.#writes.add(rows.map((r) => ({ priority: PRIORITY.reply, ...r })));
    if (!wait || this.worker.closed) return rows.map(() => "queued");
    const known = rows.filter((_, i) => written[i] === "known").map((r) => r.dedupeKey);
    const before = new Map(
      known.length ? (await this.db.delivery.findMany({ where: { dedupeKey: { in: known } }, select: { dedupeKey: true, status: true } })).map((d) => [d.dedupeKey, d.status]) : [],
    );
    return Promise.all(
      rows.map((r, i) => {
        const status = before.get(r.dedupeKey);
        if (status === "SENT") return "sent" as const;
        if (status === "FAILED") return "failed" as const;
        // This instance's worker sends what it took in (it settles them); others may be sent anywhere.
        return written[i] === "ours" ? outcomes[i] : Promise.race([outcomes[i], this.#fromDatabase(r.dedupeKey)]);
      }),
    );
  }

  /**
   * Writes rows of the priority lane. Where this instance paces the platform they are written already
   * claimed and handed to the worker as they are (no claim round trip); elsewhere written for the holder.
   */
  /**
   * Plans written together; should the database refuse the batch, each plan is written on its own, so one
   * bad plan fails alone (its caller hears of it, the others go on). A plan's rows for one platform are one
   * INSERT: an event's answers are planned together, or not at all.
   */
  async #writeAll(plans: DeliveryInput[][]): Promise<(Written[] | Error)[]> {
    try {
      const isNew = await this.#write(plans.flat());
      let at = 0;
      return plans.map((p) => isNew.slice(at, (at += p.length)));
    } catch (err) {
      if (plans.length === 1) return [err instanceof Error ? err : new Error(String(err))];
      return Promise.all(plans.map((p) => this.#write(p).catch((e: unknown) => (e instanceof Error ? e : new Error(String(e))))));
    }
  }

  async #write(rows: DeliveryInput[]): Promise<Written[]> {
    const now = this.clock.now();
    const isNew = new Map<string, Written>();
    for (const platform of new Set(rows.map((r) => r.platform))) {
      const mine = rows.filter((r) => r.platform === platform);
      const claim = this.worker.claimFor(platform);
      const created = await enqueue(this.db, mine, now, claim ?? undefined);
      for (const r of mine) isNew.set(r.dedupeKey, !created.has(r.dedupeKey) ? "known" : claim ? "ours" : "planned");
      if (claim) this.worker.adopt(mine.filter((r) => created.has(r.dedupeKey)).map((input) => ({ input, id: created.get(input.dedupeKey)! })), claim, now);
      // Unclaimed, or planned before (a row a stopped hub left): the worker claims it from the database.
      if (!claim || mine.some((r) => !created.has(r.dedupeKey))) this.worker.wake(platform);
    }
    return rows.map((r) => isNew.get(r.dedupeKey)!);
  }

  /** Resolves when the row is seen sent, failed, or waiting for a retry, whichever worker did it. */
  #fromDatabase(key: string): Promise<Outcome> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => done("queued"), REPLY_WAIT_MS); // a caller is never kept past this
      timer.unref();
      const done = (o: Outcome) => {
        clearTimeout(timer);
        const left = (this.#awaited.get(key) ?? []).filter((d) => d !== done);
        if (left.length) this.#awaited.set(key, left);
        else this.#awaited.delete(key);
        resolve(o);
      };
      this.#awaited.set(key, [...(this.#awaited.get(key) ?? []), done]);
      this.#poll ??= setInterval(() => void this.#check(), OUTCOME_POLL_MS);
      this.#poll.unref();
    });
  }

  async #check(): Promise<void> {
    const keys = [...this.#awaited.keys()];
    if (!keys.length) {
      clearInterval(this.#poll!);
      this.#poll = null;
      return;
    }
    const rows = await this.db.delivery.findMany({ where: { dedupeKey: { in: keys }, OR: [{ status: { in: ["SENT", "FAILED"] } }, { status: "PENDING", lastError: { not: null } }] }, select: { dedupeKey: true, status: true } }).catch(() => []);
    for (const r of rows) for (const done of this.#awaited.get(r.dedupeKey) ?? []) done(r.status === "SENT" ? "sent" : r.status === "FAILED" ? "failed" : "queued");
  }
}

function replyKey(ctx: ReplyContext, inReplyTo: string, which: string): string {
  return answerKey(ctx.platform, ctx.target.chatId, inReplyTo, which);
}

/** The delivery key of an event's answer by its place (0, 1, ...): the same event answered again plans nothing new. */
export function answerKey(platform: Platform, chatId: string, inReplyTo: string, which: number | string): string {
  return `reply:${platform}:${chatId}:${inReplyTo}:${which}`;
}
