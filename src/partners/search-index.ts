// The /client search index, in memory: every partner's searchKey (name, its pinyin and initials, city,
// region, code) under an inverted index of its character pairs and triples, and every contact's name, title, phone
// and e-mail. A lookup intersects its rarest grams' partners and checks only those, instead of scanning all
// (`npm run bench -- lookup` measures it beside the bare LIKE scan).
//
// It stays current across processes and instances: `fresh()` reads the newest updatedAt of partners and of
// contacts (one raw query, answered from their updatedAt indexes) and, when one moved, loads only the rows
// whose stamp changed. Every lookup after it is synchronous: a search costs one small query, whatever it
// asks. Every COUNT_EVERY_MS the same query counts the rows: fewer than held means some were removed, and
// the index is built again (the only full load after the first). A changed partner is indexed again under
// its new grams; the grams it left still point at it, and every candidate is checked against its current
// key, so a stale gram never yields a wrong match.
import type { Db } from "../db/client.ts";
import { sql } from "../db/sql.ts";
import type { Clock } from "../lib/clock.ts";
import { TIER_ORDER, type Tier } from "./fields.ts";
import { AT_SYLLABLE, editDistance, holds, intersect, keyGrams, LETTERS, lookupGrams, Postings, PREFIX_MAX, START_FIELDS, startsIn, startsOf, wordsIn, type IndexedPartner, type StartRank } from "./search-grams.ts";
import { addressedAs, contactKey, pinyinKey, syllableStarts, type ContactKey } from "./search-key.ts";

export type { IndexedPartner, PartnerSummary } from "./search-grams.ts";

export interface IndexedContact extends ContactKey {
  id: number;
  partnerId: number;
  name: string;
  title: string | null;
  /** The ranks the 职务 answers to (总, 经理…): 王总 finds a 王 among them. */
  ranks: string[];
}

/** How far before the newest stamp held a change is looked for (a transaction's rows commit together, later than stamped). */
const LOOKBACK_MS = 5 * 60_000;
/** How often the row counts are compared with what the index holds (COUNT(*) reads a whole index on PostgreSQL). */
export const COUNT_EVERY_MS = 30_000;
/** Changed rows fetched per query. */
const FETCH_BATCH = 500;

const PARTNER_FIELDS = { id: true, code: true, name: true, city: true, tier: true, searchKey: true, updatedAt: true } as const;
const CONTACT_FIELDS = { id: true, partnerId: true, name: true, title: true, phone: true, email: true, unidentified: true, updatedAt: true } as const;
type PartnerRow = { id: number; code: string; name: string; city: string; tier: string; searchKey: string; updatedAt: Date };
type ContactRow = { id: number; partnerId: number; name: string; title: string | null; phone: string | null; email: string | null; unidentified: boolean; updatedAt: Date };

/** A timestamp as the database hands back an aggregate of one: a Date (PostgreSQL), ISO text or a number (SQLite). */
function epochMs(v: unknown): number {
  if (v === null || v === undefined) return 0;
  if (v instanceof Date) return v.getTime();
  if (typeof v === "number" || typeof v === "bigint") return Number(v);
  const ms = Date.parse(String(v));
  return Number.isNaN(ms) ? 0 : ms;
}

