// What the /client index (src/partners/search-index.ts) holds of a partner, what it keeps it under, and how
// a keyword is checked against a file: character pairs and triples, pinyin grams marked where a syllable
// starts, prefixes by field, the postings lists they go in, and the edit distance typos are measured by.

/** What a /client pick list shows of a partner. */
export interface PartnerSummary {
  id: number;
  code: string;
  name: string;
  city: string;
  tier: string;
}

export interface IndexedPartner extends PartnerSummary {
  searchKey: string;
  /** searchKey's fields: [name, full pinyin, initials, city, city pinyin, region, code]. */
  fields: string[];
  /** Where the syllables of the name's and the city's pinyin start (null: anywhere). */
  nameStarts: Uint16Array | null;
  cityStarts: Uint16Array | null;
  /** The tier's place in TIER_ORDER (战略 first), for ordering matches without comparing names. */
  tierRank: number;
  updatedAt: number;
}

export const LETTERS = /^[a-z]+$/;

/** `term` at one of `starts` in `field` (anywhere when starts is null). */
function fromSyllable(field: string, term: string, starts: Uint16Array | null): boolean {
  for (let at = field.indexOf(term); at >= 0; at = field.indexOf(term, at + 1)) if (!starts || starts.includes(at)) return true;
  return false;
}

/**
 * Whether a partner's file holds `term`: anywhere in its name, initials, city, region or code, and in its
 * pinyin from the start of a syllable (hangzhou finds 杭州, not 常州 changzhou; xian finds 西安 xi'an).
 */
export function holds(p: IndexedPartner, term: string, letters = LETTERS.test(term)): boolean {
  if (!letters) return p.searchKey.includes(term);
  // [name, full pinyin, initials, city, city pinyin, region, code]; the likeliest first.
  const f = p.fields;
  return fromSyllable(f[1], term, p.nameStarts) || fromSyllable(f[4], term, p.cityStarts) || f[2].includes(term) || f[0].includes(term) || f[6].includes(term) || f[5].includes(term) || f[3].includes(term);
}

/** The character pairs of a string (a one-character string is its own "pair"). */
function pairsOf(s: string): Set<string> {
  const out = new Set<string>();
  if (s.length === 1) out.add(s);
  for (let i = 0; i + 1 < s.length; i++) out.add(s.slice(i, i + 2));
  return out;
}

/** What a key is indexed under: its pairs and its triples (pinyin letter pairs are too common to narrow much alone). */
function gramsOf(s: string): Set<string> {
  const out = pairsOf(s);
  for (let i = 0; i + 2 < s.length; i++) out.add(s.slice(i, i + 3));
  return out;
}

/** A pinyin gram that starts a syllable (^han in hang·zhou; changzhou has han, not ^han). */
export const AT_SYLLABLE = "^";

/**
 * What a partner is indexed under: the grams of its name, initials, city, region and code (`plain`), and
 * those of its name's and city's pinyin (`pinyin`), with the pairs and triples that start a syllable marked.
 */
export function keyGrams(p: Pick<IndexedPartner, "fields" | "nameStarts" | "cityStarts">): { plain: Set<string>; pinyin: Set<string> } {
  const [name = "", full = "", initials = "", city = "", cityPinyin = "", region = "", code = ""] = p.fields;
  const plain = gramsOf([name, initials, city, region, code].join("|"));
  const pinyin = gramsOf(`${full}|${cityPinyin}`);
  for (const [field, starts] of [[full, p.nameStarts], [cityPinyin, p.cityStarts]] as const) {
    for (const at of starts ?? field.split("").keys()) {
      pinyin.add(AT_SYLLABLE + field.slice(at, at + 2));
      pinyin.add(AT_SYLLABLE + field.slice(at, at + 3));
    }
  }
  return { plain, pinyin };
}

/** What a search term is looked up by: its triples when it has any (the most selective), else its pair or character. */
export function lookupGrams(term: string): Set<string> {
  if (term.length < 3) return pairsOf(term);
  const out = new Set<string>();
  for (let i = 0; i + 2 < term.length; i++) out.add(term.slice(i, i + 3));
  return out;
}

