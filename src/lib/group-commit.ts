// Group commit: calls that arrive while a write is in flight are written together in the next one.
// The writer answers each item on its own (a value or an Error), so one bad item fails alone.

interface Pending<I, O> {
  item: I;
  resolve(value: O): void;
  reject(err: unknown): void;
}

export class GroupCommit<I, O> {
  /** Units to write: one item, or items added together (addAll), which always share a batch. */
  #queue: Pending<I, O>[][] = [];
  #draining: Promise<void> | null = null;

  constructor(
    private readonly maxBatch: number,
    private readonly write: (batch: I[]) => Promise<(O | Error)[]>,
  ) {}

  add(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => this.#push([{ item, resolve, reject }]));
  }

  /** Items written in the same batch (an event's answers: all planned, or none); each one's result. */
  addAll(items: I[]): Promise<O[]> {
    if (items.length > this.maxBatch) return Promise.reject(new Error(`at most ${this.maxBatch} items go in one batch`));
    const unit = items.map((item) => {
      let p!: Pending<I, O>;
      const promise = new Promise<O>((resolve, reject) => (p = { item, resolve, reject }));
      return { p, promise };
    });
    this.#push(unit.map((u) => u.p));
    return Promise.all(unit.map((u) => u.promise));
  }

  #push(unit: Pending<I, O>[]): void {
    this.#queue.push(unit);
    this.#draining ??= new Promise<void>((done) => setImmediate(done)).then(() => this.#drain());
  }

  /** Resolves when everything added so far is written. */
  async flush(): Promise<void> {
    while (this.#draining) await this.#draining;
  }

  async #drain(): Promise<void> {
    try {
      while (this.#queue.length) {
        const batch: Pending<I, O>[] = [];
        while (this.#queue.length && batch.length + this.#queue[0].length <= this.maxBatch) batch.push(...this.#queue.shift()!);
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
