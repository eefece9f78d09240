// /client lookups: by 客户编号, name fragment, pinyin or pinyin initials, city or region; by a contact's name
// (王强), surname and rank (王总: a 王 whose 职务 is 总-level), phone (full, or the last four digits) or e-mail;
// and, when nothing matches as typed, by sound (杭洲 reads hangzhou, as 杭州 does) or a pinyin typo (hangzou).
import { type IndexedContact, type IndexedPartner, type PartnerSearchIndex, type PartnerSummary } from "./search-index.ts";
import { normalizeText } from "../text/normalize.ts";
import { Hits } from "./hits.ts";
import { ADDRESSED, phoneDigits, pinyinKey, searchTerm } from "./search-key.ts";

export type { PartnerSummary } from "./search-index.ts";

/**
 * A partner found, and when not by its own file's words, by what (联系人 王强（总经理）, 电话尾号 0001);
 * `byFile`: its own file's words found it too (an agent may see it by those, not by its people).
 */
export type FoundPartner = PartnerSummary & { why?: string; byFile?: boolean };

export type PartnerMatch =
  | { kind: "none" }
  | { kind: "one"; partner: FoundPartner }
  /** `more`: over SEARCH_CANDIDATES matched; only the best-ranked of those are listed. */
  | { kind: "many"; partners: FoundPartner[]; more: boolean };

/** How many ranked matches a pick list may draw from; more than this asks for a narrower keyword. */
export const SEARCH_CANDIDATES = 50;

const summary = ({ id, code, name, city, tier }: IndexedPartner): PartnerSummary => ({ id, code, name, city, tier });

/** The worst rank a match by its start gets (a pinyin or initials prefix). */
const STARTS_RANK = 3;

/** Lower ranks first: code, then name, then a contact's exact name, pinyin prefixes, anywhere in the name, city, the rest. */
function rank(term: string, p: IndexedPartner): number {
  const f = p.fields; // [name, full pinyin, initials, city, city pinyin, region, code]
  if (f[6].startsWith(term)) return 0;
  if (f[0].startsWith(term)) return 1;
  if (f[1].startsWith(term) || f[2].startsWith(term)) return 3;
  if (f[0].includes(term)) return 4;
  if (f[3] === term || f[4] === term) return 5;
  return 6;
}

/** How far a pinyin typo may be from the name or city it means: one slip in a short word, two in a long one. */
const typoBudget = (term: string) => (term.length >= 8 ? 2 : 1);

/** Why a partner was found, when not by its own file's words: said only of those shown. */
type Why =
  | { by: "contact"; c: IndexedContact; phone?: string; email?: boolean }
  | { by: "sound" | "typo"; as: string; c?: IndexedContact };

function because(why: Why | undefined, digits: string): string | undefined {
  if (!why) return undefined;
  const person = (c: IndexedContact) => `联系人 ${c.name}${c.title ? `（${c.title}）` : ""}`;
  if (why.by !== "contact") return why.by === "typo" ? `相近拼音「${why.as}」` : why.c ? `${person(why.c)}（按读音）` : `按读音「${why.as}」`;
  if (why.phone) return `${person(why.c)} · 电话${digits.length === 4 ? `尾号 ${digits}` : ` ${why.c.phone}`}`;
  if (why.email) return `${person(why.c)} · ${why.c.email}`;
  return person(why.c);
}

/** One search's matches, reused (src/partners/hits.ts): findPartners fills and reads it without waiting on anything. */
const scratch = new Hits<Why>();

