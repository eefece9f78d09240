// One claimed delivery, sent: looked for first when a send may already have reached the platform, sent with
// its key, recorded in the partner's history and marked; or retried later, or failed with its reason.
//
// Exactly once, in practice: a worker killed between the platform accepting a message and our bookkeeping
// (or a send that timed out) must not cause a second one. Such a row is marked uncertain in the database.
// Every send carries the delivery key: Lark drops a repeated request with the same key (uuid), and Slack
// keeps it as message metadata, which is looked up before an uncertain row is sent again. WeChat can do
// neither, so there that window (milliseconds per send in flight) can still repeat a message.
import { AdapterError, type Adapter, type OutboundMessage, type Platform, type SendTarget } from "../../adapters/contract.ts";
import type { InteractionLog } from "../history/log.ts";
import { historyText, messageMeta } from "../history/summary.ts";
import { openPoll, storedWhenOffered } from "../prompts/store.ts";
import type { Db } from "../db/client.ts";
import type { Clock } from "../lib/clock.ts";
import type { Logger } from "../lib/logger.ts";
import type { Claimed, Claims } from "./claims.ts";
import { PRIORITY } from "./enqueue.ts";
import type { DeliveryMarks } from "./mark-sent.ts";
import type { Outcomes } from "./outcomes.ts";
import type { RateLimiter } from "./rate-limit.ts";

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
/** A 429 holds its chat for the platform's Retry-After, and the whole platform this long at most. */
export const PLATFORM_HOLD_MAX_MS = 2_000;
/** A send that has not returned by then is abandoned (and its row marked uncertain): well inside the lease. */
export const SEND_TIMEOUT_MS = 60_000;

export interface DrainStats {
  sent: number;
  retried: number;
  failed: number;
  deferred: number;
  /** Found already sent by a worker that died before booking them: booked, not sent again. */
  recovered: number;
}

export const emptyStats = (): DrainStats => ({ sent: 0, retried: 0, failed: 0, deferred: 0, recovered: 0 });

export interface DelivererDeps {
  db: Db;
  adapters: ReadonlyMap<Platform, Adapter>;
  log: InteractionLog;
  clock: Clock;
  logger: Logger;
  sendTimeoutMs?: number;
  /** How long a sent poll stays answerable by number (HUB_POLL_OPEN_DAYS). */
  pollOpenMs?: number;
  claims: Claims;
  marks: DeliveryMarks;
  limiter: RateLimiter;
  outcomes: Outcomes;
  /** Chats (platform\0chat) with a reply waiting for its retry: their next message fetches it first. */
  retrying: Set<string>;
}

export class Deliverer {
  constructor(private readonly d: DelivererDeps) {}

  /** A greeting for a day that has passed is not sent late with "today" in it. */
  async expired(d: Claimed, stats: DrainStats): Promise<boolean> {
    if (!d.expiresAt || this.d.clock.now() < d.expiresAt) return false;
    await this.failed(d, new AdapterError("invalid", "expired: its day passed before it could be sent"), { retry: false });
    stats.failed++;
    return true;
  }

