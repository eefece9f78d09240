// /client lookups: by 客户编号, name fragment, pinyin or pinyin initials, city or region.
import type { Db } from "../db/client.ts";
import { matchKey, normalizeText } from "../text/normalize.ts";
import { TIER_ORDER, type Tier } from "./fields.ts";
import { searchTerm } from "./search-key.ts";

export interface PartnerSummary {
  id: number;
  code: string;
  name: string;
  city: string;
  tier: string;
}

export type PartnerMatch =
  | { kind: "none" }
  | { kind: "one"; partner: PartnerSummary }
  | { kind: "many"; partners: PartnerSummary[]; total: number };

/** How many candidates are ranked; a keyword matching more than this asks to be narrowed. */
export const SEARCH_CANDIDATES = 50;

const SUMMARY = { id: true, code: true, name: true, city: true, tier: true, searchKey: true } as const;

function rank(term: string, p: PartnerSummary & { searchKey: string }): number {
  const [name, full, initials, city] = p.searchKey.split("|");
  if (p.code.toLowerCase().startsWith(term)) return 0;
  if (name.startsWith(term)) return 1;
  if (full.startsWith(term) || initials.startsWith(term)) return 2;
  if (name.includes(term)) return 3;
  if (city === term) return 4;
  return 5;
}

export async function findPartners(db: Db, keyword: string): Promise<PartnerMatch> {
  const term = searchTerm(keyword);
  if (!term) return { kind: "none" };
  const byCode = await db.partner.findUnique({ where: { code: normalizeText(keyword).toUpperCase() }, select: SUMMARY });
  if (byCode) return { kind: "one", partner: byCode };
  const rows = await db.partner.findMany({ where: { searchKey: { contains: term } }, select: SUMMARY, take: SEARCH_CANDIDATES + 1 });
  if (rows.length === 0) return { kind: "none" };
  const exact = rows.filter((r) => matchKey(r.name) === term);
  if (exact.length === 1) return { kind: "one", partner: exact[0] };
  if (rows.length === 1) return { kind: "one", partner: rows[0] };
  const tierIndex = (t: string) => TIER_ORDER.indexOf(t as Tier);
  rows.sort((a, b) => rank(term, a) - rank(term, b) || tierIndex(a.tier) - tierIndex(b.tier) || a.code.localeCompare(b.code));
  const total = rows.length > SEARCH_CANDIDATES ? await db.partner.count({ where: { searchKey: { contains: term } } }) : rows.length;
  return { kind: "many", partners: rows.slice(0, SEARCH_CANDIDATES), total };
}
