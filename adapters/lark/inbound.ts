// Lark/Feishu events (schema 2.0, as the SDK's EventDispatcher hands them over) -> InboundEvent.
import type { ContentType, InboundEvent } from "../contract.ts";

export interface LarkMention {
  key: string;
  id: { open_id?: string };
  name: string;
}

export interface LarkMessageEvent {
  event_id?: string;
  sender: { sender_id: { open_id: string }; sender_type?: string };
  message: {
    message_id: string;
    root_id?: string;
    chat_id: string;
    chat_type: "group" | "p2p" | string;
    message_type: string;
    content: string;
    mentions?: LarkMention[];
    create_time?: string;
  };
}

const PLACEHOLDERS: Record<string, [ContentType, string]> = {
  image: ["image", "[图片]"],
  file: ["file", "[文件]"],
  audio: ["voice", "[语音]"],
  media: ["video", "[视频]"],
  sticker: ["sticker", "[表情]"],
};

/** Text of a rich "post" message: its title and every text run (anything else in it is skipped, not trusted). */
function postText(content: unknown): string {
  const c = (content && typeof content === "object" ? content : {}) as { title?: unknown; content?: unknown };
  const lines = Array.isArray(c.content) ? c.content : [];
  const runs = lines
    .flatMap((line) => (Array.isArray(line) ? line : []))
    .filter((r): r is { tag: string; text?: unknown } => !!r && typeof r === "object" && (r.tag === "text" || r.tag === "a"))
    .map((r) => (typeof r.text === "string" ? r.text : ""));
  return [typeof c.title === "string" ? c.title : "", runs.join("")].filter(Boolean).join("\n");
}

export function fromMessageEvent(e: LarkMessageEvent, botOpenId: string): InboundEvent | null {
  if (e.sender.sender_type && e.sender.sender_type !== "user") return null; // our own and other bots' messages
  const m = e.message;
  let text = "";
  let contentType: ContentType = "text";
  let parsed: Record<string, unknown> = {};
  try {
    const value: unknown = JSON.parse(m.content);
    parsed = value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  } catch {
    parsed = {};
  }
  if (m.message_type === "text") text = String(parsed.text ?? "");
  else if (m.message_type === "post") text = postText(parsed);
  else {
    const [type, placeholder] = PLACEHOLDERS[m.message_type] ?? ["other", `[${m.message_type}]`];
    contentType = type;
    text = placeholder + (parsed.file_name ? ` ${parsed.file_name}` : "");
  }
  let mentioned = m.chat_type === "p2p";
  const mentions: { id: string; name: string }[] = [];
  for (const mention of m.mentions ?? []) {
    const isBot = mention.id.open_id === botOpenId;
    mentioned ||= isBot;
    if (!isBot && mention.id.open_id) mentions.push({ id: mention.id.open_id, name: mention.name });
    text = text.replaceAll(mention.key, isBot ? "" : `@${mention.name}`);
  }
  return {
    type: "message",
    platform: "lark",
    messageId: m.message_id,
    chat: { id: m.chat_id, kind: m.chat_type === "p2p" ? "direct" : "group" },
    sender: { id: e.sender.sender_id.open_id },
    at: m.create_time ? new Date(Number(m.create_time)) : new Date(),
    threadId: m.root_id || undefined,
    replyAnchor: m.chat_type === "p2p" ? undefined : m.root_id || m.message_id,
    text: text.replace(/\s+/g, " ").trim(),
    contentType,
    mentioned,
    mentions,
  };
}
