// What /client matches against: the name as typed, its full pinyin and pinyin initials (杭州云帆 ->
// hangzhouyunfan, hzyf), the city (and its pinyin), region and code, in one lower-case column.
import { pinyin } from "pinyin-pro";
import { matchKey } from "../text/normalize.ts";

const SEP = "|";

function pinyinOf(text: string): { full: string; initials: string } {
  const full = pinyin(text, { toneType: "none", type: "array", nonZh: "consecutive" }).join("").toLowerCase();
  const initials = pinyin(text, { pattern: "first", toneType: "none", type: "array", nonZh: "consecutive" }).join("").toLowerCase();
  return { full: full.replace(/\s+/g, ""), initials: initials.replace(/\s+/g, "") };
}

export function partnerSearchKey(p: { code: string; name: string; city: string; region?: string | null }): string {
  const name = matchKey(p.name);
  const namePy = pinyinOf(name);
  const city = matchKey(p.city);
  const cityPy = pinyinOf(city);
  return [name, namePy.full, namePy.initials, city, cityPy.full, matchKey(p.region ?? ""), matchKey(p.code)]
    .map((s) => s.replaceAll(SEP, ""))
    .join(SEP);
}

/** The keyword as it is compared with searchKey; never contains the separator. */
export function searchTerm(keyword: string): string {
  return matchKey(keyword).replaceAll(SEP, "");
}

/** What /client matches a contact on: their phone as digits, e-mail, and name (as typed, in pinyin, initials). */
export interface ContactKey {
  phone: string | null;
  email: string | null;
  /** [name, full pinyin, initials]: the name first. */
  nameKeys: string[];
}

export function contactKey(c: { name: string; phone: string | null; email: string | null }): ContactKey {
  const name = matchKey(c.name);
  const py = pinyinOf(name);
  return { phone: c.phone ? phoneDigits(c.phone) : null, email: c.email ? matchKey(c.email) : null, nameKeys: [...new Set([name, py.full, py.initials].filter(Boolean))] };
}

/** A phone number as digits only, without China's +86 / 0086: "+86 138-0000-0001" -> 13800000001. */
export function phoneDigits(text: string): string {
  const digits = matchKey(text).replace(/\D/g, "");
  return digits.length > 11 && /^(86|0086)/.test(digits) ? digits.replace(/^0{0,2}86/, "") : digits;
}

/** The pinyin of a keyword's Chinese characters (杭洲 -> hangzhou), for homophones; null when it has none. */
export function pinyinKey(term: string): string | null {
  if (!/\p{Script=Han}/u.test(term)) return null;
  return pinyinOf(term).full;
}
