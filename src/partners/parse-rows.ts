// Turns a client-file spreadsheet into partner records, or into the full list of what is wrong with
// it. Nothing here touches the database: an import either has every row right or writes nothing.
import { ImportError, type RowProblem } from "../lib/errors.ts";
import { normalizeText } from "../text/normalize.ts";
import { encodeAnnualDate, parseAnnualDate } from "./annual-date.ts";
import { COLUMNS, RELATIONSHIPS, TIERS, codeOf, type Column, type ColumnKey, type Relationship, type Tier } from "./fields.ts";
import { BadCell, type CellValue } from "./cell.ts";
import type { Sheet } from "./sheet.ts";

export interface ContactRecord {
  name: string;
  title: string | null;
  phone: string | null;
  email: string | null;
  birthday: string | null;
  wedding: string | null;
}

/** Null means the file left it blank: a new partner gets the default, an existing one keeps its value. */
export interface PartnerRecord {
  code: string;
  name: string;
  city: string;
  region: string | null;
  address: string | null;
  industry: string | null;
  size: string | null;
  creditLimit: number | null;
  tier: Tier;
  relationship: Relationship | null;
  isKeyAccount: boolean | null;
  contactEveryDays: number | null;
  ownerName: string | null;
  partnerSince: Date | null;
  notes: string | null;
  /** 标签, as written. */
  tags: string | null;
  /** IANA zone for partners outside the hub's zone. */
  timeZone: string | null;
  contacts: ContactRecord[];
  /** First spreadsheet row of this partner, for messages. */
  row: number;
}

const headerKey = (h: string) => normalizeText(h).replace(/[（(]/g, "(").replace(/[）)]/g, ")").replace(/\s+/g, "").toLowerCase();

/** A header row: names 客户编号 and at least one other known column. */
export function looksLikeHeader(cells: CellValue[]): boolean {
  const known = new Set(COLUMNS.flatMap((c) => [c.header, ...(c.aliases ?? [])].map((h) => [headerKey(h), c.key] as const)).map(([h]) => h));
  const keys = cells.filter((c): c is string => typeof c === "string").map(headerKey);
  const code = COLUMNS.find((c) => c.key === "code")!;
  const codeNames = [code.header, ...(code.aliases ?? [])].map(headerKey);
  return keys.some((k) => codeNames.includes(k)) && keys.filter((k) => known.has(k)).length >= 2;
}

/** Excel's day numbers (a date cell formatted as 常规 shows 44270): 1 = 1900-01-01, with Excel's 1900 leap-year bug. */
function excelSerialDate(n: number): Date | undefined {
  if (!Number.isFinite(n) || n < 20_000 || n > 80_000) return undefined; // 1954 .. 2119
  return new Date(Date.UTC(1899, 11, 30) + Math.round(n) * 86_400_000);
}

/** Maps each spreadsheet column to a field, or reports unknown, duplicate and missing headers. */
export function mapHeaders(headers: string[]): (Column | null)[] {
  const byName = new Map<string, Column>();
  for (const c of COLUMNS) for (const h of [c.header, ...(c.aliases ?? [])]) byName.set(headerKey(h), c);
  const problems: RowProblem[] = [];
  const seen = new Set<ColumnKey>();
  const mapped = headers.map((h) => {
    if (!h.trim()) return null; // an unnamed, empty column is harmless
    const col = byName.get(headerKey(h));
    if (!col) {
      problems.push({ row: 0, column: h, reason: "无法识别的列名" });
      return null;
    }
    if (seen.has(col.key)) problems.push({ row: 0, column: h, reason: `与另一列重复（都表示「${col.header}」）` });
    seen.add(col.key);
    return col;
  });
  for (const c of COLUMNS) {
    if (c.required && !seen.has(c.key)) problems.push({ row: 0, column: c.header, reason: "缺少必填列" });
  }
  if (problems.length) {
    const known = COLUMNS.map((c) => c.header).join("、");
    throw new ImportError(problems, "表头有误，未写入任何数据", `可以使用的列名：${known}。`);
  }
  return mapped;
}

const text = (v: CellValue): string | null => {
  if (v === null) return null;
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  const s = String(v).trim();
  return s === "" ? null : s;
};

