// The partners one search found, with the best rank each was found at and why, kept in arrays by partner
// id and reused from search to search: a broad keyword finds thousands, and a Map entry and an object per
// match cost more than the whole rest of the search (`npm run bench -- lookup`). A search fills it without
// waiting on anything, so one instance serves every search in turn.

export class Hits<Why> {
  #generation = 0;
  #stamp = new Uint32Array(0);
  #rank = new Uint8Array(0);
  /** 1: found by the partner's own file too (its name, code, pinyin…), whatever else found it. */
  #byFile = new Uint8Array(0);
  /** New for each search: what it holds dies with the search, young (an array kept from search to search would carry it into the old generation). */
  #why = new Map<number, Why>();
  /** Ids in the order first found. */
  ids: number[] = [];

  /** Empties it for a search over ids up to `maxId`. */
  begin(maxId: number): void {
    if (maxId >= this.#stamp.length) {
      const size = Math.ceil(maxId * 1.5) + 1024;
      this.#stamp = new Uint32Array(size);
      this.#rank = new Uint8Array(size);
      this.#byFile = new Uint8Array(size);
      this.#generation = 0;
    }
    this.#generation++;
    this.ids = [];
    this.#why = new Map();
  }

  /** Found at this rank (lower is better): kept when first, or better than before. */
  add(id: number, rank: number, why?: Why, byFile = false): void {
    if (this.#stamp[id] !== this.#generation) {
      this.#stamp[id] = this.#generation;
      this.#rank[id] = rank;
      if (why) this.#why.set(id, why);
      this.#byFile[id] = byFile ? 1 : 0;
      this.ids.push(id);
      return;
    }
    if (byFile) this.#byFile[id] = 1;
    if (rank < this.#rank[id]) {
      this.#rank[id] = rank;
      if (why) this.#why.set(id, why);
      else this.#why.delete(id);
    }
  }

  has(id: number): boolean {
    return id < this.#stamp.length && this.#stamp[id] === this.#generation;
  }

  rank(id: number): number {
    return this.#rank[id];
  }

  why(id: number): Why | undefined {
    return this.#why.get(id);
  }

  byFile(id: number): boolean {
    return this.#byFile[id] === 1;
  }

  /** How many were found at `rank` or better. */
  atBest(rank: number): number {
    let n = 0;
    for (const id of this.ids) if (this.#rank[id] <= rank) n++;
    return n;
  }
}
