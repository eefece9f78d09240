// WeChat has no buttons or cards: everything becomes text here, and only here. Polls become numbered
// replies ("回复 1-5"); long text is split at line breaks into several messages.
import type { OutboundMessage } from "../contract.ts";

/**
 * Longest text we put in one WeChat message. WeChat publishes no limit for personal accounts; very long
 * messages are folded on phones and 2,000 characters reads comfortably (the WeCom group robot caps
 * text at 2,048 bytes of content per message).
 */
export const WECHAT_TEXT_MAX = 2000;

function split(text: string): string[] {
  if (text.length <= WECHAT_TEXT_MAX) return [text];
  const parts: string[] = [];
  let current = "";
  for (const line of text.split("\n")) {
    const piece = line.length > WECHAT_TEXT_MAX ? line.match(new RegExp(`[\\s\\S]{1,${WECHAT_TEXT_MAX}}`, "g"))! : [line];
    for (const p of piece) {
      if (current && current.length + 1 + p.length > WECHAT_TEXT_MAX) {
        parts.push(current);
        current = p;
      } else current = current ? `${current}\n${p}` : p;
    }
  }
  if (current) parts.push(current);
  return parts;
}

export function renderWechat(m: OutboundMessage): string[] {
  switch (m.type) {
    case "text":
      return split(m.text);
    case "card": {
      const lines = [`【${m.title}】`, ...(m.fields ?? []).map((f) => `${f.label}：${f.value}`)];
      if (m.text) lines.push(m.text);
      if (m.buttons?.length) lines.push(...m.buttons.map((b, i) => `回复 ${i + 1}：${b.label}`));
      return split(lines.join("\n"));
    }
    case "poll":
      return split([m.question, ...m.options.map((o, i) => `${i + 1}. ${o.label}`), `请直接回复数字 1-${m.options.length}`].join("\n"));
  }
}
