// The fast path for replies: the adapter sends at once, and the history records it as an OUT interaction
// with the platform's message id. A reply the platform failed for a passing reason is handed to the
// Delivery table and retried from there. What the hub sends on its own (greetings, notices, polls) goes through
// the Delivery table and its worker (worker.ts) instead, with rate limits and retries.
import { AdapterError, type Adapter, type OutboundMessage, type Platform, type SendTarget } from "../../adapters/contract.ts";
import { createHash, randomUUID } from "node:crypto";
import type { Db } from "../db/client.ts";
import type { InteractionLog } from "../history/log.ts";
import { enqueue } from "./enqueue.ts";
import { historyText } from "../history/summary.ts";
import type { Clock } from "../lib/clock.ts";
import type { Logger } from "../lib/logger.ts";

export interface ReplyContext {
  platform: Platform;
  target: SendTarget;
  chatId: number;
  partnerId: number | null;
  /** What this answers, for the history. */
  inReplyTo?: string;
  /** Which of the answers to `inReplyTo` this is (0, 1...): the same answer keeps its key when answered again. */
  index?: number;
  /**
   * The event was being answered by a hub that stopped: this answer may already be in the chat. It goes
   * through the Delivery table instead, whose worker looks for it on the platform (findSent) before sending.
   */
  uncertainSince?: Date;
}

/** What the history keeps about a sent message's form; a poll's options let a numbered reply be read. */
export function messageMeta(message: OutboundMessage): Record<string, unknown> {
  return { type: message.type, ...(message.type === "poll" ? { pollId: message.pollId, values: message.options.map((o) => o.value) } : {}) };
}

/** A reply the platform failed is tried again this soon (its question is fresh). */
export const REPLY_RETRY_MS = 5_000;

export class Outbox {
  constructor(
    private readonly db: Db,
    private readonly adapters: ReadonlyMap<Platform, Adapter>,
    private readonly log: InteractionLog,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  /** Sends one message; returns false (and logs why) when the platform refused it. */
  async reply(ctx: ReplyContext, message: OutboundMessage, kind = "reply"): Promise<boolean> {
    const adapter = this.adapters.get(ctx.platform);
    if (!adapter) throw new Error(`No adapter for platform ${ctx.platform}`);
    const meta = {
      ...messageMeta(message),
      ...(ctx.inReplyTo ? { inReplyTo: ctx.inReplyTo } : {}), ...(ctx.target.ephemeralTo ? { ephemeral: true } : {}) };
    const row = { platform: ctx.platform, direction: "OUT" as const, text: historyText(message), partnerId: ctx.partnerId, chatId: ctx.chatId, inReplyTo: ctx.inReplyTo };
    // The key a retry would carry, on the first send too: the platform then recognises a repeat. An answer
    // to an event is keyed by its place among the answers, so answering the event again repeats the key.
    const which = ctx.index ?? createHash("sha256").update(historyText(message)).digest("hex").slice(0, 16);
    const key = `reply:${ctx.platform}:${ctx.target.chatId}:${ctx.inReplyTo ?? randomUUID()}:${which}`;
    if (ctx.uncertainSince && !ctx.target.ephemeralTo) {
      const now = this.clock.now();
      await enqueue(this.db, [{
        dedupeKey: key, kind, platform: ctx.platform, externalChatId: ctx.target.chatId, threadId: ctx.target.threadId, chatId: ctx.chatId, partnerId: ctx.partnerId,
        message, notBefore: now, uncertainSince: ctx.uncertainSince,
      }], now);
      return true;
    }
    const sentAt = this.clock.now();
    let messageId: string;
    try {
      ({ messageId } = await adapter.send(ctx.target.ephemeralTo ? ctx.target : { ...ctx.target, idempotencyKey: key }, message));
    } catch (err) {
      const code = err instanceof AdapterError ? err.code : "unknown";
      this.logger.warn({ err, code, platform: ctx.platform, chat: ctx.target.chatId }, "send failed");
      // The platform is struggling (5xx, rate limit, network): the outbox tries again shortly, in the same
      // thread, and records it when it goes (or fails for good). A private (ephemeral) reply is not retried.
      if (err instanceof AdapterError && err.retryable && !ctx.target.ephemeralTo) {
        const now = this.clock.now();
        await enqueue(this.db, [{
          dedupeKey: key, kind, platform: ctx.platform, externalChatId: ctx.target.chatId, threadId: ctx.target.threadId, chatId: ctx.chatId, partnerId: ctx.partnerId,
          message, notBefore: new Date(now.getTime() + Math.max(REPLY_RETRY_MS, err.retryAfterMs ?? 0)),
          // No answer came back: the platform may have it, so the retry looks first where it can.
          uncertainSince: err.maybeDelivered ? sentAt : null,
        }], now);
        return true;
      }
      // What the partner did not receive stays in their history, marked, with the reason.
      await this.log.record({ ...row, kind: "send_failed", createdAt: this.clock.now(), meta: { ...meta, error: code, reason: (err as Error).message } });
      return false;
    }
    await this.log.record({ ...row, kind, externalMessageId: messageId, createdAt: this.clock.now(), meta });
    return true;
  }
}