  async send(d: Claimed, stats: DrainStats, marked = false): Promise<void> {
    const { log, clock, logger } = this.d;
    const message = JSON.parse(d.message) as OutboundMessage;
    const adapter = this.d.adapters.get(d.platform as Platform)!;
    const target: SendTarget = { chatId: d.externalChatId, threadId: d.threadId ?? undefined, ephemeralTo: d.ephemeralTo ?? undefined, idempotencyKey: d.dedupeKey };
    const startedAt = clock.now();
    let messageId: string;
    let recovered = false;
    // A private (ephemeral) reply is never in the chat's history, so it cannot be looked for: one that may
    // already have been shown is not shown twice.
    if (d.uncertainSince && d.ephemeralTo) {
      stats[await this.failed(d, new AdapterError("invalid", "a private reply that may already have been shown is not sent again"), { retry: false })]++;
      return;
    }
    try {
      if (d.uncertainSince && adapter.findSent) {
        // The platform may already have it: book it if so; if it cannot tell us (an error, its rate limit),
        // try again later, without holding up the platform's sends.
        // From a minute earlier: the platform's clock and ours need not agree to the second.
        const since = new Date(d.uncertainSince.getTime() - 60_000);
        const found = await withTimeout(adapter.findSent(target, d.dedupeKey, since), this.d.sendTimeoutMs ?? SEND_TIMEOUT_MS).catch((err) => {
          throw new AdapterError("transient", `could not check whether it was already sent: ${(err as Error).message}`);
        });
        if (found) {
          logger.warn({ delivery: d.dedupeKey, messageId: found }, "delivery was already sent by a worker that stopped before booking it; booked now, not resent");
          messageId = found;
          recovered = true;
        } else {
          await this.d.claims.update(d, { uncertainSince: null });
          d.uncertainSince = null;
        }
      }
      if (!recovered) {
        // Rows planned claimed by this instance were written marked (enqueue's claim): no second write.
        if (!marked && !d.sendingSince) await this.d.marks.sending(d.id, d.claimedBy!, startedAt);
        ({ messageId } = await withTimeout(adapter.send(target, message), this.d.sendTimeoutMs ?? SEND_TIMEOUT_MS));
      }
    } catch (err) {
      const timedOut = err instanceof SendTimeout;
      // No answer (a timeout, a dropped connection): the platform may have it, so the next try looks first.
      const maybeDelivered = timedOut || (err instanceof AdapterError && err.maybeDelivered);
      try {
        stats[await this.failed(d, timedOut ? new AdapterError("transient", err.message) : err, { uncertainSince: maybeDelivered ? startedAt : undefined })]++;
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
      // A poll the chat received may now be answered by replying a number (a question's choices and a
      // complaint's rating were opened when they were offered: src/prompts/store.ts).
      if (message.type === "poll" && !storedWhenOffered(message.pollId) && d.chatId !== null && !recovered) {
        await openPoll(this.d.db, { ref: message.pollId, platform: d.platform, chatId: d.chatId, externalChatId: d.externalChatId, options: message.options, at: sentAt, openMs: this.d.pollOpenMs });
      }
      // Sent and in the history: whoever waits may go on (should the mark below fail, the row is looked up, not resent).
      this.d.outcomes.settle(d.dedupeKey, "sent");
      stats[recovered ? "recovered" : "sent"]++;
      await this.d.marks.sent(d.id, d.claimedBy!, messageId!, sentAt);
    } catch (err) {
      logger.error({ err, delivery: d.dedupeKey, messageId: messageId! }, "delivery sent but not booked; it stays claimed until its lease ends");
    }
  }

  /** Retry later (transient, tries left) or fail with the reason, kept in the partner's history too. */
  async failed(d: Claimed, err: unknown, opts: { retry?: boolean; uncertainSince?: Date } = {}): Promise<"retried" | "failed"> {
    const { log, clock, logger } = this.d;
    const e = err instanceof AdapterError ? err : new AdapterError("transient", (err as Error).message);
    const now = clock.now();
    if (e.code === "rate_limited" && e.retryAfterMs) this.d.limiter.holdUntil(d.platform as Platform, d.externalChatId, now.getTime(), now.getTime() + e.retryAfterMs, PLATFORM_HOLD_MAX_MS);
    const reason = `${e.code}: ${e.message}`.slice(0, 500);
    const uncertain = opts.uncertainSince && !d.uncertainSince ? { uncertainSince: opts.uncertainSince } : {};
    if (opts.retry !== false && e.retryable && d.attempts < MAX_ATTEMPTS) {
      const wait = Math.max(backoffMs(d.attempts, d.priority), e.retryAfterMs ?? 0);
      // A reply waiting for its retry holds its chat's later messages (the second of two answers, the next
      // question's answer), so they do not arrive before it.
      if (d.priority > PRIORITY.outreach) {
        this.d.limiter.holdUntil(d.platform as Platform, d.externalChatId, now.getTime(), now.getTime() + wait, 0);
        this.d.retrying.add(`${d.platform}\u0000${d.externalChatId}`);
      }
      await this.d.claims.update(d, { status: "PENDING", notBefore: new Date(now.getTime() + wait), leaseUntil: null, sendingSince: null, lastError: reason, ...uncertain });
      logger.warn({ delivery: d.dedupeKey, attempt: d.attempts, code: e.code, retryInMs: wait }, "delivery will be retried");
      this.d.outcomes.settle(d.dedupeKey, "queued");
      return "retried";
    }
    await this.d.claims.update(d, { status: "FAILED", leaseUntil: null, sendingSince: null, lastError: reason, ...uncertain });
    const message = JSON.parse(d.message) as OutboundMessage;
    // What the partner did not receive stays in their history, marked, with the reason.
    await log.record({ ...historyRow(d, message), kind: "send_failed", createdAt: now, meta: { ...historyMeta(d, message), error: e.code, reason: e.message } });
    logger.error({ delivery: d.dedupeKey, attempts: d.attempts, code: e.code, reason: e.message }, "delivery failed");
    this.d.outcomes.settle(d.dedupeKey, "failed");
    return "failed";
  }
}

function historyRow(d: Claimed, message: OutboundMessage) {
  return { platform: d.platform, direction: "OUT" as const, text: historyText(message), partnerId: d.partnerId, contactId: d.contactId, chatId: d.chatId, inReplyTo: d.inReplyTo, staffId: d.staffId };
}

function historyMeta(d: Claimed, message: OutboundMessage): Record<string, unknown> {
  return { ...messageMeta(message), delivery: d.dedupeKey, ...(d.inReplyTo ? { inReplyTo: d.inReplyTo } : {}), ...(d.ephemeralTo ? { ephemeral: true } : {}) };
}

/** Real time, for bounding a wait on the platform (not the clock the lanes pace by). */

class SendTimeout extends Error {}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new SendTimeout(`no answer from the platform within ${ms / 1000} s`)), ms);
    timer.unref();
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}
