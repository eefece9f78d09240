// The /client search index, in memory: every partner's searchKey (name, its pinyin and initials, city,
// region, code) under an inverted index of its character pairs and triples, and every contact's name, title, phone
// and e-mail. A lookup intersects its rarest grams' partners and checks only those, instead of scanning all
// (`npm run bench -- lookup` measures it beside the bare LIKE scan).
//
// It stays current across processes and instances: before each search it reads the newest updatedAt of
// partners and of contacts (one index lookup each) and, when one moved, loads only the rows changed since.
// A changed partner is indexed again under its new grams; the grams it left point at it until the next
// full reload (every FULL_RELOAD_MS, which also drops rows removed by hand), and every candidate is checked
// against its current key, so a stale gram never yields a wrong match.
import type { Db } from "../db/client.ts";
import type { Clock } from "../lib/clock.ts";
import { contactKey, pinyinKey, type ContactKey } from "./search-key.ts";

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
}

export interface IndexedContact extends ContactKey {
  id: number;
  partnerId: number;
  name: string;
  title: string | null;
}

export const FULL_RELOAD_MS = 10 * 60_000;

const PARTNER_FIELDS = { id: true, code: true, name: true, city: true, tier: true, searchKey: true, updatedAt: true } as const;
const CONTACT_FIELDS = { id: true, partnerId: true, name: true, title: true, phone: true, email: true, updatedAt: true } as const;

