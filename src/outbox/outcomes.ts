// What became of a delivery, for a caller that waits for it (a reply, /answer): the worker settles each
// delivery's waiters when it is sent, fails, or goes back to wait (a retry, quiet hours, a stop).
export type Outcome = "sent" | "queued" | "failed";

export class Outcomes {
  readonly #waiting = new Map<string, ((o: Outcome) => void)[]>();

  /**
   * Resolves with the delivery's next outcome on this instance, or "queued" after `timeoutMs` (another
   * instance may be sending this platform: the row is safe in the database either way).
   */
  next(dedupeKey: string, timeoutMs: number): Promise<Outcome> {
    return new Promise((resolve) => {
      const done = (o: Outcome) => {
        clearTimeout(timer);
        resolve(o);
      };
      const timer = setTimeout(() => {
        const left = this.#waiting.get(dedupeKey)?.filter((r) => r !== done);
        if (left?.length) this.#waiting.set(dedupeKey, left);
        else this.#waiting.delete(dedupeKey);
        resolve("queued");
      }, timeoutMs);
      timer.unref();
      const list = this.#waiting.get(dedupeKey);
      if (list) list.push(done);
      else this.#waiting.set(dedupeKey, [done]);
    });
  }

  settle(dedupeKey: string, outcome: Outcome): void {
    const list = this.#waiting.get(dedupeKey);
    if (!list) return;
    this.#waiting.delete(dedupeKey);
    for (const resolve of list) resolve(outcome);
  }

  /** The worker stops: nobody waits on it any more; what was pending stays queued in the database. */
  settleAll(outcome: Outcome): void {
    for (const key of [...this.#waiting.keys()]) this.settle(key, outcome);
  }

}

/** A promise resolved from outside: a stop, a wake-up. */
export function signal(): { promise: Promise<void>; resolve(): void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

export class SendTimeout extends Error {}

export function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new SendTimeout(`no answer from the platform within ${ms / 1000} s`)), ms);
    timer.unref();
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}