function parseDay(v: CellValue): Date | undefined {
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? undefined : v;
  if (typeof v === "number") return excelSerialDate(v);
  const d = parseAnnualDate(String(v));
  if (!d || d.calendar !== "solar" || d.year === undefined) return undefined;
  return new Date(Date.UTC(d.year, d.month - 1, d.day));
}

type Fields = Partial<Record<ColumnKey, unknown>>;

/** Parses one cell; returns the value or pushes a problem. */
function parseCell(key: ColumnKey, raw: CellValue, problem: (reason: string) => void): unknown {
  if (raw instanceof BadCell) {
    problem(raw.reason);
    return undefined;
  }
  const t = text(raw);
  if (t === null) return null;
  switch (key) {
    case "tier": {
      const code = codeOf(TIERS, normalizeText(t));
      if (!code) problem(`客户等级「${t}」无效，应为 战略/重点/一般/潜在 之一`);
      return code;
    }
    case "relationship": {
      const code = codeOf(RELATIONSHIPS, normalizeText(t));
      if (!code) problem(`关系层级「${t}」无效，应为 买卖/供应/合作伙伴/战略联盟 之一`);
      return code;
    }
    case "isKeyAccount": {
      const v = normalizeText(t).toLowerCase();
      if (["是", "y", "yes", "true", "1", "√"].includes(v)) return true;
      if (["否", "n", "no", "false", "0", "×"].includes(v)) return false;
      problem(`「${t}」无效，请填 是 或 否`);
      return undefined;
    }
    case "creditLimit": {
      const n = typeof raw === "number" ? raw : Number(normalizeText(t).replace(/[,，¥￥元\s]/g, ""));
      const wan = /万/.test(t) ? Number(normalizeText(t).replace(/[,，¥￥元万\s]/g, "")) * 10_000 : n;
      if (!Number.isFinite(wan) || wan < 0) problem(`信用额度「${t}」不是有效金额`);
      return wan;
    }
    case "contactEveryDays": {
      const n = typeof raw === "number" ? raw : Number(normalizeText(t).replace(/天$/, ""));
      if (!Number.isInteger(n) || n <= 0 || n > 3650) problem(`联系频率「${t}」应为 1 到 3650 之间的整数天数`);
      return n;
    }
    case "partnerSince": {
      const d = parseDay(raw);
      if (!d) problem(`日期「${t}」无法识别，请写成 2021-03-15 这样的格式`);
      return d;
    }
    case "birthday":
    case "wedding": {
      const serial = typeof raw === "number" ? excelSerialDate(raw) : undefined;
      const d = parseAnnualDate(raw instanceof Date ? raw : (serial ?? t));
      if (!d) problem(`日期「${t}」无法识别，公历写 1978-05-12 或 5月12日，农历写 农历三月初八`);
      return d && encodeAnnualDate(d);
    }
    case "timeZone": {
      try {
        new Intl.DateTimeFormat("en", { timeZone: t });
      } catch {
        problem(`时区「${t}」无效，请写成 Asia/Shanghai、America/Los_Angeles 这样的时区名`);
      }
      return t;
    }
    case "email": {
      if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(t)) problem(`邮箱「${t}」格式不正确`);
      return t;
    }
    case "phone": {
      const v = normalizeText(t).replace(/[\s-]/g, "");
      if (!/^\+?[\d()]{5,20}(转\d+)?$/.test(v)) problem(`电话「${t}」格式不正确`);
      return t;
    }
    case "code": {
      // A code is typed as one word in commands (/client HZ001 20): a space would split it.
      const code = normalizeText(t).toUpperCase();
      if (/\s/.test(code)) problem(`客户编号「${t}」不能包含空格`);
      return code;
    }
    default:
      // Kept as written (Traditional stays Traditional); matching normalizes its own copy.
      return t;
  }
}

const PARTNER_KEYS = COLUMNS.filter((c) => c.scope === "partner").map((c) => c.key);
const CONTACT_KEYS = COLUMNS.filter((c) => c.scope === "contact" && c.key !== "contactName").map((c) => c.key);

const headerOf = (key: ColumnKey) => COLUMNS.find((c) => c.key === key)!.header;
const same = (a: unknown, b: unknown) => (a instanceof Date && b instanceof Date ? a.getTime() === b.getTime() : a === b);

