// Partners' own wordings, learned when a partner picks an entry from the choices or staff answer with one
// (/answer N --kb ID): a later question worded (nearly) the same way is answered from that entry. They are
// matched only as close repeats and kept out of retrieval: mixed into an entry's question field they made
// it win questions about its neighbours too.
import { comparable } from "./text.ts";

/** Share of character pairs two wordings must have in common (Dice) to be one question asked again. */
export const REPEAT_SIMILARITY = 0.8;

const grams = (s: string): Set<string> => {
  const chars = [...comparable(s)];
  if (chars.length < 2) return new Set(chars);
  const out = new Set<string>();
  for (let i = 0; i + 1 < chars.length; i++) out.add(chars[i] + chars[i + 1]);
  return out;
};

export interface Repeat {
  entryId: string;
  similarity: number;
}

export class Repeats {
  readonly #phrasings: { entryId: string; grams: Set<string> }[] = [];
  /** Character pair -> the phrasings that have it. */
  readonly #byGram = new Map<string, number[]>();

  constructor(entries: { id: string; learned: string[] }[]) {
    for (const e of entries) {
      for (const phrasing of e.learned) {
        const g = grams(phrasing);
        if (!g.size) continue;
        const index = this.#phrasings.push({ entryId: e.id, grams: g }) - 1;
        for (const gram of g) {
          let list = this.#byGram.get(gram);
          if (!list) this.#byGram.set(gram, (list = []));
          list.push(index);
        }
      }
    }
  }

  /** The entry a question repeats, the most similar (the later learned on a tie), or null. */
  match(question: string): Repeat | null {
    if (!this.#phrasings.length) return null;
    const q = grams(question);
    if (!q.size) return null;
    const shared = new Map<number, number>();
    for (const gram of q) for (const i of this.#byGram.get(gram) ?? []) shared.set(i, (shared.get(i) ?? 0) + 1);
    let best: Repeat | null = null;
    for (const [i, n] of shared) {
      const similarity = (2 * n) / (q.size + this.#phrasings[i].grams.size);
      if (similarity >= REPEAT_SIMILARITY && (!best || similarity >= best.similarity)) best = { entryId: this.#phrasings[i].entryId, similarity };
    }
    return best;
  }
}
