// Teaching the knowledge base another way partners ask: a partner's wording is learned for an entry (its
// `learned` phrasings, src/answer/repeats.ts), so the next question worded like it is answered from that
// entry instead of handed to a colleague or offered as choices.
// The wording is the partner's, so personal data is taken out first (redact.ts) and /answer --kb shows
// staff what would be kept before it is (kbTeachAction): phrasings are not cited, but they are in the
// knowledge base and may reach an LLM prompt.
import type { Db } from "../db/client.ts";
import { redactQuestion } from "./redact.ts";
import { DIRECT_MIN_COVERAGE } from "./answerer.ts";
import { LLM_CANDIDATES } from "./grounded.ts";
import type { KnowledgeBase } from "./kb-store.ts";
import { repeatKey } from "./repeats.ts";
import { comparable, plainQuestion } from "./text.ts";

/** Beyond this many learned phrasings an entry is likely several questions; staff should split it. */
export const MAX_VARIANTS = 50;
const MAX_PHRASING_CHARS = 200;
/** Two staff teaching the same entry at once: each write names what it read, so neither is lost. */
const WRITE_ATTEMPTS = 5;

export { comparable };

/** People whose names may turn up in a partner's question: the partner's contacts and staff. */
export async function peopleNames(db: Db, q: { partnerId: number | null; contactId: number | null }): Promise<string[]> {
  const [contacts, staff] = await Promise.all([
    db.contact.findMany({ where: { OR: [{ partnerId: q.partnerId ?? -1 }, { id: q.contactId ?? -1 }] }, select: { name: true } }),
    db.staff.findMany({ select: { name: true } }),
  ]);
  return [...contacts, ...staff].map((p) => p.name);
}

/** A partner's words as they may be kept in the knowledge base: plain (no @, links, emoji) and without personal data. */
export const keepableQuestion = (raw: string, names: readonly string[] = []) => redactQuestion(plainQuestion(raw), names);

export type TeachResult =
  | { kind: "added"; phrasing: string; count: number }
  | { kind: "known"; phrasing: string }
  | { kind: "missing" }
  | { kind: "empty" }
  | { kind: "full" };

/** `names`: people to keep out of the phrasing (peopleNames), beside those redact.ts recognises itself. */
export async function teachPhrasing(db: Db, entryId: string, raw: string, names: readonly string[] = []): Promise<TeachResult> {
  const phrasing = [...keepableQuestion(raw, names).text].slice(0, MAX_PHRASING_CHARS).join("");
  // Nothing to recognise it by ("1", "？？", "多久"): it would answer any such message.
  if (!repeatKey(phrasing)) return { kind: "empty" };
  for (let attempt = 0; attempt < WRITE_ATTEMPTS; attempt++) {
    const entry = await db.kbEntry.findUnique({ where: { id: entryId }, select: { question: true, variants: true, learned: true } });
    if (!entry) return { kind: "missing" };
    const learned: string[] = JSON.parse(entry.learned);
    const same = comparable(phrasing);
    if ([entry.question, ...JSON.parse(entry.variants), ...learned].some((v: string) => comparable(v) === same)) return { kind: "known", phrasing };
    if (learned.length >= MAX_VARIANTS) return { kind: "full" };
    const next = JSON.stringify([...learned, phrasing]);
    const written = await db.kbEntry.updateMany({ where: { id: entryId, learned: entry.learned }, data: { learned: next } });
    if (written.count === 1) return { kind: "added", phrasing, count: learned.length + 1 };
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

/** A pick teaches only short wordings that carried no personal data: it is kept without staff reading it. */
const PICK_WORDING_MAX_CHARS = 40;

/**
 * What a partner's pick teaches: their wording, for the entry picked. Nothing when the wording is long (it
 * rarely repeats and more often carries context), had personal data taken out (staff review those, with
 * /answer --kb), or when the entry holds too few of its words to have been a direct answer (a pick from a
 * list for a question the knowledge base barely touches, 今天杭州下雨吗, teaches everyone else nothing). A
 * changed pick takes the wording back from the entry picked before.
 */
export async function learnFromPick(db: Db, kb: KnowledgeBase, wording: string, entryId: string, before: string | null, names: readonly string[]): Promise<TeachResult | null> {
  if (before && before !== entryId) await unlearn(db, before, wording, names);
  const kept = keepableQuestion(wording, names);
  if (kept.removed.length || [...kept.text].length > PICK_WORDING_MAX_CHARS) return null;
  const hit = (await kb.search(wording, LLM_CANDIDATES)).find((h) => h.id === entryId);
  if (!hit || hit.queryCoverage < DIRECT_MIN_COVERAGE) return null;
  const taught = await teachPhrasing(db, entryId, wording, names);
  kb.invalidate();
  return taught;
}

async function unlearn(db: Db, entryId: string, raw: string, names: readonly string[]): Promise<void> {
  const same = comparable(keepableQuestion(raw, names).text);
  for (let attempt = 0; attempt < WRITE_ATTEMPTS; attempt++) {
    const entry = await db.kbEntry.findUnique({ where: { id: entryId }, select: { learned: true } });
    if (!entry) return;
    const learned: string[] = JSON.parse(entry.learned);
    const left = learned.filter((w) => comparable(w) !== same);
    if (left.length === learned.length) return;
    if ((await db.kbEntry.updateMany({ where: { id: entryId, learned: entry.learned }, data: { learned: JSON.stringify(left) } })).count === 1) return;
  }
}
