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
