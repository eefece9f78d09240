// The one text form of an OutboundMessage, for wherever a platform cannot show it as it is: the console
// and WeChat (no buttons, no cards), a Lark card too big to send, Slack's notification text. Buttons and
// poll options both become numbered choices a person answers by replying the number, so a message reads
// the same on every platform that falls back to text. Pure functions: no SDK, no platform names.
import type { OutboundMessage } from "./contract.ts";

type Card = Extract<OutboundMessage, { type: "card" }>;

/** What a card says, its buttons left out: 【title】, "label：value" lines, then its text. */
export function cardText(card: Card): string {
  const lines = [`【${card.title}】`, ...(card.fields ?? []).map((f) => `${f.label}：${f.value}`)];
  if (card.text) lines.push(card.text);
  return lines.join("\n");
}

/** "1. label" lines (and "0. none" last, when there is such an answer) and how to answer them. */
function numberedChoices(labels: string[], none?: string): string[] {
  const range = labels.length === 1 ? "1" : `1-${labels.length}`;
  const lines = labels.map((label, i) => `${i + 1}. ${label}`);
  return none ? [...lines, `0. ${none}`, "回复数字即可"] : [...lines, `请直接回复数字 ${range}`];
}

/** The message as plain text, for a platform without buttons or cards. */
export function asText(m: OutboundMessage): string {
  switch (m.type) {
    case "text":
      return m.text;
    case "card":
      return m.buttons?.length ? [cardText(m), ...numberedChoices(m.buttons.map((b) => b.label))].join("\n") : cardText(m);
    case "poll":
      return [m.question, ...numberedChoices(m.options.map((o) => o.label), m.none)].join("\n");
  }
}

/**
 * Text cut into parts of at most `max` characters, at line breaks where it can: whole lines are packed
 * into a part while they fit, and only a single line longer than `max` is cut inside.
 */
export function splitText(text: string, max: number): string[] {
  if (text.length <= max) return [text];
  const parts: string[] = [];
  let current = "";
  for (const line of text.split("\n")) {
    const pieces = line.length > max ? line.match(new RegExp(`[\\s\\S]{1,${max}}`, "g"))! : [line];
    for (const piece of pieces) {
      if (current && current.length + 1 + piece.length > max) {
        parts.push(current);
        current = piece;
      } else current = current ? `${current}\n${piece}` : piece;
    }
  }
  if (current) parts.push(current);
  return parts;
}