// Partners and contacts are kept in arrays by id (ids are dense): a lookup touches one slot, where a Map of
// 100,000 entries costs a cache miss or two per id, which is most of a broad search's time.
export class PartnerSearchIndex {
  #byId: (IndexedPartner | undefined)[] = [];
  #byCode = new Map<string, IndexedPartner>();
  /** Name (as matched) -> partner ids: a keyword that is a whole name. */
  #byName = new Map<string, number[]>();
  /** Tier rank by partner id, to order matches without reading each partner. */
  #tiers = new Uint8Array(0);
  /** Character pair or triple of a searchKey -> partner ids (ids of partners whose key once had it). */
  #grams = new Postings<string>();
  /** The same for the pinyin fields, and ^ + the pair or triple a syllable starts with. */
  #pinyinGrams = new Postings<string>();
  #contacts: (IndexedContact | undefined)[] = [];
  /** Contacts changed since the last full load: their postings may be stale, so they are checked. */
  #changedContacts = new Set<number>();
  #byPhone = new Postings<string>();
  #byPhoneEnd = new Postings<string>();
  #byEmail = new Postings<string>();
  /** Contact name, its pinyin, its initials -> contact ids. */
  #byContactName = new Postings<string>();
  /** Surname and rank (王总, 李经理) -> contact ids. */
  #byAddress = new Postings<string>();
  /**
   * Prefixes (up to PREFIX_MAX characters) -> partner ids, by field: c+ the code's, n+ the name's, p+ its
   * pinyin's or initials'. Exact for a partner unchanged since the full load: its matches need no reading.
   */
  #starts = new Postings<string>();
  /** Partners changed since the full load: their prefixes may be stale, so they are checked. */
  #changedPartners = new Set<number>();
  /** Each partner's place in code order, by id; rebuilt when a partner comes or its code changes. */
  #codeOrder = new Uint32Array(0);
  #codeOrderStale = true;
  /** Length of a pinyin -> pinyin -> the words (cities, two characters of names) that read so, for typos; grows with each load. */
  #words = new Map<number, Map<string, Set<string>>>();
  /** Every word in #words, and those too short to be one: each is read once. */
  #wordsSeen = new Set<string>();
  #newest: { partner: number; contact: number } | null = null;
  #countedAt = 0;
  #partnerCount = 0;
  /** The updatedAt of every contact row held, unidentified ones too: what changed, and how many there are. */
  #contactStamps = new Map<number, number>();
  #refreshing: Promise<void> | null = null;
  /** reload() was called: the next load builds everything. */
  #stale = false;
  /** That load is already queued behind the one running. */
  #rebuildQueued = false;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  /** Brings the index up to date with the database; the lookups below read what it holds. */
  fresh(): Promise<void> {
    if (this.#refreshing && (!this.#stale || this.#rebuildQueued)) return this.#refreshing;
    // Asked to build again while a load runs: after it, not joined to it (it may predate the removal).
    const run = (): Promise<void> => this.#load().finally(() => this.#refreshing === next && (this.#refreshing = null));
    this.#rebuildQueued = this.#refreshing !== null;
    const next: Promise<void> = this.#refreshing ? this.#refreshing.then(run, run) : run();
    this.#refreshing = next;
    return next;
  }

  /** Builds everything again on the next fresh() (a partner was removed). */
  reload(): void {
    this.#stale = true;
  }

  byCode(code: string): IndexedPartner | undefined {
    return this.#byCode.get(code);
  }

  partner(id: number): IndexedPartner | undefined {
    return this.#byId[id];
  }

  /** The highest partner id held. */
  get maxId(): number {
    return this.#byId.length - 1;
  }

  /** A partner's tier rank (战略 0 … 潜在 3). */
  tierOf(id: number): number {
    return this.#tiers[id];
  }

  /** Partners whose name is exactly `name` (as matched). */
  named(name: string): readonly number[] {
    return this.#byName.get(name) ?? [];
  }

  /**
   * Partners whose file holds `term` (see holds()): the ids in all its grams' postings (ascending, so
   * intersected in one pass each), each checked against its current key. A word of letters is looked up
   * in the pinyin too, from a syllable's start: its first gram marked ^.
   */
  containing(term: string): IndexedPartner[] {
    const grams = [...lookupGrams(term)];
    const letters = LETTERS.test(term);
    const plain = this.#candidates(grams.map((g) => this.#grams.get(g)));
    const inPinyin = letters && term.length >= 2 ? this.#candidates([this.#pinyinGrams.get(AT_SYLLABLE + term.slice(0, 3)), ...grams.map((g) => this.#pinyinGrams.get(g))]) : [];
    const out: IndexedPartner[] = [];
    // Both ascending: merged in one pass, once each.
    for (let i = 0, j = 0, last = -1; i < plain.length || j < inPinyin.length; ) {
      const id = j >= inPinyin.length || (i < plain.length && plain[i] <= inPinyin[j]) ? plain[i++] : inPinyin[j++];
      if (id === last) continue;
      last = id;
      const p = this.#byId[id];
      if (p && holds(p, term, letters)) out.push(p);
    }
    return out;
  }

  /** The ids in every list (rarest first: a pinyin triple alone, ngz, still names thousands). */
  #candidates(lists: (readonly number[])[]): readonly number[] {
    lists.sort((a, b) => a.length - b.length);
    if (!lists.length || !lists[0].length) return [];
    let candidates: readonly number[] = lists[0];
    for (const list of lists.slice(1)) candidates = intersect(candidates, list);
    return candidates;
  }

