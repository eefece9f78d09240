// How fast the outbox may send: one interval per platform (the app's limit) and one per chat. Sends are
// spaced evenly rather than burst, which keeps well inside limits that platforms count per second.
import type { Adapter, Platform, RateLimit } from "../../adapters/contract.ts";

export type { RateLimit };

/**
 * Slack: "chat.postMessage ... one message per second per channel, short bursts allowed"
 * (docs.slack.dev/reference/methods/chat.postMessage, Rate limiting); no app-wide figure is published
 * for it, so the app-wide pace is set at 20/s, well under the workspace limits seen in practice.
 * Lark/Feishu: message send is limited to 50 QPS per app and 5 QPS per group shared by its bots
 * (open.feishu.cn, 发送消息 接口频率限制).
 * WeChat (wechaty): no published limit; accounts that send fast get restricted, so slow and jittered,
 * configurable with HUB_WECHAT_PER_MINUTE.
 * Console: local, unlimited.
 */
export const SLACK_LIMIT: RateLimit = { perPlatform: 20, perChat: 1 };
export const LARK_LIMIT: RateLimit = { perPlatform: 50, perChat: 5 };
export const wechatLimit = (perMinute: number): RateLimit => ({ perPlatform: perMinute / 60, perChat: perMinute / 60, jitter: 0.5 });
export const UNLIMITED: RateLimit = { perPlatform: Infinity, perChat: Infinity };

/** Each running adapter's pace, from its capabilities (the one place platform limits are stated). */
export function limitsOf(adapters: Iterable<Adapter>): Record<Platform, RateLimit> {
  const limits = defaultLimits(20);
  for (const a of adapters) limits[a.platform] = a.capabilities.rateLimit;
  return limits;
}

export function defaultLimits(wechatPerMinute: number): Record<Platform, RateLimit> {
  return { slack: SLACK_LIMIT, lark: LARK_LIMIT, wechat: wechatLimit(wechatPerMinute), console: UNLIMITED };
}

/** When each platform and chat may next be sent to, in clock milliseconds. */
export class RateLimiter {
  #platformNext = new Map<Platform, number>();
  #chatNext = new Map<string, number>();

  constructor(
    private readonly limits: Record<Platform, RateLimit>,
    private readonly random: () => number = Math.random,
  ) {}

  /** The earliest time a message to this chat may go. */
  readyAt(platform: Platform, chatId: string): number {
    return Math.max(this.#platformNext.get(platform) ?? 0, this.#chatNext.get(`${platform}\u0000${chatId}`) ?? 0);
  }

  /** Records a send at `now` and spaces the next ones. */
  take(platform: Platform, chatId: string, now: number): void {
    const limit = this.limits[platform];
    const spread = (perSecond: number) => (perSecond === Infinity ? 0 : (1000 / perSecond) * (1 + (limit.jitter ? this.random() * limit.jitter : 0)));
    const key = `${platform}\u0000${chatId}`;
    // Spacing from the later of now and the slot just used keeps the long-run rate exact.
    this.#platformNext.set(platform, Math.max(now, this.#platformNext.get(platform) ?? 0) + spread(limit.perPlatform));
    this.#chatNext.set(key, Math.max(now, this.#chatNext.get(key) ?? 0) + spread(limit.perChat));
  }

  /** The platform asked us to wait (429 Retry-After): hold this chat, and the platform, until then. */
  holdUntil(platform: Platform, chatId: string, until: number): void {
    const key = `${platform}\u0000${chatId}`;
    this.#chatNext.set(key, Math.max(until, this.#chatNext.get(key) ?? 0));
    this.#platformNext.set(platform, Math.max(until, this.#platformNext.get(platform) ?? 0));
  }
}
