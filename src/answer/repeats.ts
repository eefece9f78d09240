// Partners' own wordings, learned when a partner picks an entry from the choices or staff answer with one
// (/answer N --kb ID): a later question asking the same thing in the same words is answered from that
// entry. "The same words" means the same content words (character pairs and words, grammar such as
// 是/吗/多久 and punctuation, script and spacing aside): 保修期多久呀 repeats 保修期多久, but 退换期 does not
// repeat 保修期, nor K9门锁 X3门锁. They are matched only as such repeats and kept out of retrieval: mixed
// into an entry's question field they pulled questions about its neighbours to it.
import { cleanQuestion, TOKEN_WEIGHTS, tokenize } from "./text.ts";

/** A wording's content words, in one string: equal keys are one question asked again. "" when it has none. */
export function repeatKey(wording: string): string {
  const terms = new Set(tokenize(cleanQuestion(wording), { sounds: false }).filter((t) => t.weight >= TOKEN_WEIGHTS.bigram).map((t) => t.term));
  return [...terms].sort().join("|");
}

export interface Repeat {
  entryId: string;
}

export class Repeats {
  /** Content key -> entry; a key learned for two entries is ambiguous and answers neither. */
  readonly #byKey = new Map<string, string | null>();

  constructor(entries: { id: string; learned: string[] }[]) {
    for (const e of entries) {
      for (const wording of e.learned) {
        const key = repeatKey(wording);
        if (!key) continue;
        const had = this.#byKey.get(key);
        this.#byKey.set(key, had === undefined || had === e.id ? e.id : null);
      }
    }
  }

  /** The entry a question repeats a learned wording of, or null. */
  match(question: string): Repeat | null {
    if (!this.#byKey.size) return null;
    const entryId = this.#byKey.get(repeatKey(question));
    return entryId ? { entryId } : null;
  }
}
