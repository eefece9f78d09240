// /client lookups: by 客户编号, name fragment, pinyin or pinyin initials, city or region.
import type { IndexedPartner, PartnerSearchIndex, PartnerSummary } from "./search-index.ts";
import { normalizeText } from "../text/normalize.ts";
import { TIER_ORDER, type Tier } from "./fields.ts";
import { searchTerm } from "./search-key.ts";

export type { PartnerSummary } from "./search-index.ts";

export type PartnerMatch =
  | { kind: "none" }
  | { kind: "one"; partner: PartnerSummary }
  /** `more`: over SEARCH_CANDIDATES matched; only the best-ranked of those are listed. */
  | { kind: "many"; partners: PartnerSummary[]; more: boolean };

/** How many ranked matches a pick list may draw from; more than this asks for a narrower keyword. */
export const SEARCH_CANDIDATES = 50;

const summary = ({ id, code, name, city, tier }: IndexedPartner): PartnerSummary => ({ id, code, name, city, tier });

/** Lower ranks first: code, then name, then pinyin prefixes, then anywhere in the name, then city. */
function rank(term: string, p: IndexedPartner): number {
  const [name, full, initials, city] = p.searchKey.split("|");
  if (p.code.toLowerCase().startsWith(term)) return 0;
  if (name.startsWith(term)) return 1;
  if (full.startsWith(term) || initials.startsWith(term)) return 2;
  if (name.includes(term)) return 3;
  if (city === term) return 4;
  return 5;
}

/** searchKey's first field is the normalized name. */
const nameKey = (p: IndexedPartner) => p.searchKey.slice(0, p.searchKey.indexOf("|"));

export async function findPartners(index: PartnerSearchIndex, keyword: string): Promise<PartnerMatch> {
  const term = searchTerm(keyword);
  if (!term) return { kind: "none" };
  const byCode = await index.byCode(normalizeText(keyword).toUpperCase());
  if (byCode) return { kind: "one", partner: summary(byCode) };
  const hits: IndexedPartner[] = [];
  for (const p of await index.entries()) if (p.searchKey.includes(term)) hits.push(p);
  if (hits.length === 0) return { kind: "none" };
  const exact = hits.filter((p) => nameKey(p) === term);
  if (exact.length === 1) return { kind: "one", partner: summary(exact[0]) };
  if (hits.length === 1) return { kind: "one", partner: summary(hits[0]) };
  const tierIndex = (t: string) => TIER_ORDER.indexOf(t as Tier);
  const ranked = hits
    .map((p) => ({ p, rank: rank(term, p), tier: tierIndex(p.tier) }))
    .sort((a, b) => a.rank - b.rank || a.tier - b.tier || a.p.code.localeCompare(b.p.code))
    .map((r) => r.p);
  return { kind: "many", partners: ranked.slice(0, SEARCH_CANDIDATES).map(summary), more: hits.length > SEARCH_CANDIDATES };
}
