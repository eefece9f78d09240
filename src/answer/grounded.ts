// LLM mode: the model sees only the few knowledge-base entries retrieval found (never client files or
// anything about other partners) and decides as the bot does: answer from them citing their ids, name the
// ones close to the question (the partner picks), or say none fits (a colleague answers).
// Its reply is checked before a partner reads it: a model can be talked into other things by what a
// partner writes (prompt injection), so contact details and links it did not get from the cited
// entries, and replies that repeat the prompt, are never shown.
import type { KbRecord } from "./kb-store.ts";
import { contactDetails } from "./redact.ts";

/** Entries shown to the model: the right one is among retrieval's top 5 for about 95% of questions. */
export const LLM_CANDIDATES = 5;
const UNKNOWN = "UNKNOWN";
const CHOICES = "CHOICES:";

const SYSTEM = [
  "你是一家公司渠道服务群里的答疑助手，回答经销商的问题。",
  "只能依据下面提供的知识库条目回答，不得使用条目以外的信息，不得编造数字、日期、价格或政策。",
  "三种回复只选一种：",
  "1. 确定某些条目回答了这个问题：用简体中文，简洁、礼貌，并在末尾用方括号写出所依据的条目编号，例如 [kb-003]。",
  `2. 不确定问的是哪一条，但有两三条相近：只输出 ${CHOICES} 加这些条目的编号，例如 ${CHOICES} [kb-003] [kb-007]`,
  `3. 这些条目都答不了（问的是条目没有提到的产品、品牌、人或服务）：只输出 ${UNKNOWN}`,
].join("\n");
const ENTRIES_HEADING = "知识库条目：";
const QUESTION_HEADING = "经销商的问题：";

export function groundedPrompt(question: string, entries: KbRecord[]) {
  const kb = entries.map((e) => `[${e.id}] 问：${e.question}\n答：${e.answer}`).join("\n\n");
  return [
    { role: "system" as const, content: SYSTEM },
    { role: "user" as const, content: `${ENTRIES_HEADING}\n${kb}\n\n${QUESTION_HEADING}${question}` },
  ];
}

/** A run of the instructions this long in a reply is the prompt repeated, not an answer. */
const PROMPT_RUN_CHARS = 12;
/** An entry's answer counts as copied out once this much of it (or all of a shorter one) is in the reply. */
const ENTRY_RUN_CHARS = 20;
/** Scaffolding of the prompt that no answer has a reason to contain: its headings and "[kb-003] 问：". */
const PROMPT_MARKS = [ENTRIES_HEADING, QUESTION_HEADING, /\[[\w.-]+\]\s*问[:：]/, /\n答[:：]/];

export type ReplyProblem = "phone" | "email" | "link" | "account" | "prompt" | "entries";

const compact = (s: string) => s.replace(/\s+/g, "");
const hasRun = (text: string, source: string, n: number) => {
  if (source.length <= n) return source.length > 0 && text.includes(source);
  for (let i = 0; i + n <= source.length; i++) if (text.includes(source.slice(i, i + n))) return true;
  return false;
};

/**
 * Why a generated answer must not be shown, or null. `given`: every entry in the prompt; `cited`: those
 * the answer rests on, the only source a phone number, e-mail address, link or WeChat/QQ id may come from.
 * Both sides are read by contactDetails (redact.ts), which first undoes the ways a model can be told to
 * disguise them (１３８…, 138 0000 0000, 一三八…, zero-width characters, evil[.]example, evil。example), and
 * compares them in one form (a phone by its digits).
 */
export function replyProblem(reply: string, given: KbRecord[], cited: KbRecord[]): ReplyProblem | null {
  const found = contactDetails(reply);
  const source = contactDetails(cited.map((e) => [e.question, e.answer, e.trainingUrl ?? ""].join("\n")).join("\n"));
  if (found.phones.some((p) => !source.phones.includes(p))) return "phone";
  if (found.emails.some((e) => !source.emails.includes(e))) return "email";
  if (found.links.some((l) => !source.links.some((s) => l === s || l.startsWith(`${s}/`)))) return "link";
  if (found.accounts.some((a) => !source.accounts.includes(a))) return "account";
  const text = compact(reply);
  if (PROMPT_MARKS.some((m) => (typeof m === "string" ? reply.includes(m) : m.test(reply)))) return "prompt";
  if (hasRun(text, compact(SYSTEM), PROMPT_RUN_CHARS)) return "prompt";
  // Quoting an entry's answer is fine; several entries, question and answer, is the prompt dumped.
  const copied = given.filter((e) => hasRun(text, compact(e.answer), ENTRY_RUN_CHARS));
  const withQuestion = copied.filter((e) => compact(e.question).length >= 4 && text.includes(compact(e.question)));
  if (withQuestion.length >= 2 || (copied.length >= 3 && copied.length === given.length)) return "entries";
  return null;
}

/**
 * answer: cited text. choices: the entries the model found close (the partner picks). unknown: none fits.
 * ungrounded: it answered without citing only entries it was given, or in no form it was asked for (the
 * caller falls back to retrieval's decision). Citations may come as [kb-1], 【kb-1】 or [kb-1, kb-2].
 */
export type Grounded = { kind: "answer"; text: string; cites: string[] } | { kind: "choices"; ids: string[] } | { kind: "unknown" } | { kind: "ungrounded" };

const CITATION = /\s*[[【]\s*([\w.-]+(?:\s*[,，、]\s*[\w.-]+)*)\s*[\]】]/g;
/** "CHOICES: [kb-1] [kb-2]", also "choices：kb-1、kb-2". */
const CHOICE_LINE = /^\s*choices\s*[:：]\s*(.*)$/is;
const ID_LIST = /[\w.-]+/g;

export function parseGrounded(reply: string, given: string[]): Grounded {
  const trimmed = reply.trim();
  if (trimmed === UNKNOWN || /^unknown[。.!！]?$/i.test(trimmed)) return { kind: "unknown" };
  const choice = CHOICE_LINE.exec(trimmed);
  if (choice) {
    const named = choice[1].match(ID_LIST) ?? [];
    const ids = [...new Set(named.filter((id) => given.includes(id)))];
    return ids.length && named.every((id) => given.includes(id)) ? { kind: "choices", ids } : { kind: "ungrounded" };
  }
  // "UNKNOWN" with words around it, or nothing at all: not one of the forms asked for.
  if (!trimmed || trimmed.includes(UNKNOWN)) return { kind: "ungrounded" };
  const cited = [...trimmed.matchAll(CITATION)].flatMap((m) => m[1].split(/\s*[,，、]\s*/));
  const cites = [...new Set(cited.filter((id) => given.includes(id)))];
  if (!cites.length || cited.some((id) => !given.includes(id))) return { kind: "ungrounded" };
  return { kind: "answer", text: trimmed.replace(CITATION, "").trim(), cites };
}