export async function findPartners(index: PartnerSearchIndex, keyword: string): Promise<PartnerMatch> {
  const term = searchTerm(keyword);
  if (!term) return { kind: "none" };
  await index.fresh();
  // From here on nothing is awaited: the scratch hits are this search's alone.
  const byCode = index.byCode(normalizeText(keyword).toUpperCase());
  if (byCode) return { kind: "one", partner: summary(byCode) };

  const found = scratch;
  found.begin(index.maxId);
  const byContacts = (contacts: IndexedContact[], rank: number, why: (c: IndexedContact) => Why) => {
    for (const c of contacts) if (index.partner(c.partnerId)) found.add(c.partnerId, rank, why(c));
  };

  // A phone number (full, or its last four digits) or an e-mail address.
  const digits = phoneDigits(keyword);
  if (/^[\d\s+\-()（）]+((转|分机|ext\.?|x|#)\s*\d+)?$/i.test(normalizeText(keyword)) && (digits.length === 4 || digits.length >= 7)) {
    byContacts(index.contactsByPhone(digits), 2, (c) => ({ by: "contact", c, phone: digits }));
  }
  if (term.includes("@")) byContacts(index.contactsByEmail(term), 2, (c) => ({ by: "contact", c, email: true }));
  // A contact by name (王强, wangqiang), or by surname and rank (王总).
  if (term.length >= 2) byContacts(index.contactsNamed(term), 2, (c) => ({ by: "contact", c }));
  const addressed = ADDRESSED.exec(term);
  if (addressed) byContacts(index.contactsAddressed(addressed[1], addressed[2]), 2, (c) => ({ by: "contact", c }));
  // The partner's own file: name, pinyin, initials, city, region, code. What starts with a word ranks
  // first; when such matches alone fill the list, the rest (the word anywhere in a file) cannot get on it
  // and are not read (xian: 西安's partners, not the thousands with 有限 in their names).
  let restUnread = false;
  // `ranks`: what starting a field ranks (by the field, or one rank for all), and what holding the word elsewhere does.
  const byFile = (word: string, ranks: { start?: number; inside: (p: IndexedPartner) => number }, why?: Why) => {
    index.startingWith(word, (id, fieldRank) => found.add(id, ranks.start ?? fieldRank, why, !why));
    // More than the list holds: then more there are, whatever the rest would add.
    if (found.atBest(ranks.start ?? STARTS_RANK) > SEARCH_CANDIDATES) restUnread = true;
    else for (const p of index.containing(word)) found.add(p.id, ranks.inside(p), why, !why);
  };
  byFile(term, { inside: (p) => rank(term, p) });

  // Nothing as typed: the same sound (杭洲 for 杭州), then a pinyin typo (hangzou); by their starts first too.
  if (!found.ids.length) {
    // Two characters at least: one character's sound (哈: ha) is inside half the names' pinyin.
    const sound = [...term.matchAll(/\p{Script=Han}/gu)].length >= 2 ? pinyinKey(term) : null;
    if (sound && sound !== term) {
      byContacts(index.contactsNamed(sound), 7, (c) => ({ by: "sound", as: sound, c }));
      byFile(sound, { start: 7, inside: () => 8 }, { by: "sound", as: sound });
    }
  }
  if (!found.ids.length && /^[a-z]{5,}$/.test(term)) {
    for (const { word, pinyin } of index.nearWords(term, typoBudget(term))) byFile(word, { start: 9, inside: () => 10 }, { by: "typo", as: pinyin });
  }
  const ids = found.ids;
  if (!ids.length) return { kind: "none" };

  const shown = (id: number): FoundPartner => {
    const p = index.partner(id)!;
    const why = because(found.why(id), digits);
    return why ? { ...summary(p), why, ...(found.byFile(id) ? { byFile: true } : {}) } : summary(p);
  };
  // One match, or one whose whole name is the keyword: that partner.
  const exact = index.named(term).filter((id) => found.has(id));
  const only = exact.length === 1 ? exact[0] : ids.length === 1 ? ids[0] : null;
  if (only !== null) return { kind: "one", partner: shown(only) };
  const before = (a: number, b: number) => found.rank(a) - found.rank(b) || index.tierOf(a) - index.tierOf(b) || index.codeOrder(a) - index.codeOrder(b);
  return { kind: "many", partners: best(ids, SEARCH_CANDIDATES, before).map(shown), more: restUnread || ids.length > SEARCH_CANDIDATES };
}

/** The first `k` of `items` in `order`, without sorting them all (a pinyin fragment can match most partners). */
function best<T>(items: T[], k: number, order: (a: T, b: T) => number): T[] {
  const top: T[] = [];
  for (const item of items) {
    if (top.length === k && order(item, top[k - 1]) >= 0) continue;
    let lo = 0;
    let hi = top.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (order(top[mid], item) <= 0) lo = mid + 1;
      else hi = mid;
    }
    top.splice(lo, 0, item);
    if (top.length > k) top.pop();
  }
  return top;
}
