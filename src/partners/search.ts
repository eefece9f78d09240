// /client lookups: by 客户编号, name fragment, pinyin or pinyin initials, city or region; by a contact's name
// (王强), surname and rank (王总: a 王 whose 职务 is 总-level), phone (full, or the last four digits) or e-mail;
// and, when nothing matches as typed, by sound (杭洲 reads hangzhou, as 杭州 does) or a pinyin typo (hangzou).
import type { IndexedContact, IndexedPartner, PartnerSearchIndex, PartnerSummary } from "./search-index.ts";
import { normalizeText } from "../text/normalize.ts";
import { TIER_ORDER, type Tier } from "./fields.ts";
import { phoneDigits, pinyinKey, searchTerm } from "./search-key.ts";

export type { PartnerSummary } from "./search-index.ts";

/** A partner found, and when not by its own file's words, by what (联系人 王强（总经理）, 电话尾号 0001). */
export type FoundPartner = PartnerSummary & { why?: string };

export type PartnerMatch =
  | { kind: "none" }
  | { kind: "one"; partner: FoundPartner }
  /** `more`: over SEARCH_CANDIDATES matched; only the best-ranked of those are listed. */
  | { kind: "many"; partners: FoundPartner[]; more: boolean };

/** How many ranked matches a pick list may draw from; more than this asks for a narrower keyword. */
export const SEARCH_CANDIDATES = 50;

const summary = ({ id, code, name, city, tier }: IndexedPartner): PartnerSummary => ({ id, code, name, city, tier });

/** Lower ranks first: code, then name, then a contact's exact name, pinyin prefixes, anywhere in the name, city, the rest. */
function rank(term: string, p: IndexedPartner): number {
  const [name, full, initials, city] = p.fields;
  if (p.code.toLowerCase().startsWith(term)) return 0;
  if (name.startsWith(term)) return 1;
  if (full.startsWith(term) || initials.startsWith(term)) return 3;
  if (name.includes(term)) return 4;
  if (city === term) return 5;
  return 6;
}

/** 王总, 李经理: a surname and the rank people call them by, as the 职务 that carries it. */
const ADDRESSED = /^(\p{Script=Han})(总|经理|董|董事长|老板|主任|工|主管|老师)$/u;
const RANKS: Record<string, RegExp> = {
  总: /总|董事长|老板|法人/, 经理: /经理/, 董: /董事/, 董事长: /董事长/, 老板: /老板|总经理|董事长|法人|店长/, 主任: /主任/, 工: /工程师|技术/, 主管: /主管/, 老师: /培训|讲师|老师/,
};

/** How far a pinyin typo may be from the name or city it means: one slip in a short word, two in a long one. */
const typoBudget = (term: string) => (term.length >= 8 ? 2 : 1);

export async function findPartners(index: PartnerSearchIndex, keyword: string): Promise<PartnerMatch> {
  const term = searchTerm(keyword);
  if (!term) return { kind: "none" };
  const byCode = await index.byCode(normalizeText(keyword).toUpperCase());
  if (byCode) return { kind: "one", partner: summary(byCode) };

  // Why is said only of the partners shown: a surname can match thousands of contacts.
  const found = new Map<number, { p: IndexedPartner; rank: number; why?: () => string }>();
  const add = (p: IndexedPartner | undefined, r: number, why?: () => string) => {
    const had = p && found.get(p.id);
    if (p && (!had || r < had.rank)) found.set(p.id, { p, rank: r, why });
  };
  const byContacts = (contacts: IndexedContact[], r: number, why: (c: IndexedContact) => string) => {
    for (const c of contacts) add(index.partner(c.partnerId), r, () => why(c));
  };
  const person = (c: IndexedContact) => `联系人 ${c.name}${c.title ? `（${c.title}）` : ""}`;

  // A phone number (full, or its last four digits) or an e-mail address.
  const digits = phoneDigits(keyword);
  if (/^[\d\s+\-()（）]+$/.test(normalizeText(keyword)) && (digits.length === 4 || digits.length >= 7)) {
    byContacts(await index.contactsByPhone(digits), 2, (c) => `${person(c)} · 电话${digits.length === 4 ? `尾号 ${digits}` : ` ${c.phone}`}`);
  }
  if (term.includes("@")) byContacts(await index.contactsByEmail(term), 2, (c) => `${person(c)} · ${c.email}`);
  // A contact by name (王强, wangqiang), or by surname and rank (王总).
  if (term.length >= 2) byContacts(await index.contactsNamed(term), 2, person);
  const addressed = ADDRESSED.exec(term);
  if (addressed) {
    const level = RANKS[addressed[2]];
    byContacts((await index.contactsWithSurname(addressed[1])).filter((c) => c.title && level.test(c.title)), 2, person);
  }
  // The partner's own file: name, pinyin, initials, city, region, code.
  for (const p of await index.containing(term)) add(p, rank(term, p));

  // Nothing as typed: the same sound (杭洲 for 杭州), then a pinyin typo (hangzou).
  if (!found.size) {
    // Two characters at least: one character's sound (哈: ha) is inside half the names' pinyin.
    const sound = [...term.matchAll(/\p{Script=Han}/gu)].length >= 2 ? pinyinKey(term) : null;
    if (sound && sound !== term) {
      for (const p of await index.containing(sound)) add(p, 7, () => `按读音「${sound}」`);
      byContacts(await index.contactsNamed(sound), 7, (c) => `${person(c)}（按读音）`);
    }
  }
  if (!found.size && /^[a-z]{5,}$/.test(term)) {
    for (const { p, near } of await index.approximately(term, typoBudget(term))) add(p, 8, () => `相近拼音「${near}」`);
  }
  if (!found.size) return { kind: "none" };

  const hits = [...found.values()];
  const exact = hits.filter((h) => h.p.fields[0] === term);
  const only = exact.length === 1 ? exact[0] : hits.length === 1 ? hits[0] : null;
  if (only) return { kind: "one", partner: { ...summary(only.p), ...(only.why ? { why: only.why() } : {}) } };
  const tierIndex = (t: string) => TIER_ORDER.indexOf(t as Tier);
  type Hit = (typeof hits)[number];
  const before = (a: Hit, b: Hit) => a.rank - b.rank || tierIndex(a.p.tier) - tierIndex(b.p.tier) || (a.p.code < b.p.code ? -1 : a.p.code > b.p.code ? 1 : 0);
  return {
    kind: "many",
    partners: best(hits, SEARCH_CANDIDATES, before).map((h) => ({ ...summary(h.p), ...(h.why ? { why: h.why() } : {}) })),
    more: hits.length > SEARCH_CANDIDATES,
  };
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
