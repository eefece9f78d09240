// partner-hub kb import FILE: JSON ([{id, question, answer, tags}]), CSV (Chinese or English headers)
// or Markdown Q&A ("## 问题" headings, the answer below). All entries are checked before any is
// written; ids are kept.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import type { Db } from "../db/client.ts";
import { ImportError, UserError, type RowProblem } from "../lib/errors.ts";
import { unescapeCsvCell } from "../lib/csv-cells.ts";
import { BadCell, readCell } from "../partners/cell.ts";
import { IMPORT_CHUNK_PAUSE_MS } from "../partners/store.ts";
import { csvError, decodeCsvBytes } from "../partners/sheet.ts";
import { parse } from "csv-parse/sync";

export interface KbInput {
  id: string;
  question: string;
  answer: string;
  tags: string[];
  /** Absent when the file has no such field: those the entry has are then kept. */
  variants?: string[];
  /** Partners' wordings learned in chat (picks, /answer --kb); absent: those learned are kept. */
  learned?: string[];
  source: string;
  trainingUrl: string | null;
  /** Where it came from in the file (row, entry or line number), for messages. */
  at: number;
}

const SOURCES = ["faq", "training", "staff"];
/** The columns and keys kb export writes, which import reads back. */
export const KB_COLUMNS = { id: "编号", question: "问题", variants: "相似问法", answer: "答案", tags: "标签", source: "来源", trainingUrl: "培训链接", learned: "学到的问法" } as const;
/** A field as text: a JSON object or an exceljs-shaped value ({richText}, {formula, result}) is read as
 * its value, or reported; String() of an object would store "[object Object]". */
function textOf(v: unknown, report: (reason: string) => void): string {
  const cell = readCell(v);
  if (cell instanceof BadCell) {
    report(typeof v === "object" && v !== null && !("formula" in v || "error" in v) ? "应当是文字，而不是一个对象或列表" : cell.reason);
    return "";
  }
  if (cell === null) return "";
  return cell instanceof Date ? cell.toISOString().slice(0, 10) : String(cell).trim();
}

function fromObject(o: Record<string, unknown>, at: number, problems: RowProblem[]): KbInput | null {
  const before = problems.length;
  const field = (column: string, ...keys: string[]) => {
    const key = keys.find((k) => o[k] !== undefined && o[k] !== null && !(typeof o[k] === "string" && (o[k] as string).trim() === ""));
    return key === undefined ? "" : textOf(o[key], (reason) => problems.push({ row: at, column, reason }));
  };
  const items = (column: string, v: unknown, split: RegExp): string[] =>
    (Array.isArray(v) ? v : typeof v === "string" ? v.split(split) : v === undefined || v === null ? [] : [v])
      .map((x) => textOf(x, (reason) => problems.push({ row: at, column, reason })))
      .filter(Boolean);
  const id = field("id", "id", "编号", "ID");
  const question = field("question", "question", "问题");
  const answer = field("answer", "answer", "答案", "回答");
  const source = (field("source", "source", "来源") || "faq").toLowerCase();
  const url = field("trainingUrl", "trainingUrl", "培训链接");
  const tags = items("tags", o.tags ?? o["标签"], /[、,，;；|]/);
  // Phrasings hold commas (客人买回去就坏了，能退吗): one per line, or split by ；or |.
  const list = (column: "variants" | "learned") => {
    const key = [column, KB_COLUMNS[column]].find((k) => k in o);
    return key === undefined ? undefined : items(column, o[key], /\r?\n|[|｜；;]/);
  };
  const phrasings = list("variants");
  const learned = list("learned");
  if (problems.length > before) return null;
  if (!id) problems.push({ row: at, column: "id", reason: "缺少编号" });
  else if (!/^[\w.-]{1,64}$/.test(id)) problems.push({ row: at, column: "id", reason: `编号「${id}」只能包含字母、数字、-、_ 和 .` });
  if (!question) problems.push({ row: at, column: "question", reason: "缺少问题" });
  if (!answer) problems.push({ row: at, column: "answer", reason: "缺少答案" });
  if (!SOURCES.includes(source)) problems.push({ row: at, column: "source", reason: `来源「${source}」无效，应为 ${SOURCES.join("/")}` });
  if (problems.length > before) return null;
  return { id, question, answer, tags, variants: phrasings, learned, source, trainingUrl: url || null, at };
}