  /**
   * The words within `edits` of `term` (hangzou: 杭州, shengda: 申达), with their pinyin: the cities and
   * every two characters of the names, read as the files load, kept by the length of their pinyin so only
   * those of a near length are compared (each with an early way out).
   */
  nearWords(term: string, edits: number): { word: string; pinyin: string }[] {
    const out: { word: string; pinyin: string }[] = [];
    for (let length = term.length - edits; length <= term.length + edits; length++) {
      for (const [py, words] of this.#words.get(length) ?? []) {
        if (editDistance(term, py, edits) > edits) continue;
        for (const word of words) out.push({ word, pinyin: py });
      }
    }
    return out;
  }

  /** Contacts by full phone number (digits) or its last four digits; checked against their current values. */
  contactsByPhone(digits: string): IndexedContact[] {
    const list = digits.length === 4 ? this.#byPhoneEnd.get(digits) : this.#byPhone.get(digits);
    return this.#current(list, (c) => (digits.length === 4 ? c.phone?.endsWith(digits) : c.phone === digits) ?? false);
  }

  contactsByEmail(email: string): IndexedContact[] {
    return this.#current(this.#byEmail.get(email), (c) => c.email === email);
  }

  /** Contacts whose name (or its pinyin, or initials) is `key`. */
  contactsNamed(key: string): IndexedContact[] {
    return this.#current(this.#byContactName.get(key), (c) => c.nameKeys.includes(key));
  }

  /** Contacts of this surname whose 职务 carries this rank (王 and 总: a 王 who is 总经理 or 老板). */
  contactsAddressed(surname: string, rank: string): IndexedContact[] {
    return this.#current(this.#byAddress.get(surname + rank), (c) => (c.nameKeys[0]?.startsWith(surname) ?? false) && c.ranks.includes(rank));
  }

