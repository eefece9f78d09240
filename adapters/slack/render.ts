// OutboundMessage -> Slack Block Kit, with plain `text` always set (notifications and screen readers
// use it). Limits from docs.slack.dev/reference/block-kit.
import type { OutboundMessage } from "../contract.ts";
import { cardText } from "../fallback.ts";

/** Section `text` and header limits (block-kit/blocks/section-block, header-block). */
export const SLACK_SECTION_TEXT_MAX = 3000;
export const SLACK_HEADER_TEXT_MAX = 150;
/** A section holds at most 10 fields of at most 2000 characters. */
export const SLACK_FIELDS_PER_SECTION = 10;
export const SLACK_FIELD_TEXT_MAX = 2000;
/** Button text (block-kit/block-elements/button-element). */
export const SLACK_BUTTON_TEXT_MAX = 75;
/** A message carries at most 50 blocks. */
export const SLACK_BLOCKS_MAX = 50;

// Slack's block types are deep unions; the renderer builds plain objects of their documented shape.
type Block = Record<string, unknown>;

const clip = (s: string, max: number) => (s.length > max ? `${s.slice(0, max - 1)}…` : s);
const escape = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
const plain = (text: string, max: number) => ({ type: "plain_text", text: clip(text, max), emoji: true });

export interface SlackMessage {
  text: string;
  blocks?: Block[];
}

export function renderSlack(m: OutboundMessage): SlackMessage {
  switch (m.type) {
    case "text":
      // Our text is plain: escaping keeps a partner's "<!channel>" or "<https://x|链接>" from becoming
      // an @channel or a disguised link when it is quoted to staff.
      return { text: escape(m.text) };
    case "card": {
      const blocks: Block[] = [{ type: "header", text: plain(m.title, SLACK_HEADER_TEXT_MAX) }];
      const fields = (m.fields ?? []).map((f) => ({ type: "mrkdwn", text: clip(`*${escape(f.label)}*\n${escape(f.value)}`, SLACK_FIELD_TEXT_MAX) }));
      for (let i = 0; i < fields.length; i += SLACK_FIELDS_PER_SECTION) {
        blocks.push({ type: "section", fields: fields.slice(i, i + SLACK_FIELDS_PER_SECTION) });
      }
      if (m.text) blocks.push({ type: "section", text: { type: "mrkdwn", text: clip(escape(m.text), SLACK_SECTION_TEXT_MAX) } });
      if (m.buttons?.length) {
        blocks.push({
          type: "actions",
          elements: m.buttons.map((b) => ({ type: "button", action_id: b.id, value: b.value, text: plain(b.label, SLACK_BUTTON_TEXT_MAX) })),
        });
      }
      // The card's text form without its numbered choices: the buttons are right there in the blocks.
      return { text: escape(cardText(m)), blocks: blocks.slice(0, SLACK_BLOCKS_MAX) };
    }
    case "poll":
      return {
        text: m.question,
        blocks: [
          { type: "section", text: { type: "mrkdwn", text: clip(escape(m.question), SLACK_SECTION_TEXT_MAX) } },
          {
            type: "actions",
            block_id: `poll:${m.pollId}`,
            elements: [
              ...m.options.map((o, i) => ({
                type: "button",
                action_id: `poll:${m.pollId}:${i + 1}`,
                value: o.value,
                text: plain(o.label, SLACK_BUTTON_TEXT_MAX),
              })),
              ...(m.none ? [{ type: "button", action_id: `poll:${m.pollId}:0`, value: "0", text: plain(m.none, SLACK_BUTTON_TEXT_MAX) }] : []),
            ],
          },
        ],
      };
  }
}