function parseMarkdown(text: string, problems: RowProblem[]): KbInput[] {
  const out: KbInput[] = [];
  const lines = text.split(/\r?\n/);
  let current: { id: string; question: string; body: string[]; at: number } | null = null;
  const flush = () => {
    if (!current) return;
    const tagLine = current.body.find((l) => /^(标签|tags)[:：]/i.test(l.trim()));
    const answer = current.body.filter((l) => l !== tagLine).join("\n").trim();
    const e = fromObject({ id: current.id, question: current.question, answer, tags: tagLine?.replace(/^[^:：]+[:：]/, "") }, current.at, problems);
    if (e) out.push(e);
  };
  lines.forEach((line, i) => {
    const h = /^#{2,3}\s+(?:\[([\w.-]+)\]\s*)?(?:Q[:：]\s*)?(.+?)\s*$/.exec(line);
    if (h) {
      flush();
      current = { id: h[1] ?? `md-${out.length + 1}`, question: h[2], body: [], at: i + 1 };
    } else current?.body.push(line);
  });
  flush();
  return out;
}

export function parseKbFile(file: string): KbInput[] {
  if (!existsSync(file)) throw new UserError(`找不到文件 ${file}`, "no_file");
  const ext = path.extname(file).toLowerCase();
  const text = decodeCsvBytes(readFileSync(file));
  const problems: RowProblem[] = [];
  let entries: KbInput[];
  if (ext === ".json") {
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch (err) {
      throw new UserError(`JSON 格式有误：${(err as Error).message}`, "bad_json");
    }
    if (!Array.isArray(data)) throw new UserError("JSON 文件应当是一个数组：[{\"id\", \"question\", \"answer\", \"tags\"}]", "bad_json");
    entries = data.flatMap((o, i) => fromObject((o ?? {}) as Record<string, unknown>, i + 1, problems) ?? []);
  } else if (ext === ".csv") {
    let rows: Record<string, string>[];
    try {
      // kb export escapes formula-looking cells for Excel (lib/csv-cells.ts); undo exactly that.
      rows = parse(text, { columns: true, skip_empty_lines: true, trim: true, relax_column_count: true, cast: (value: string) => unescapeCsvCell(value) });
    } catch (err) {
      throw csvError(err);
    }
    entries = rows.flatMap((o, i) => fromObject(o, i + 2, problems) ?? []);
  } else if (ext === ".md" || ext === ".markdown") {
    entries = parseMarkdown(text, problems);
  } else throw new UserError(`不支持的文件类型「${ext || "无扩展名"}」：请使用 .json、.csv 或 .md`, "bad_file_type");
  const seen = new Map<string, number>();
  for (const e of entries) {
    if (seen.has(e.id)) problems.push({ row: e.at, column: "id", reason: `编号 ${e.id} 与第 ${seen.get(e.id)} 条重复` });
    seen.set(e.id, e.at);
  }
  if (problems.length) throw new ImportError(problems, `知识库导入失败，共 ${problems.length} 处问题，未写入任何条目`);
  if (!entries.length) throw new ImportError([], "文件里没有知识库条目，未写入任何条目");
  return entries;
}

/** Entries per transaction: a knowledge base is small, but a running hub on SQLite must not wait
 * behind one long write (see partners/store.ts). */
const KB_CHUNK = 200;

/**
 * Upserts by id, in short transactions once every entry has been checked. An entry's phrasings come
 * from the file when it has them (a 相似问法 column or a "variants" key; 学到的问法 or "learned" for
 * those learned in chat); otherwise the entry's own are kept.
 */
export async function importKb(db: Db, file: string): Promise<{ created: number; updated: number; keptPhrasings: number }> {
  const entries = parseKbFile(file);
  let created = 0;
  let keptPhrasings = 0;
  for (let i = 0; i < entries.length; i += KB_CHUNK) {
    if (i > 0) await new Promise((resolve) => setTimeout(resolve, IMPORT_CHUNK_PAUSE_MS));
    const chunk = entries.slice(i, i + KB_CHUNK);
    await db.$transaction(async (tx) => {
      await tx.$executeRaw`UPDATE "KbEntry" SET "id" = "id" WHERE 1 = 0`; // the write lock first, as partners/store.ts
      const existing = new Map(
        (await tx.kbEntry.findMany({ where: { id: { in: chunk.map((e) => e.id) } }, select: { id: true, variants: true, learned: true } })).map((e) => [e.id, e]),
      );
      for (const { at: _at, variants, learned, ...e } of chunk) {
        const data = { ...e, tags: JSON.stringify(e.tags), ...(variants ? { variants: JSON.stringify(variants) } : {}), ...(learned ? { learned: JSON.stringify(learned) } : {}) };
        await tx.kbEntry.upsert({ where: { id: e.id }, create: { variants: "[]", learned: "[]", ...data }, update: data });
        const before = existing.get(e.id);
        if (before === undefined) created++;
        else keptPhrasings += (variants ? 0 : JSON.parse(before.variants).length) + (learned ? 0 : JSON.parse(before.learned).length);
      }
    });
  }
  return { created, updated: entries.length - created, keptPhrasings };
}