  /**
   * Partners whose name, name pinyin, initials or code starts with `term`, each with the rank that field
   * gives: the best-ranked matches, found without reading the rest (xian: 西安's partners, before the
   * thousands of names with 有限 in them), and for a keyword up to PREFIX_MAX long without reading them either.
   */
  startingWith(term: string, visit: (id: number, rank: StartRank) => void): void {
    const exact = term.length <= PREFIX_MAX;
    for (const [tag, rank] of START_FIELDS) {
      for (const id of this.#starts.get(tag + term.slice(0, PREFIX_MAX))) {
        const p = this.#byId[id];
        if (p && ((exact && !this.#changedPartners.has(id)) || startsIn(p, tag, term))) visit(id, rank);
      }
    }
  }

  /** A partner's place in code order (P000001 before P000002), to order matches without reading codes. */
  codeOrder(id: number): number {
    if (this.#codeOrderStale) {
      const ids: number[] = [];
      this.#byId.forEach((p, id) => p && ids.push(id));
      ids.sort((a, b) => (this.#byId[a]!.code < this.#byId[b]!.code ? -1 : 1));
      this.#codeOrder = new Uint32Array(this.#byId.length);
      ids.forEach((id, place) => (this.#codeOrder[id] = place));
      this.#codeOrderStale = false;
    }
    return this.#codeOrder[id];
  }

  /** Reads a partner's words into #words, each new word's pinyin once. */
  #addWords(p: IndexedPartner): void {
    for (const word of wordsIn(p)) {
      if (this.#wordsSeen.has(word)) continue;
      this.#wordsSeen.add(word);
      const py = pinyinKey(word);
      if (!py || py.length < 4) continue;
      let ofLength = this.#words.get(py.length);
      if (!ofLength) this.#words.set(py.length, (ofLength = new Map()));
      const same = ofLength.get(py);
      if (same) same.add(word);
      else ofLength.set(py, new Set([word]));
    }
  }

  #current(ids: readonly number[], still: (c: IndexedContact) => boolean): IndexedContact[] {
    const out: IndexedContact[] = [];
    const changed = this.#changedContacts.size > 0;
    let last = -1;
    for (const id of ids) {
      if (id === last) continue;
      last = id;
      const c = this.#contacts[id];
      if (c && (!changed || !this.#changedContacts.has(id) || still(c))) out.push(c);
    }
    return out;
  }

  async #load(): Promise<void> {
    // Two MAX()es, each one step down an updatedAt index, in one round trip: the whole cost of an
    // unchanged index. Every COUNT_EVERY_MS the row counts come along, to see rows removed.
    const counting = this.clock.now().getTime() - this.#countedAt >= COUNT_EVERY_MS;
    const [row] = await this.db.$queryRaw<{ p: unknown; c: unknown; np: unknown; nc: unknown }[]>`
      SELECT (SELECT MAX("updatedAt") FROM "Partner") AS "p", (SELECT MAX("updatedAt") FROM "Contact") AS "c",
        ${counting ? sql`(SELECT COUNT(*) FROM "Partner")` : sql`NULL`} AS "np", ${counting ? sql`(SELECT COUNT(*) FROM "Contact")` : sql`NULL`} AS "nc"`;
    const newest = { partner: epochMs(row?.p), contact: epochMs(row?.c) };
    if (this.#newest === null || this.#stale) {
      this.#stale = false;
      this.#rebuildQueued = false;
      return this.#loadAll(newest);
    }
    // Counting, the look-back is read even when no stamp moved: a row committed late, stamped before the
    // newest, is seen within COUNT_EVERY_MS.
    if (counting || newest.partner !== this.#newest.partner || newest.contact !== this.#newest.contact) await this.#loadChanged(newest, counting);
    if (!counting) return;
    this.#countedAt = this.clock.now().getTime();
    // Fewer rows than held: some were removed (forgotten); more: some committed after newer ones were
    // read, past the look-back. Either way the index is built again.
    if (Number(row?.np) !== this.#partnerCount || Number(row?.nc) !== this.#contactStamps.size) await this.#loadAll(newest);
  }

  /** Everything, from scratch. */
  async #loadAll(newest: { partner: number; contact: number }): Promise<void> {
    const [partners, contacts] = await Promise.all([
      // In id order: postings stay ascending as they are appended.
      this.db.partner.findMany({ select: PARTNER_FIELDS, orderBy: { id: "asc" } }),
      this.db.contact.findMany({ select: CONTACT_FIELDS, orderBy: { id: "asc" } }),
    ]);
    this.#byId = [];
    this.#partnerCount = 0;
    this.#contacts = [];
    this.#contactStamps.clear();
    this.#byCode.clear();
    this.#byName.clear();
    this.#changedContacts.clear();
    this.#changedPartners.clear();
    this.#words.clear();
    this.#wordsSeen.clear();
    for (const p of [this.#grams, this.#pinyinGrams, this.#starts, this.#byPhone, this.#byPhoneEnd, this.#byEmail, this.#byContactName, this.#byAddress]) p.clear();
    this.#index(partners, contacts, false);
    this.#newest = newest;
    this.#countedAt = this.clock.now().getTime();
  }

  /**
   * The rows changed since the newest held. Rows are stamped when written but seen when their transaction
   * commits, so one can commit after newer rows were read: the look-back reads the stamps of a few minutes
   * before it too, and fetches whole rows only where the stamp is not the one held.
   */
  async #loadChanged(newest: { partner: number; contact: number }, all = false): Promise<void> {
    const held = this.#newest!;
    const since = (t: number) => new Date(t - LOOKBACK_MS);
    const [partnerStamps, contactStamps] = await Promise.all([
      !all && newest.partner === held.partner ? [] : this.db.$queryRaw<{ id: number; updatedAt: Date }[]>`SELECT "id", "updatedAt" FROM "Partner" WHERE "updatedAt" >= ${since(held.partner)}`,
      !all && newest.contact === held.contact ? [] : this.db.$queryRaw<{ id: number; updatedAt: Date }[]>`SELECT "id", "updatedAt" FROM "Contact" WHERE "updatedAt" >= ${since(held.contact)}`,
    ]);
    const partnerIds = partnerStamps.filter((r) => this.#byId[r.id]?.updatedAt !== r.updatedAt.getTime()).map((r) => r.id);
    const contactIds = contactStamps.filter((r) => this.#contactStamps.get(r.id) !== r.updatedAt.getTime()).map((r) => r.id);
    const partners: PartnerRow[] = [];
    const contacts: ContactRow[] = [];
    for (let i = 0; i < partnerIds.length; i += FETCH_BATCH) {
      partners.push(...(await this.db.partner.findMany({ where: { id: { in: partnerIds.slice(i, i + FETCH_BATCH) } }, select: PARTNER_FIELDS, orderBy: { id: "asc" } })));
    }
    for (let i = 0; i < contactIds.length; i += FETCH_BATCH) {
      contacts.push(...(await this.db.contact.findMany({ where: { id: { in: contactIds.slice(i, i + FETCH_BATCH) } }, select: CONTACT_FIELDS, orderBy: { id: "asc" } })));
    }
    this.#index(partners, contacts, true);
    this.#newest = newest;
  }

  #index(partners: PartnerRow[], contacts: ContactRow[], changed: boolean): void {
    const cityStarts = new Map<string, Uint16Array | null>();
    for (const row of partners) {
      // Built field by field: Prisma's rows each have their own shape, and copies of them (a spread) would
      // too, making every lookup's property reads slow (one shape for all is what keeps them fast).
      const fields = row.searchKey.split("|");
      const city = fields[3] ?? "";
      if (!cityStarts.has(city)) cityStarts.set(city, syllableStarts(city, fields[4] ?? ""));
      const p: IndexedPartner = {
        id: row.id, code: row.code, name: row.name, city: row.city, tier: row.tier, searchKey: row.searchKey, fields,
        nameStarts: syllableStarts(fields[0] ?? "", fields[1] ?? ""), cityStarts: cityStarts.get(city)!, tierRank: TIER_ORDER.indexOf(row.tier as Tier), updatedAt: row.updatedAt.getTime(),
      };
      const old = this.#byId[p.id];
      if (changed) this.#changedPartners.add(p.id);
      if (old?.code !== p.code) this.#codeOrderStale = true;
      if (old) {
        // Codes can move between partners in one load: only this partner's entry goes.
        if (this.#byCode.get(old.code)?.id === p.id) this.#byCode.delete(old.code);
        const same = this.#byName.get(old.fields[0]);
        if (same) this.#byName.set(old.fields[0], same.filter((id) => id !== p.id));
      } else this.#partnerCount++;
      this.#byId[p.id] = p;
      this.#byCode.set(p.code, p);
      const same = this.#byName.get(fields[0]);
      if (same) same.push(p.id);
      else this.#byName.set(fields[0], [p.id]);
      if (p.id >= this.#tiers.length) {
        const grown = new Uint8Array(Math.ceil(p.id * 1.5) + 1024);
        grown.set(this.#tiers);
        this.#tiers = grown;
      }
      this.#tiers[p.id] = p.tierRank;
      if (old?.searchKey === p.searchKey) continue;
      const had = old ? keyGrams(old) : null;
      const now = keyGrams(p);
      for (const gram of now.plain) if (!had?.plain.has(gram)) this.#grams.add(gram, p.id);
      for (const gram of now.pinyin) if (!had?.pinyin.has(gram)) this.#pinyinGrams.add(gram, p.id);
      const hadStarts = old ? startsOf(old) : null;
      for (const start of startsOf(p)) if (!hadStarts?.has(start)) this.#starts.add(start, p.id);
      this.#addWords(p);
    }
    for (const row of contacts) {
      this.#contactStamps.set(row.id, row.updatedAt.getTime());
      // Changed: its postings from before may be stale, so they are checked from now on.
      if (changed) this.#changedContacts.add(row.id);
      // An unidentified contact (a stranger's placeholder) is not searched for.
      if (row.unidentified) {
        this.#contacts[row.id] = undefined;
        continue;
      }
      const key = contactKey(row);
      const c: IndexedContact = { id: row.id, partnerId: row.partnerId, name: row.name, title: row.title, phone: key.phone, email: key.email, nameKeys: key.nameKeys, ranks: addressedAs(row.title) };
      this.#contacts[c.id] = c;
      if (c.phone) {
        this.#byPhone.add(c.phone, c.id);
        this.#byPhoneEnd.add(c.phone.slice(-4), c.id);
      }
      if (c.email) this.#byEmail.add(c.email, c.id);
      for (const k of c.nameKeys) this.#byContactName.add(k, c.id);
      const surname = c.nameKeys[0]?.slice(0, 1);
      if (surname) for (const rank of c.ranks) this.#byAddress.add(surname + rank, c.id);
    }
  }

}
