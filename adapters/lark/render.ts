// OutboundMessage -> Lark/Feishu message bodies: text, or an interactive card (open.feishu.cn,
// 消息卡片). Buttons carry {actionId, value} and come back in card.action.trigger.
import type { OutboundMessage } from "../contract.ts";
import { asText } from "../fallback.ts";

/** A card's JSON may not exceed 30 KB (open.feishu.cn, im-v1 message create: 卡片消息大小限制). */
export const LARK_CARD_MAX_BYTES = 30 * 1024;

export interface LarkMessage {
  msg_type: "text" | "interactive";
  /** JSON string, as the API takes it. */
  content: string;
}

function card(title: string, elements: object[]): LarkMessage {
  const body = { config: { wide_screen_mode: true }, header: { title: { tag: "plain_text", content: title }, template: "blue" }, elements };
  return { msg_type: "interactive", content: JSON.stringify(body) };
}

// Plain text: a quoted partner message must not @everyone (<at user_id="all">) in a staff chat.
const text = (body: string): LarkMessage => ({ msg_type: "text", content: JSON.stringify({ text: body.replace(/<(\/?)at\b/gi, "＜$1at") }) });

const button = (label: string, actionId: string, value: string) => ({
  tag: "button",
  text: { tag: "plain_text", content: label },
  type: "default",
  value: { actionId, value },
});

export function renderLark(m: OutboundMessage): LarkMessage {
  let out: LarkMessage;
  switch (m.type) {
    case "text":
      return text(m.text);
    case "card": {
      const elements: object[] = [];
      if (m.fields?.length) {
        elements.push({
          tag: "div",
          fields: m.fields.map((f) => ({ is_short: f.value.length <= 20, text: { tag: "lark_md", content: `**${f.label}**\n${f.value}` } })),
        });
      }
      if (m.text) elements.push({ tag: "div", text: { tag: "lark_md", content: m.text } });
      if (m.buttons?.length) elements.push({ tag: "action", actions: m.buttons.map((b) => button(b.label, b.id, b.value)) });
      out = card(m.title, elements);
      break;
    }
    case "poll":
      out = card("请选择", [
        { tag: "div", text: { tag: "lark_md", content: m.question } },
        { tag: "action", actions: [...m.options.map((o, i) => button(o.label, `poll:${m.pollId}:${i + 1}`, o.value)), ...(m.none ? [button(m.none, `poll:${m.pollId}:0`, "0")] : [])] },
      ]);
      break;
  }
  // Too big for a card: the message's text form (numbered choices for buttons and poll options), as
  // plain text, which allows 150 KB.
  return Buffer.byteLength(out.content) > LARK_CARD_MAX_BYTES ? text(asText(m)) : out;
}
