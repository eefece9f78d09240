// WeChat has no buttons or cards: a message goes in its text form (adapters/fallback.ts; polls become
// numbered replies), and long text is split at line breaks into several messages.
import type { OutboundMessage } from "../contract.ts";
import { asText, splitText } from "../fallback.ts";

/**
 * Longest text we put in one WeChat message. WeChat publishes no limit for personal accounts; very long
 * messages are folded on phones and 2,000 characters reads comfortably (the WeCom group robot caps
 * text at 2,048 bytes of content per message).
 */
export const WECHAT_TEXT_MAX = 2000;

export function renderWechat(m: OutboundMessage): string[] {
  return splitText(asText(m), WECHAT_TEXT_MAX);
}
