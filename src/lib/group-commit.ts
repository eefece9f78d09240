// Group commit: calls that arrive while a write is in flight are written together in the next one.
// The writer answers each item on its own (a value or an Error), so one bad item fails alone.

interface Pending<I, O> {
  item: I;
  resolve(value: O): void;
  reject(err: unknown): void;
}

export class GroupCommit<I, O> {
  #queue: Pending<I, O>[] = [];
  #draining: Promise<void> | null = null;

  constructor(
    private readonly maxBatch: number,
    private readonly write: (batch: I[]) => Promise<(O | Error)[]>,
  ) {}

  add(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.#queue.push({ item, resolve, reject });
      this.#draining ??= new Promise<void>((done) => setImmediate(done)).then(() => this.#drain());
    });
  }

  /** Resolves when everything added so far is written. */
  async flush(): Promise<void> {
    while (this.#draining) await this.#draining;
  }

  async #drain(): Promise<void> {
    try {
      while (this.#queue.length) {
        const batch = this.#queue.splice(0, this.maxBatch);
        let results: (O | Error)[];
        try {
          results = await this.write(batch.map((p) => p.item));
        } catch (err) {
          for (const p of batch) p.reject(err);
          continue;
        }
        batch.forEach((p, i) => (results[i] instanceof Error ? p.reject(results[i]) : p.resolve(results[i] as O)));
      }
    } finally {
      this.#draining = null;
    }
  }
}
