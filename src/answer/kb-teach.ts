// Teaching the knowledge base another way partners ask: a phrasing becomes a variant of an entry, so
// the next question worded like it is answered from that entry instead of handed to a colleague.
import type { Db } from "../db/client.ts";
import { cleanQuestion, plainQuestion } from "./text.ts";

/** Beyond this many phrasings an entry would outweigh its neighbours in retrieval; staff should split it. */
export const MAX_VARIANTS = 50;
const MAX_PHRASING_CHARS = 200;
/** Two staff teaching the same entry at once: each write names what it read, so neither is lost. */
const WRITE_ATTEMPTS = 5;

/** Two phrasings that differ only in script, punctuation or spacing are one. */
const comparable = (s: string) => cleanQuestion(s).replace(/[^\p{L}\p{N}]/gu, "");

export type TeachResult =
  | { kind: "added"; phrasing: string; count: number }
  | { kind: "known"; phrasing: string }
  | { kind: "missing" }
  | { kind: "empty" }
  | { kind: "full" };

export async function teachPhrasing(db: Db, entryId: string, raw: string): Promise<TeachResult> {
  const phrasing = [...plainQuestion(raw)].slice(0, MAX_PHRASING_CHARS).join("");
  if (!comparable(phrasing)) return { kind: "empty" };
  for (let attempt = 0; attempt < WRITE_ATTEMPTS; attempt++) {
    const entry = await db.kbEntry.findUnique({ where: { id: entryId }, select: { question: true, variants: true } });
    if (!entry) return { kind: "missing" };
    const variants: string[] = JSON.parse(entry.variants);
    const same = comparable(phrasing);
    if ([entry.question, ...variants].some((v) => comparable(v) === same)) return { kind: "known", phrasing };
    if (variants.length >= MAX_VARIANTS) return { kind: "full" };
    const next = JSON.stringify([...variants, phrasing]);
    const written = await db.kbEntry.updateMany({ where: { id: entryId, variants: entry.variants }, data: { variants: next } });
    if (written.count === 1) return { kind: "added", phrasing, count: variants.length + 1 };
  }
  throw new Error(`knowledge-base entry ${entryId} kept changing while a phrasing was added`);
}

/** What staff are told about a teaching, in one clause. */
export function taughtText(entryId: string, r: TeachResult): string {
  switch (r.kind) {
    case "added":
      return `「${r.phrasing}」已记为 ${entryId} 的一种问法，以后这样问会直接回答`;
    case "known":
      return `「${r.phrasing}」已是 ${entryId} 的问法`;
    case "full":
      return `${entryId} 的问法已有 ${MAX_VARIANTS} 种，这次没有再加，建议把它拆成几个条目`;
    case "empty":
      return "这句话里没有可记的文字";
    case "missing":
      return `知识库里没有编号为 ${entryId} 的条目`;
  }
}
