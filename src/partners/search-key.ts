// What /client matches against: the name as typed, its full pinyin and pinyin initials (杭州云帆 ->
// hangzhouyunfan, hzyf), the city (and its pinyin), region and code, in one lower-case column.
import { pinyin } from "pinyin-pro";
import { matchKey } from "../text/normalize.ts";

const SEP = "|";

/** A text's pinyin syllables (a run of letters or digits is one), lower-case, without spaces. */
function syllablesOf(text: string): string[] {
  return pinyin(text, { toneType: "none", type: "array", nonZh: "consecutive" }).map((s) => s.toLowerCase().replace(/\s+/g, "").replaceAll(SEP, ""));
}

function pinyinOf(text: string): { full: string; initials: string } {
  const initials = pinyin(text, { pattern: "first", toneType: "none", type: "array", nonZh: "consecutive" }).join("").toLowerCase();
  return { full: syllablesOf(text).join(""), initials: initials.replace(/\s+/g, "") };
}

/**
 * Where the syllables of `pinyinField` (a searchKey's full pinyin of `text`) start: hangzhouyunfan -> 0,
 * 4, 8, 11. A pinyin keyword matches from one of these only (hangzhou is not in changzhou). Null when the
 * field was written by another reading of the text (an older pinyin table): then anywhere counts.
 */
export function syllableStarts(text: string, pinyinField: string): Uint16Array | null {
  const syllables = syllablesOf(text);
  const starts = new Uint16Array(syllables.length);
  let at = 0;
  syllables.forEach((s, i) => {
    starts[i] = at;
    at += s.length;
  });
  return syllables.join("") === pinyinField ? starts : null;
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

/**
 * A phone number as digits only, without China's +86 / 0086 and without an extension: "+86 138-0000-0001"
 * -> 13800000001, "0571-8888 1234 转 8001" -> 057188881234 (found by its number and its last four digits).
 */
export function phoneDigits(text: string): string {
  const digits = matchKey(text).split(/转|分机|ext\.?|x|#/i)[0].replace(/\D/g, "");
  return digits.length > 11 && /^(86|0086)/.test(digits) ? digits.replace(/^0{0,2}86/, "") : digits;
}

/** 王总, 李经理: a surname and the rank people call them by. */
export const ADDRESSED = /^(\p{Script=Han})(总|经理|董|董事长|老板|主任|工|主管|老师)$/u;
/** Which 职务 carry each rank a person is called by (王总: a 王 who is 总经理, 董事长, 老板 or 法人). */
const RANKS: Record<string, RegExp> = {
  总: /总|董事长|老板|法人/, 经理: /经理/, 董: /董事/, 董事长: /董事长/, 老板: /老板|总经理|董事长|法人|店长/, 主任: /主任/, 工: /工程师|技术/, 主管: /主管/, 老师: /培训|讲师|老师/,
};

/** The ranks a 职务 answers to (总经理: 总, 经理, 老板), each as `surname + rank` (王总) is looked up. */
export function addressedAs(title: string | null): string[] {
  return title ? Object.keys(RANKS).filter((rank) => RANKS[rank].test(title)) : [];
}

/** The pinyin of a keyword's Chinese characters (杭洲 -> hangzhou), for homophones; null when it has none. */
export function pinyinKey(term: string): string | null {
  if (!/\p{Script=Han}/u.test(term)) return null;
  return pinyinOf(term).full;
}
