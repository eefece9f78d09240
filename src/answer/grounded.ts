// LLM mode: the model sees only the few knowledge-base entries retrieval found (never client files or
// anything about other partners), must answer from them and cite their ids, or say it does not know.
import type { KbRecord } from "./kb-store.ts";

/** Entries shown to the model: enough to cover near-duplicates, few enough to keep it focused. */
export const LLM_CANDIDATES = 3;
const UNKNOWN = "UNKNOWN";

export function groundedPrompt(question: string, entries: KbRecord[]) {
  const system = [
    "你是一家公司渠道服务群里的答疑助手，回答经销商的问题。",
    "只能依据下面提供的知识库条目回答，不得使用条目以外的信息，不得编造数字、日期、价格或政策。",
    `如果这些条目不能回答这个问题，只输出：${UNKNOWN}`,
    "能回答时：用简体中文，简洁、礼貌，并在末尾用方括号写出所依据的条目编号，例如 [kb-003]。",
  ].join("\n");
  const kb = entries.map((e) => `[${e.id}] 问：${e.question}\n答：${e.answer}`).join("\n\n");
  return [
    { role: "system" as const, content: system },
    { role: "user" as const, content: `知识库条目：\n${kb}\n\n经销商的问题：${question}` },
  ];
}

/**
 * unknown: the model said it cannot answer from the entries. ungrounded: it answered without citing
 * only entries it was given (the caller falls back to retrieval). Citations may come as [kb-1],
 * 【kb-1】 or [kb-1, kb-2].
 */
export type Grounded = { kind: "answer"; text: string; cites: string[] } | { kind: "unknown" } | { kind: "ungrounded" };

const CITATION = /\s*[[【]\s*([\w.-]+(?:\s*[,，、]\s*[\w.-]+)*)\s*[\]】]/g;

export function parseGrounded(reply: string, given: string[]): Grounded {
  if (!reply.trim() || reply.includes(UNKNOWN)) return { kind: "unknown" };
  const cited = [...reply.matchAll(CITATION)].flatMap((m) => m[1].split(/\s*[,，、]\s*/));
  const cites = [...new Set(cited.filter((id) => given.includes(id)))];
  if (!cites.length || cited.some((id) => !given.includes(id))) return { kind: "ungrounded" };
  return { kind: "answer", text: reply.replace(CITATION, "").trim(), cites };
}
