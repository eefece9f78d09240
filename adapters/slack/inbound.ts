// Slack payloads -> the hub's InboundEvent. Pure functions over the documented payload shapes.
import type { ContentType, InboundEvent } from "../contract.ts";

/** Slack's mrkdwn in a message -> the text a person typed: our mention removed, others readable. */
export function plainText(text: string, botUserId: string): string {
  return text
    .replace(new RegExp(`<@${botUserId}>`, "g"), "")
    .replace(/<@([A-Z0-9]+)(?:\|([^>]+))?>/g, (_, id, name) => `@${name ?? id}`)
    .replace(/<#[A-Z0-9]+\|([^>]*)>/g, "#$1")
    .replace(/<(https?:[^|>]+)\|([^>]+)>/g, "$2")
    .replace(/<(https?:[^>]+)>/g, "$1")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&")
    .trim();
}

/** People mentioned as <@U123> (or <@U123|name>), the bot excepted. */
export function mentionsIn(text: string, botUserId: string, names: Map<string, string>) {
  const ids = [...text.matchAll(/<@([A-Z0-9]+)(?:\|[^>]+)?>/g)].map((m) => m[1]).filter((id) => id !== botUserId);
  return [...new Set(ids)].map((id) => ({ id, name: names.get(id) }));
}

export interface SlackMessageEvent {
  type: string;
  subtype?: string;
  channel: string;
  channel_type?: string;
  user?: string;
  bot_id?: string;
  text?: string;
  ts: string;
  thread_ts?: string;
  files?: { mimetype?: string; name?: string }[];
}

/** Subtypes that are a person saying something; the rest (edits, deletions, joins, bots) are not. */
const SPOKEN_SUBTYPES = new Set([undefined, "file_share", "thread_broadcast", "me_message"]);

function contentOf(e: SlackMessageEvent): { contentType: ContentType; placeholder: string } {
  const mime = e.files?.[0]?.mimetype ?? "";
  if (!e.files?.length) return { contentType: "text", placeholder: "" };
  if (mime.startsWith("image/")) return { contentType: "image", placeholder: "[图片]" };
  if (mime.startsWith("audio/")) return { contentType: "voice", placeholder: "[语音]" };
  if (mime.startsWith("video/")) return { contentType: "video", placeholder: "[视频]" };
  return { contentType: "file", placeholder: `[文件] ${e.files[0].name ?? ""}`.trim() };
}

/** A message or app_mention event, or null when it is not someone speaking (or is our own echo). */
export function fromMessageEvent(e: SlackMessageEvent, bot: { userId: string; botId?: string }, names: Map<string, string>): InboundEvent | null {
  if (!SPOKEN_SUBTYPES.has(e.subtype) || !e.user) return null;
  if (e.user === bot.userId || (bot.botId && e.bot_id === bot.botId)) return null;
  const direct = e.channel_type === "im";
  const raw = e.text ?? "";
  const { contentType, placeholder } = contentOf(e);
  const text = [plainText(raw, bot.userId), placeholder].filter(Boolean).join(" ");
  return {
    type: "message",
    platform: "slack",
    messageId: `${e.channel}:${e.ts}`,
    chat: { id: e.channel, kind: direct ? "direct" : "group" },
    sender: { id: e.user, name: names.get(e.user) },
    at: new Date(Number(e.ts) * 1000),
    threadId: e.thread_ts,
    replyAnchor: direct ? undefined : (e.thread_ts ?? e.ts),
    text,
    contentType: e.files?.length && !plainText(raw, bot.userId) ? contentType : "text",
    mentioned: direct || raw.includes(`<@${bot.userId}>`),
    mentions: mentionsIn(raw, bot.userId, names),
  };
}
