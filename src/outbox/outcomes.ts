// What became of a delivery, for a caller that waits for it (a reply, /answer): the worker settles each
// delivery's waiters when it is sent, fails, or goes back to wait (a retry, quiet hours, a stop).
export type Outcome = "sent" | "queued" | "failed";

export class Outcomes {
  readonly #waiting = new Map<string, { resolve(o: Outcome): void; until: number }[]>();
  /** One sweep a second for waiters past their time (cheaper than a timer per waiter at thousands a second). */
  #sweeper: NodeJS.Timeout | null = null;

  /**
   * Resolves with the delivery's next outcome on this instance, or "queued" after `timeoutMs` (another
   * instance may be sending this platform: the row is safe in the database either way).
   */
  next(dedupeKey: string, timeoutMs: number): Promise<Outcome> {
    return new Promise((resolve) => {
      const list = this.#waiting.get(dedupeKey) ?? [];
      list.push({ resolve, until: Date.now() + timeoutMs });
      this.#waiting.set(dedupeKey, list);
      if (!this.#sweeper) {
        this.#sweeper = setInterval(() => this.#sweep(), SWEEP_MS);
        this.#sweeper.unref();
      }
    });
  }

  settle(dedupeKey: string, outcome: Outcome): void {
    const list = this.#waiting.get(dedupeKey);
    if (!list) return;
    this.#waiting.delete(dedupeKey);
    for (const w of list) w.resolve(outcome);
  }

  /** The worker stops: nobody waits on it any more; what was pending stays queued in the database. */
  settleAll(outcome: Outcome): void {
    for (const key of [...this.#waiting.keys()]) this.settle(key, outcome);
  }

  #sweep(): void {
    const now = Date.now();
    for (const [key, list] of this.#waiting) {
      const left = list.filter((w) => (w.until <= now ? (w.resolve("queued"), false) : true));
      if (left.length) this.#waiting.set(key, left);
      else this.#waiting.delete(key);
    }
    if (!this.#waiting.size && this.#sweeper) {
      clearInterval(this.#sweeper);
      this.#sweeper = null;
    }
  }
}

const SWEEP_MS = 1_000;