/** Ids in both ascending lists, ascending, once each. */
export function intersect(a: readonly number[], b: readonly number[]): number[] {
  const out: number[] = [];
  for (let i = 0, j = 0; i < a.length && j < b.length; ) {
    if (a[i] < b[j]) i++;
    else if (a[i] > b[j]) j++;
    else {
      if (out[out.length - 1] !== a[i]) out.push(a[i]);
      i++;
      j++;
    }
  }
  return out;
}

/**
 * A multimap kept as ascending arrays: appending is cheap, a list appended out of order is sorted when next
 * read. A key with one id (most long prefixes and grams name one partner) keeps the bare number: an array
 * each would be most of the index's memory.
 */
export class Postings<K> {
  readonly #map = new Map<K, number | number[]>();
  readonly #unsorted = new Set<K>();
  add(key: K, id: number): void {
    const held = this.#map.get(key);
    if (held === undefined) this.#map.set(key, id);
    else if (typeof held === "number") {
      if (held !== id) this.#map.set(key, id < held ? [id, held] : [held, id]);
    } else {
      if (id < held[held.length - 1]) this.#unsorted.add(key);
      held.push(id);
    }
  }
  get(key: K): readonly number[] {
    const held = this.#map.get(key);
    if (held === undefined) return [];
    if (typeof held === "number") return [held];
    if (this.#unsorted.delete(key)) held.sort((x, y) => x - y);
    return held;
  }
  clear(): void {
    this.#map.clear();
    this.#unsorted.clear();
  }
}

/** How long a prefix is indexed: a longer keyword is looked up by its first PREFIX_MAX characters, then checked. */
export const PREFIX_MAX = 8;

/** What a keyword starting a field ranks (src/partners/search.ts): a code 0, a name 1, its pinyin or initials 3. */
export type StartRank = 0 | 1 | 3;
export const START_FIELDS: [string, StartRank][] = [["c", 0], ["n", 1], ["p", 3]];

/** Whether the field `tag` stands for starts with `term`. */
export function startsIn(p: IndexedPartner, tag: string, term: string): boolean {
  const f = p.fields;
  return tag === "c" ? f[6].startsWith(term) : tag === "n" ? f[0].startsWith(term) : f[1].startsWith(term) || f[2].startsWith(term);
}

/** The prefixes a partner starts with, by field: c + code, n + name, p + pinyin and initials. */
export function startsOf(p: Pick<IndexedPartner, "fields">): Set<string> {
  const [name = "", full = "", initials = "", , , , code = ""] = p.fields;
  const out = new Set<string>();
  for (const [tag, field] of [["c", code], ["n", name], ["p", full], ["p", initials]]) {
    for (let n = 1; n <= Math.min(PREFIX_MAX, field.length); n++) out.add(tag + field.slice(0, n));
  }
  return out;
}

/** The words a partner is known by, for typos: its city, and every two Chinese characters of its name. */
export function wordsIn(p: IndexedPartner): string[] {
  const words = [p.fields[3]];
  const han = p.fields[0].replace(/[^\p{Script=Han}]/gu, " ");
  for (const run of han.split(" ")) for (let i = 0; i + 1 < run.length; i++) words.push(run.slice(i, i + 2));
  return words;
}

/** editDistance's rows, reused. */
let rows = new Int32Array(96);

/**
 * Edits between two words (a letter added, dropped, changed, or two neighbours swapped: wuhna is one
 * from wuhan), or more than `max` as soon as it must be.
 */
export function editDistance(a: string, b: string, max: number): number {
  // Three rows (two before this one, for a swap), reused from call to call: a typo is compared with
  // thousands of words, and fresh arrays for each were most of what a search allocated.
  const width = b.length + 1;
  if (rows.length < 3 * width) rows = new Int32Array(6 * width);
  let before = 0;
  let prev = width;
  let cur = 2 * width;
  for (let j = 0; j < width; j++) rows[prev + j] = j;
  for (let i = 1; i <= a.length; i++) {
    rows[cur] = i;
    let low = i;
    for (let j = 1; j < width; j++) {
      let d = Math.min(rows[prev + j] + 1, rows[cur + j - 1] + 1, rows[prev + j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, rows[before + j - 2] + 1);
      rows[cur + j] = d;
      if (d < low) low = d;
    }
    if (low > max) return max + 1;
    [before, prev, cur] = [prev, cur, before];
  }
  return rows[prev + b.length];
}
