// Everything the hub says leaves through here: the adapter sends it, and the history records it as an
// OUT interaction with the platform's message id. (Issue 5 adds the Delivery table, rate limits and
// retries for scheduled sends; direct replies keep this fast path.)
import { AdapterError, type Adapter, type OutboundMessage, type Platform, type SendTarget } from "../../adapters/contract.ts";
import type { InteractionLog } from "../history/log.ts";
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
}

export class Outbox {
  constructor(
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
      type: message.type,
      ...(message.type === "poll" ? { pollId: message.pollId, values: message.options.map((o) => o.value) } : {}),
      ...(ctx.inReplyTo ? { inReplyTo: ctx.inReplyTo } : {}), ...(ctx.target.ephemeralTo ? { ephemeral: true } : {}) };
    const row = { platform: ctx.platform, direction: "OUT" as const, text: historyText(message), partnerId: ctx.partnerId, chatId: ctx.chatId };
    let messageId: string;
    try {
      ({ messageId } = await adapter.send(ctx.target, message));
    } catch (err) {
      const code = err instanceof AdapterError ? err.code : "unknown";
      this.logger.warn({ err, code, platform: ctx.platform, chat: ctx.target.chatId }, "send failed");
      // What the partner did not receive stays in their history, marked, with the reason.
      await this.log.record({ ...row, kind: "send_failed", createdAt: this.clock.now(), meta: { ...meta, error: code, reason: (err as Error).message } });
      return false;
    }
    await this.log.record({ ...row, kind, externalMessageId: messageId, createdAt: this.clock.now(), meta });
    return true;
  }
}