/** The character pairs of a string (a one-character string is its own "pair"). */
export function pairsOf(s: string): Set<string> {
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

/** What a search term is looked up by: its triples when it has any (the most selective), else its pair or character. */
function lookupGrams(term: string): Set<string> {
  if (term.length < 3) return pairsOf(term);
  const out = new Set<string>();
  for (let i = 0; i + 2 < term.length; i++) out.add(term.slice(i, i + 3));
  return out;
}

/** Ids in both ascending lists, ascending, once each. */
function intersect(a: readonly number[], b: readonly number[]): number[] {
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

/** A multimap kept as ascending arrays: appending is cheap, a list appended out of order is sorted when next read. */
class Postings<K> {
  readonly #map = new Map<K, number[]>();
  readonly #unsorted = new Set<K>();
  add(key: K, id: number): void {
    const list = this.#map.get(key);
    if (!list) this.#map.set(key, [id]);
    else {
      if (id < list[list.length - 1]) this.#unsorted.add(key);
      list.push(id);
    }
  }
  get(key: K): readonly number[] {
    const list = this.#map.get(key);
    if (list && this.#unsorted.delete(key)) list.sort((x, y) => x - y);
    return list ?? [];
  }
  clear(): void {
    this.#map.clear();
    this.#unsorted.clear();
  }
}

export class PartnerSearchIndex {
  #byId = new Map<number, IndexedPartner>();
  #byCode = new Map<string, IndexedPartner>();
  /** Character pair or triple of a searchKey -> partner ids (ids of partners whose key once had it). */
  #grams = new Postings<string>();
  #contacts = new Map<number, IndexedContact>();
  #byPhone = new Postings<string>();
  #byPhoneEnd = new Postings<string>();
  #byEmail = new Postings<string>();
  /** Contact name, its pinyin, its initials, and its surname -> contact ids. */
  #byContactName = new Postings<string>();
  #bySurname = new Postings<string>();
  /** Pinyin -> the words (cities, two characters of names) that read so; made when a typo is first looked up. */
  #words: Map<string, Set<string>> | null = null;
  #newest: { partner: number; contact: number } | null = null;
  #loadedAt = 0;
  #refreshing: Promise<void> | null = null;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  async byCode(code: string): Promise<IndexedPartner | undefined> {
    await this.#refresh();
    return this.#byCode.get(code);
  }

  /** Reloads everything on the next search (a partner was removed). */
  reload(): void {
    this.#newest = null;
  }

  partner(id: number): IndexedPartner | undefined {
    return this.#byId.get(id);
  }

  /**
   * Partners whose searchKey holds `term`: the ids in its three rarest grams' postings (ascending, so
   * intersected in one pass each), each checked against its current key.
   */
  async containing(term: string): Promise<IndexedPartner[]> {
    await this.#refresh();
    const lists = [...lookupGrams(term)].map((g) => this.#grams.get(g)).sort((a, b) => a.length - b.length);
    if (!lists.length || !lists[0].length) return [];
    // The three rarest: a pinyin triple alone (ngz) still names thousands.
    let candidates: readonly number[] = lists[0];
    for (const list of lists.slice(1, 3)) candidates = intersect(candidates, list);
    const out: IndexedPartner[] = [];
    let last = -1;
    for (const id of candidates) {
      if (id === last) continue;
      last = id;
      const p = this.#byId.get(id);
      if (p?.searchKey.includes(term)) out.push(p);
    }
    return out;
  }

  /**
   * Partners named or placed by a word within `edits` letters of `term` (hangzou: 杭州, shengda: 申达), and
   * the word's pinyin. The words are the cities and every two characters of the names, in pinyin, collected
   * once per change of the files (a few thousand, compared in well under a millisecond each search).
   */
  async approximately(term: string, edits: number): Promise<{ p: IndexedPartner; near: string }[]> {
    await this.#refresh();
    this.#words ??= wordsOf(this.#byId.values());
    const out: { p: IndexedPartner; near: string }[] = [];
    const seen = new Set<number>();
    for (const [py, words] of this.#words) {
      if (Math.abs(py.length - term.length) > edits || editDistance(term, py, edits) > edits) continue;
      for (const word of words) {
        for (const p of await this.containing(word)) {
          if (seen.has(p.id)) continue;
          seen.add(p.id);
          out.push({ p, near: py });
        }
      }
    }
    return out;
  }

  /** Contacts by full phone number (digits), the last four digits, or e-mail; checked against their current values. */
  async contactsByPhone(digits: string): Promise<IndexedContact[]> {
    await this.#refresh();
    const list = digits.length === 4 ? this.#byPhoneEnd.get(digits) : this.#byPhone.get(digits);
    return this.#current(list, (c) => (digits.length === 4 ? c.phone?.endsWith(digits) : c.phone === digits) ?? false);
  }

  async contactsByEmail(email: string): Promise<IndexedContact[]> {
    await this.#refresh();
    return this.#current(this.#byEmail.get(email), (c) => c.email === email);
  }

  /** Contacts whose name (or its pinyin, or initials) is `key`. */
  async contactsNamed(key: string): Promise<IndexedContact[]> {
    await this.#refresh();
    return this.#current(this.#byContactName.get(key), (c) => c.nameKeys.includes(key));
  }

  /** Contacts whose name starts with this surname (王 in 王总). */
  async contactsWithSurname(surname: string): Promise<IndexedContact[]> {
    await this.#refresh();
    return this.#current(this.#bySurname.get(surname), (c) => c.nameKeys[0]?.startsWith(surname) ?? false);
  }

  #current(ids: readonly number[], still: (c: IndexedContact) => boolean): IndexedContact[] {
    const seen = new Set<number>();
    const out: IndexedContact[] = [];
    for (const id of ids) {
      const c = this.#contacts.get(id);
      if (!c || seen.has(id) || !still(c)) continue;
      seen.add(id);
      out.push(c);
    }
    return out;
  }

  #refresh(): Promise<void> {
    this.#refreshing ??= this.#load().finally(() => (this.#refreshing = null));
    return this.#refreshing;
  }

  async #load(): Promise<void> {
    // ORDER BY updatedAt DESC LIMIT 1 is one step down the updatedAt index (Prisma's aggregate wraps
    // MAX() in a subquery the planner cannot answer from the index).
    const [partnerNewest, contactNewest] = await Promise.all([
      this.db.partner.findFirst({ orderBy: { updatedAt: "desc" }, select: { updatedAt: true } }),
      this.db.contact.findFirst({ orderBy: { updatedAt: "desc" }, select: { updatedAt: true } }),
    ]);
    const newest = { partner: partnerNewest?.updatedAt.getTime() ?? 0, contact: contactNewest?.updatedAt.getTime() ?? 0 };
    const full = this.#newest === null || this.clock.now().getTime() - this.#loadedAt > FULL_RELOAD_MS;
    if (!full && newest.partner === this.#newest!.partner && newest.contact === this.#newest!.contact) return;
    // Rows are stamped when written but seen when their transaction commits, so a long import can
    // commit rows older than the newest we hold: look back a whole reload period, not just to it.
    const since = (t: number) => (full ? undefined : { updatedAt: { gte: new Date(t - FULL_RELOAD_MS) } });
    const partnersMoved = full || newest.partner !== this.#newest!.partner;
    const contactsMoved = full || newest.contact !== this.#newest!.contact;
    const [partners, contacts] = await Promise.all([
      // In id order: postings stay ascending as they are appended.
      partnersMoved ? this.db.partner.findMany({ where: since(this.#newest?.partner ?? 0), select: PARTNER_FIELDS, orderBy: { id: "asc" } }) : [],
      contactsMoved ? this.db.contact.findMany({ where: { unidentified: false, ...since(this.#newest?.contact ?? 0) }, select: CONTACT_FIELDS }) : [],
    ]);
    if (full) {
      for (const m of [this.#byId, this.#byCode, this.#contacts]) m.clear();
      for (const p of [this.#grams, this.#byPhone, this.#byPhoneEnd, this.#byEmail, this.#byContactName, this.#bySurname]) p.clear();
      this.#loadedAt = this.clock.now().getTime();
    }
    if (partners.length) this.#words = null;
    for (const { updatedAt: _u, ...row } of partners) {
      const p: IndexedPartner = { ...row, fields: row.searchKey.split("|") };
      const old = this.#byId.get(p.id);
      if (old) this.#byCode.delete(old.code);
      this.#byId.set(p.id, p);
      this.#byCode.set(p.code, p);
      if (old?.searchKey === p.searchKey) continue;
      const had = old ? gramsOf(old.searchKey) : new Set<string>();
      for (const gram of gramsOf(p.searchKey)) if (!had.has(gram)) this.#grams.add(gram, p.id);
    }
    for (const { updatedAt: _u, ...row } of contacts) {
      const c: IndexedContact = { ...row, ...contactKey(row) };
      this.#contacts.set(c.id, c);
      if (c.phone) {
        this.#byPhone.add(c.phone, c.id);
        this.#byPhoneEnd.add(c.phone.slice(-4), c.id);
      }
      if (c.email) this.#byEmail.add(c.email, c.id);
      for (const k of c.nameKeys) this.#byContactName.add(k, c.id);
      if (c.nameKeys[0]) this.#bySurname.add(c.nameKeys[0].slice(0, 1), c.id);
    }
    this.#newest = newest;
  }
}

/** Pinyin of the words partners are known by: their cities, and every two Chinese characters of their names. */
function wordsOf(partners: Iterable<IndexedPartner>): Map<string, Set<string>> {
  const words = new Set<string>();
  for (const p of partners) {
    words.add(p.fields[3]);
    const han = p.fields[0].replace(/[^\p{Script=Han}]/gu, " ");
    for (const run of han.split(" ")) for (let i = 0; i + 1 < run.length; i++) words.add(run.slice(i, i + 2));
  }
  const out = new Map<string, Set<string>>();
  for (const w of words) {
    const py = pinyinKey(w);
    if (!py || py.length < 4) continue;
    const same = out.get(py);
    if (same) same.add(w);
    else out.set(py, new Set([w]));
  }
  return out;
}

/** Levenshtein distance, or more than `max` as soon as it must be. */
export function editDistance(a: string, b: string, max: number): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let low = i;
    for (let j = 1; j <= b.length; j++) {
      cur.push(Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1)));
      low = Math.min(low, cur[j]);
    }
    if (low > max) return max + 1;
    prev = cur;
  }
  return prev[b.length];
}
