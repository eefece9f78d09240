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
}

/** How long a caller waits for its reply's outcome before taking "queued" (the row is safe either way). */
export const REPLY_WAIT_MS = 30_000;
/**
 * With several instances another one's worker may send a reply this one planned: the outcome is then read
 * from the database, every so often, for what this instance's worker has not settled by itself.
 */
export const OUTCOME_POLL_MS = 250;

export interface Post {
  message: OutboundMessage;
  /** history kind: reply, answer, handoff, staff... */
  kind: string;
  /** The delivery key. An event's answers are keyed by their place, so answering it again plans nothing new. */
  key: string;
}

export class Outbox {
  /** Outcomes awaited here, for the database poll (another instance sent them). */
  readonly #awaited = new Map<string, (o: Outcome) => void>();
  #poll: NodeJS.Timeout | null = null;

  constructor(
    private readonly db: Db,
    private readonly worker: OutboxWorker,
    private readonly clock: Clock,
  ) {}

  /** One message now; true unless it failed for good (a retry planned counts as on its way). */
  async reply(ctx: ReplyContext, message: OutboundMessage, kind = "reply"): Promise<boolean> {
    const which = createHash("sha256").update(historyText(message)).digest("hex").slice(0, 16);
    const [outcome] = await this.post(ctx, [{ message, kind, key: replyKey(ctx, ctx.inReplyTo ?? randomUUID(), which) }]);
    return outcome !== "failed";
  }

  /** An event's answers, in order, in one write: they are all planned, or none is. */
  async answer(ctx: ReplyContext & { inReplyTo: string }, messages: OutboundMessage[]): Promise<Outcome[]> {
    return this.post(ctx, messages.map((message, index) => ({ message, kind: "reply", key: replyKey(ctx, ctx.inReplyTo, String(index)) })));
  }

  /** Messages into one chat in the priority lane; resolves with what became of each. */
  async post(ctx: ReplyContext, posts: Post[], opts: { wait?: boolean } = {}): Promise<Outcome[]> {
    const now = this.clock.now();
    const rows: DeliveryInput[] = posts.map((p) => ({
      dedupeKey: p.key, kind: p.kind, platform: ctx.platform, externalChatId: ctx.target.chatId, threadId: ctx.target.threadId, chatId: ctx.chatId,
      partnerId: ctx.partnerId, message: p.message, notBefore: now, priority: PRIORITY.reply, inReplyTo: ctx.inReplyTo, ephemeralTo: ctx.target.ephemeralTo,
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
    const created = await enqueue(this.db, rows.map((r) => ({ priority: PRIORITY.reply, ...r })), this.clock.now());
    for (const platform of new Set(rows.map((r) => r.platform))) this.worker.wake(platform);
    if (!wait) return rows.map(() => "queued");
    const known = rows.filter((r) => !created.has(r.dedupeKey)).map((r) => r.dedupeKey);
    const before = new Map(
      known.length ? (await this.db.delivery.findMany({ where: { dedupeKey: { in: known } }, select: { dedupeKey: true, status: true } })).map((d) => [d.dedupeKey, d.status]) : [],
    );
    return Promise.all(
      rows.map((r, i) => {
        const status = before.get(r.dedupeKey);
        if (status === "SENT") return "sent" as const;
        if (status === "FAILED") return "failed" as const;
        return Promise.race([outcomes[i], this.#fromDatabase(r.dedupeKey)]);
      }),
    );
  }

  /** Resolves when the row is seen sent, failed, or waiting for a retry, whichever worker did it. */
  #fromDatabase(key: string): Promise<Outcome> {
    return new Promise((resolve) => {
      this.#awaited.set(key, (o) => {
        this.#awaited.delete(key);
        resolve(o);
      });
      this.#poll ??= setInterval(() => void this.#check(), OUTCOME_POLL_MS);
      this.#poll.unref();
      // Whatever happens, a caller is not kept past REPLY_WAIT_MS.
      setTimeout(() => this.#awaited.get(key)?.("queued"), REPLY_WAIT_MS).unref();
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
    for (const r of rows) this.#awaited.get(r.dedupeKey)?.(r.status === "SENT" ? "sent" : r.status === "FAILED" ? "failed" : "queued");
  }
}

function replyKey(ctx: ReplyContext, inReplyTo: string, which: string): string {
  return `reply:${ctx.platform}:${ctx.target.chatId}:${inReplyTo}:${which}`;
}
