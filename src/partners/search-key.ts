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
