// Greeting texts per occasion, with the variables people fill in: {称呼} (王总, 李经理), {公司}, {年数},
// {我司}. Operators replace any of them with a JSON file (HUB_GREETING_TEMPLATES).
import { readFileSync } from "node:fs";
import { ConfigError } from "../lib/errors.ts";
import { FESTIVALS, festivalByName, type FestivalCode } from "./calendar.ts";

export type PersonalOccasion = "BIRTHDAY" | "WEDDING";
export type Occasion = FestivalCode | PersonalOccasion | "PARTNERSHIP";

export const OCCASION_NAMES: Record<Occasion, string> = {
  ...(Object.fromEntries(Object.entries(FESTIVALS).map(([code, f]) => [code, f.name])) as Record<FestivalCode, string>),
  BIRTHDAY: "生日",
  WEDDING: "结婚纪念日",
  PARTNERSHIP: "合作周年",
};

export const DEFAULT_TEMPLATES: Record<Occasion, string> = {
  NEW_YEAR: "{称呼}，元旦快乐！新的一年，祝您事业顺利、万事如意，{我司}继续与您携手前行。",
  SPRING_EVE: "{称呼}，除夕快乐！辞旧迎新之际，祝您和家人团圆美满，来年财源广进！",
  SPRING: "{称呼}，新春快乐！感谢您这一年对{我司}的信任与支持，祝您新的一年生意兴隆、阖家幸福！",
  LANTERN: "{称呼}，元宵节快乐！祝您团团圆圆，生意红红火火！",
  // 端午 is wished 安康, not 快乐.
  DRAGON_BOAT: "{称呼}，端午安康！祝您和家人身体健康、生意兴隆。",
  QIXI: "{称呼}，七夕快乐！祝您和家人幸福美满。",
  MID_AUTUMN: "{称呼}，中秋快乐！月圆人团圆，感谢一路同行，祝您阖家幸福、生意兴隆！",
  NATIONAL_DAY: "{称呼}，国庆快乐！祝您假期愉快，生意兴隆！",
  DOUBLE_NINTH: "{称呼}，重阳节快乐！祝您和家中长辈身体健康、福寿安康。",
  WINTER_SOLSTICE: "{称呼}，冬至快乐！天气渐冷，注意添衣保暖，祝您和家人平安顺遂。",
  BIRTHDAY: "{称呼}，祝您生日快乐！愿您身体健康、事事顺心，{我司}全体同事为您送上祝福！",
  WEDDING: "{称呼}，今天是您的结婚纪念日，祝您和爱人幸福美满、白头偕老！",
  PARTNERSHIP: "{公司}的各位伙伴：今天是我们合作 {年数} 周年的日子，感谢一路以来的信任与支持，期待继续携手共赢！",
};

const VARIABLES = ["称呼", "公司", "年数", "我司"] as const;
export type TemplateVars = Partial<Record<(typeof VARIABLES)[number], string>>;

export function occasionByName(name: string): Occasion | undefined {
  const t = name.trim();
  const festival = festivalByName(t);
  if (festival) return festival;
  const found = (Object.entries(OCCASION_NAMES) as [Occasion, string][]).find(([code, n]) => n === t || code === t.toUpperCase());
  if (found) return found[0];
  if (/^(生日|生辰)$/.test(t)) return "BIRTHDAY";
  if (/^(结婚|結婚)(纪念日|紀念日)?$/.test(t)) return "WEDDING";
  if (/^合作(周年|週年|纪念日)$/.test(t)) return "PARTNERSHIP";
  return undefined;
}

/** Fills {变量}; an unknown one is an error in the template, not something to send. */
export function fill(template: string, vars: TemplateVars): string {
  return template.replace(/\{([^{}]+)\}/g, (whole, name: string) => {
    if (!(VARIABLES as readonly string[]).includes(name)) throw new Error(`unknown template variable ${whole}`);
    return vars[name as keyof TemplateVars] ?? "";
  });
}

/**
 * The built-in templates with a JSON file's replacements ({"春节": "…", "生日": "…"}). A file that
 * cannot be used is a ConfigError naming HUB_GREETING_TEMPLATES.
 */
export function loadTemplates(file: string | undefined): Record<Occasion, string> {
  const templates = { ...DEFAULT_TEMPLATES };
  if (!file) return templates;
  const bad = (problem: string) => new ConfigError([`HUB_GREETING_TEMPLATES: ${problem}`]);
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, "utf8"));
  } catch (err) {
    const why = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
    throw bad(`cannot read ${file} as JSON (${why})`);
  }
  if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) throw bad(`${file} must hold an object such as {"春节": "…"}`);
  for (const [name, text] of Object.entries(parsed)) {
    const occasion = occasionByName(name);
    if (!occasion) throw bad(`unknown occasion "${name}" (use ${Object.values(OCCASION_NAMES).join(", ")})`);
    if (typeof text !== "string" || !text.trim()) throw bad(`"${name}" must be a non-empty text`);
    try {
      fill(text, {}); // unknown variables are reported now, not on the festival morning
    } catch (err) {
      throw bad(`"${name}": ${(err as Error).message} (known: ${VARIABLES.map((v) => `{${v}}`).join(" ")})`);
    }
    templates[occasion] = text;
  }
  return templates;
}

const COMPOUND_SURNAMES = ["欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "令狐", "夏侯", "端木", "司徒", "申屠"];

/** How a Chinese business letter addresses someone: 王总, 李经理, else the full name. */
export function salutation(name: string, title: string | null): string {
  const n = name.trim();
  if (!/^[\u4e00-\u9fff]{2,4}$/.test(n)) return n;
  const surname = COMPOUND_SURNAMES.find((s) => n.startsWith(s) && n.length > s.length) ?? n[0];
  const t = title ?? "";
  if (/董事长|总经理|总裁|总监|老板|^总$|总$/.test(t)) return `${surname}总`;
  if (/经理/.test(t)) return `${surname}经理`;
  if (/主任/.test(t)) return `${surname}主任`;
  if (/店长/.test(t)) return `${surname}店长`;
  return n;
}

/** One group message for several people: 王总、李经理; many: the company's 各位伙伴. */
export function groupSalutation(names: string[], company: string): string {
  if (names.length === 0 || names.length > 3) return `${company}的各位伙伴`;
  return names.join("、");
}

const HHMM = /^([01]?\d|2[0-3]):[0-5]\d$/;

/** HUB_GREETING_TIME: "09:00", or with occasions of their own: "09:00,除夕=18:00,生日=10:00". */
export function parseSendTimes(text: string): { sendTime: string; sendTimes: Partial<Record<Occasion, string>> } {
  const [first, ...rest] = text.split(/[,，]/).map((t) => t.trim()).filter(Boolean);
  if (!first || !HHMM.test(first)) throw new Error(`must start with a time like 09:00, got ${text}`);
  const sendTimes: Partial<Record<Occasion, string>> = {};
  for (const part of rest) {
    const m = /^(.+?)[=＝](.+)$/.exec(part);
    const occasion = m && occasionByName(m[1]);
    if (!m || !occasion || !HHMM.test(m[2].trim())) throw new Error(`"${part}" must look like 除夕=18:00 (a known occasion and a time)`);
    sendTimes[occasion] = m[2].trim().padStart(5, "0");
  }
  return { sendTime: first.padStart(5, "0"), sendTimes };
}
