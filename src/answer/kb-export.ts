// partner-hub kb export FILE: the whole knowledge base, phrasings taught in chat included, as .json or
// .csv in the columns kb import reads back (a round trip: edit in Excel, import again).
import { writeFileSync } from "node:fs";
import path from "node:path";
import type { Db } from "../db/client.ts";
import { UserError } from "../lib/errors.ts";
import { writeSheet } from "../partners/sheet.ts";
import { toRecord } from "./kb-store.ts";
import { KB_COLUMNS } from "./kb-import.ts";

export async function exportKb(db: Db, file: string): Promise<number> {
  const entries = (await db.kbEntry.findMany({ orderBy: { id: "asc" } })).map(toRecord);
  const ext = path.extname(file).toLowerCase();
  if (ext === ".json") {
    const rows = entries.map(({ id, question, variants, answer, tags, source, trainingUrl, learned }) => ({ id, question, variants, answer, tags, source, trainingUrl, learned }));
    writeFileSync(file, `${JSON.stringify(rows, null, 2)}\n`);
  } else if (ext === ".csv") {
    const keys = Object.keys(KB_COLUMNS) as (keyof typeof KB_COLUMNS)[];
    const rows = entries.map((e) =>
      keys.map((k) => (k === "variants" || k === "learned" ? e[k].join("\n") : k === "tags" ? e.tags.join("、") : (e[k] ?? null))),
    );
    await writeSheet(file, Object.values(KB_COLUMNS), rows, "知识库");
  } else throw new UserError(`不支持的文件类型「${ext || "无扩展名"}」：请使用 .json 或 .csv`, "bad_file_type");
  return entries.length;
}
