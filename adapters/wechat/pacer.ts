// Outbound pacing for WeChat: accounts that send in bursts get restricted, and WeChat publishes no
// safe rate, so every send waits at least minIntervalMs after the previous one, plus random jitter.
export interface PacerOptions {
  minIntervalMs: number;
  jitterMs: number;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  random?: () => number;
}

export class Pacer {
  #next = 0;
  #queue: Promise<void> = Promise.resolve();

  constructor(private readonly opts: PacerOptions) {}

  /** Runs `send` when its turn comes; sends run one at a time, in call order. */
  run<T>(send: () => Promise<T>): Promise<T> {
    const turn = this.#queue.then(async () => {
      const wait = this.#next - this.opts.now();
      if (wait > 0) await this.opts.sleep(wait);
      try {
        return await send();
      } finally {
        const jitter = Math.floor((this.opts.random ?? Math.random)() * this.opts.jitterMs);
        this.#next = this.opts.now() + this.opts.minIntervalMs + jitter;
      }
    });
    this.#queue = turn.then(
      () => undefined,
      () => undefined,
    );
    return turn;
  }
}