export function parsePartnerRows(sheet: Sheet): PartnerRecord[] {
  const columns = mapHeaders(sheet.headers);
  if (sheet.rows.length === 0) throw new ImportError([], "文件里没有数据行，未写入任何数据");
  const problems: RowProblem[] = [];
  const partners = new Map<string, { fields: Fields; row: number; contacts: ContactRecord[] }>();

  const unnamed = new Set<number>();
  for (const { rowNumber, cells } of sheet.rows) {
    cells.forEach((c, i) => {
      if (c !== null && !columns[i] && !unnamed.has(i)) {
        unnamed.add(i);
        problems.push({ row: rowNumber, column: `第 ${i + 1} 列`, reason: "这一列没有列名，但有数据；请补上列名或删掉这一列" });
      }
    });
    const fields: Fields = {};
    let rowOk = true;
    columns.forEach((col, i) => {
      if (!col) return;
      const value = parseCell(col.key, cells[i] ?? null, (reason) => {
        rowOk = false;
        problems.push({ row: rowNumber, column: col.header, reason });
      });
      if (value !== null && value !== undefined) fields[col.key] = value;
    });
    if (!fields.code) {
      const reported = problems.some((p) => p.row === rowNumber && p.column === "客户编号");
      if (!reported) problems.push({ row: rowNumber, column: "客户编号", reason: "必填，不能为空" });
      continue;
    }
    const code = fields.code as string;
    const known = partners.get(code);
    if (!known) {
      partners.set(code, { fields, row: rowNumber, contacts: [] });
    } else {
      // Blank partner cells on a later row mean "same as above"; filled ones must agree.
      for (const key of PARTNER_KEYS) {
        if (fields[key] === undefined) continue;
        if (known.fields[key] === undefined) known.fields[key] = fields[key];
        else if (!same(known.fields[key], fields[key])) {
          problems.push({ row: rowNumber, column: headerOf(key), reason: `与第 ${known.row} 行同一客户编号 ${code} 的值不一致` });
          rowOk = false;
        }
      }
    }
    const entry = partners.get(code)!;
    if (fields.contactName) {
      const name = fields.contactName as string;
      if (entry.contacts.some((c) => c.name === name)) {
        problems.push({ row: rowNumber, column: "联系人", reason: `客户 ${code} 的联系人「${name}」重复出现` });
      } else if (rowOk) {
        entry.contacts.push({
          name,
          title: (fields.contactTitle as string) ?? null,
          phone: (fields.phone as string) ?? null,
          email: (fields.email as string) ?? null,
          birthday: (fields.birthday as string) ?? null,
          wedding: (fields.wedding as string) ?? null,
        });
      }
    } else if (CONTACT_KEYS.some((k) => fields[k] !== undefined)) {
      problems.push({ row: rowNumber, column: "联系人", reason: "填写了联系人信息但缺少联系人姓名" });
    }
  }
  for (const [code, { fields, row }] of partners) {
    for (const key of ["name", "city", "tier"] as const) {
      const header = headerOf(key);
      const reported = problems.some((p) => p.column === header && p.row === row);
      if (fields[key] === undefined && !reported) {
        problems.push({ row, column: header, reason: `客户 ${code} 的必填项，不能为空` });
      }
    }
  }
  if (problems.length) throw new ImportError(problems);

  return [...partners.entries()].map(([code, { fields: f, row, contacts }]) => ({
    code,
    name: f.name as string,
    city: f.city as string,
    region: (f.region as string) ?? null,
    address: (f.address as string) ?? null,
    industry: (f.industry as string) ?? null,
    size: (f.size as string) ?? null,
    creditLimit: (f.creditLimit as number) ?? null,
    tier: f.tier as Tier,
    relationship: (f.relationship as Relationship) ?? null,
    isKeyAccount: (f.isKeyAccount as boolean) ?? null,
    contactEveryDays: (f.contactEveryDays as number) ?? null,
    ownerName: (f.ownerName as string) ?? null,
    partnerSince: (f.partnerSince as Date) ?? null,
    notes: (f.notes as string) ?? null,
    tags: (f.tags as string) ?? null,
    timeZone: (f.timeZone as string) ?? null,
    contacts,
    row,
  }));
}
