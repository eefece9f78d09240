// How fast the outbox may send: one interval per platform (the app's limit) and one per chat. Sends are
// spaced evenly rather than burst, which keeps well inside limits that platforms count per second.
import type { Capabilities, Platform, RateLimit } from "../../adapters/contract.ts";

export type { RateLimit };

/** Each platform's pace, from its capabilities (adapters/<platform>/capabilities.ts states it, with its source). */
export function limitsOf(capabilities: Record<Platform, Capabilities>): Record<Platform, RateLimit> {
  return Object.fromEntries(Object.entries(capabilities).map(([p, c]) => [p, c.rateLimit])) as Record<Platform, RateLimit>;
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

  /**
   * Hold this chat until `until` (a 429's Retry-After, a reply waiting for its retry), and the whole platform
   * for at most `platformMs` from `now`: Slack and Lark limit each chat, so one busy chat must not stall the rest.
   */
  holdUntil(platform: Platform, chatId: string, now: number, until: number, platformMs = Infinity): void {
    const key = `${platform}\u0000${chatId}`;
    this.#chatNext.set(key, Math.max(until, this.#chatNext.get(key) ?? 0));
    const platformUntil = Math.min(until, now + platformMs);
    this.#platformNext.set(platform, Math.max(platformUntil, this.#platformNext.get(platform) ?? 0));
  }
}
