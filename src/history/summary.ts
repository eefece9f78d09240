// The text an outbound message leaves in the history: what the partner read, in one string.
import type { OutboundMessage } from "../../adapters/contract.ts";

export function historyText(m: OutboundMessage): string {
  switch (m.type) {
    case "text":
      return m.text;
    case "card":
      return [m.title, ...(m.fields ?? []).map((f) => `${f.label}：${f.value}`), m.text ?? ""].filter(Boolean).join("\n");
    case "poll":
      return [m.question, ...m.options.map((o, i) => `${i + 1}. ${o.label}`)].join("\n");
  }
}

/** What the history keeps about a sent message's form; a poll's options let a numbered reply be read. */
export function messageMeta(message: OutboundMessage): Record<string, unknown> {
  return { type: message.type, ...(message.type === "poll" ? { pollId: message.pollId, values: message.options.map((o) => o.value) } : {}) };
}
