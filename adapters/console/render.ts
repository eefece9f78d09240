// The console has no buttons or cards: everything degrades to text here, and nowhere else.
import type { OutboundMessage } from "../contract.ts";

export function renderConsole(m: OutboundMessage): string {
  switch (m.type) {
    case "text":
      return m.text;
    case "card": {
      const lines = [`【${m.title}】`, ...(m.fields ?? []).map((f) => `${f.label}：${f.value}`)];
      if (m.text) lines.push(m.text);
      if (m.buttons?.length) lines.push(`回复数字选择：${m.buttons.map((b, i) => `${i + 1}. ${b.label}`).join("  ")}`);
      return lines.join("\n");
    }
    case "poll":
      return [m.question, ...m.options.map((o, i) => `${i + 1}. ${o.label}`), `请直接回复数字 1-${m.options.length}`].join("\n");
  }
}
