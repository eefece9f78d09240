import type { IncomingMessage, ServerResponse } from "node:http";

// The one boundary between the hub and a chat platform. Types, and the one list of platforms: read it in two minutes.
//
// Inbound, an adapter verifies and normalises a platform event into an InboundEvent, hands it to the hub,
// and acks the platform once the hub says the event is stored; it drops its own echoes. Outbound, the hub gives it an OutboundMessage and a target; the
// adapter renders it the best the platform can (a card as text on a platform without cards) and
// reports what it could not do with an AdapterError, never by silently doing nothing.

/**
 * The platforms the hub speaks, with the name a user reads (timeline, reports, error texts). The one list:
 * Platform, PLATFORMS and each adapter's displayName come from it, so adding a platform adds its line here
 * (and its start in platforms.ts) instead of editing every place that names platforms.
 */
export const PLATFORM_NAMES = { console: "控制台", slack: "Slack", lark: "飞书", wechat: "微信" } as const;

export type Platform = keyof typeof PLATFORM_NAMES;

export const PLATFORMS = Object.keys(PLATFORM_NAMES) as Platform[];

/** The name users read for a platform id; an id the hub no longer runs (old history) as it is. */
export function platformName(platform: string): string {
  return (PLATFORM_NAMES as Record<string, string>)[platform] ?? platform;
}

/** How fast the outbox may send on a platform; spaced evenly rather than burst. */
export interface RateLimit {
  /** Messages per second for the whole app/account on this platform; Infinity for none. */
  perPlatform: number;
  /** Messages per second into one chat. */
  perChat: number;
  /** Spread each interval by up to this share at random (WeChat: a steady beat looks like a bot). */
  jitter?: number;
  /** The setting an operator changes this pace with, named where the hub warns it is too slow. */
  setting?: string;
}

/** What a platform can do and how it must be paced: data the hub reads, never `if (platform === ...)`. */
export interface Capabilities {
  /** The platform's name as staff read it (timelines, reports): 飞书, 微信. */
  displayName: string;
  /** The outbox's pace here (the one limiter: adapters do not pace or retry on their own). */
  rateLimit: RateLimit;
  /** Clickable buttons (Slack Block Kit, Lark cards). Without them polls become numbered text replies. */
  buttons: boolean;
  /** Rich cards with fields. Without them a card is rendered as text lines. */
  cards: boolean;
  /** Replies can go into the thread the question was asked in. */
  threads: boolean;
  /** A message can be shown to one person in a group only (Slack ephemeral). */
  ephemeral: boolean;
  /** Native slash commands; elsewhere staff type text commands starting with "/". */
  slashCommands: boolean;
  /** Longest text one message may carry, in characters. */
  maxTextLength: number;
}

export interface ChatRef {
  id: string;
  kind: "group" | "direct";
  title?: string;
}

export interface SenderRef {
  id: string;
  name?: string;
}

export type ContentType = "text" | "image" | "file" | "voice" | "video" | "sticker" | "other";

interface InboundBase {
  platform: Platform;
  /** Unique per platform; a re-delivered event carries the same id and is handled once. */
  messageId: string;
  chat: ChatRef;
  sender: SenderRef;
  at: Date;
  /** Thread to answer in, where the platform has threads. */
  threadId?: string;
}

export interface InboundMessage extends InboundBase {
  type: "message";
  /** Plain text with the bot's @mention removed; for non-text content a placeholder such as [图片]. */
  text: string;
  contentType: ContentType;
  /** The bot was @mentioned (always true in a direct chat). */
  mentioned: boolean;
  /** Other people @mentioned in the message (not the bot), for commands such as /link. */
  mentions?: SenderRef[];
  /**
   * Where a later answer to this message should go, as a threadId (Slack: the message's ts; Lark: the
   * message to reply to), so a staff answer hours later lands under the question, not loose in the group.
   */
  replyAnchor?: string;
}

/** A native slash command (Slack). Text commands ("/client x" typed in a chat) arrive as messages. */
export interface InboundCommand extends InboundBase {
  type: "command";
  name: string;
  args: string;
  mentions?: SenderRef[];
}

/** A button press or a poll choice. */
export interface InboundAction extends InboundBase {
  type: "action";
  actionId: string;
  value: string;
}

/** People joined a group (WeChat room-join, Lark member added, Slack member_joined_channel). */
export interface InboundMemberJoined extends InboundBase {
  type: "member_joined";
  members: SenderRef[];
}

export type InboundEvent = InboundMessage | InboundCommand | InboundAction | InboundMemberJoined;

export interface Button {
  id: string;
  label: string;
  value: string;
}

export type OutboundMessage =
  | { type: "text"; text: string }
  | { type: "card"; title: string; fields?: { label: string; value: string }[]; text?: string; buttons?: Button[] }
  /**
   * A prompt answered with one tap or a number: a satisfaction poll, or a question's choices. Option n
   * (from 1) is options[n-1]; `none`, when given, is option 0 ("都不是，请同事来回答").
   */
  | { type: "poll"; pollId: string; question: string; options: { value: string; label: string }[]; none?: string };

export interface SendTarget {
  chatId: string;
  threadId?: string;
  /** Show to this sender only, where the platform can (capabilities.ephemeral). */
  ephemeralTo?: string;
  /**
   * The same key never sends twice, where the platform deduplicates requests (Lark's `uuid`, one hour).
   * The outbox passes its delivery key, so a resend after a crash between send and bookkeeping is dropped.
   */
  idempotencyKey?: string;
}

export interface SendResult {
  /** The platform's id for the sent message. */
  messageId: string;
}

/**
 * The hub's side of an inbound event. Resolves once the event is stored durably: only then may the adapter
 * acknowledge the platform (a 200 promises the event is kept). `handled` settles when the hub has answered
 * it. Rejects when the event could not be stored: answer the platform with an error so it delivers again.
 */
export type InboundHandler = (event: InboundEvent) => Promise<{ handled: Promise<void> }>;

/** A webhook the hub's one HTTP server routes to this adapter (POST only). */
export interface HttpRoute {
  path: string;
  handle(req: IncomingMessage, res: ServerResponse): void | Promise<void>;
}

/** A group in the logged-in session, as re-attachment after a re-login needs it. */
export interface SessionRoom {
  id: string;
  topic: string;
  memberIds: string[];
}

/** A contact in the session; `alias` is the remark the account keeps for it (where the hub's marker lives). */
export interface SessionContact {
  id: string;
  name: string;
  alias?: string;
}

export interface SessionDirectory {
  rooms: SessionRoom[];
  contacts: SessionContact[];
}

/**
 * For platforms whose ids may change at each login (WeChat's web protocol): after every login (and when a
 * group it had not listed first speaks) the adapter shows the listener what the session holds, and holds
 * inbound events until it settles. The listener answers with the ids it moved (old -> new), so a send
 * already on its way with an old id still arrives.
 */
export interface SessionWatch {
  onLogin(listener: (directory: SessionDirectory) => Promise<Record<string, string> | void>): void;
  /** What the session holds now. */
  directory(): Promise<SessionDirectory>;
  /** Sets the contact's remark (where the hub keeps its marker, found again after ids change); false where it cannot. */
  mark(userId: string, remark: string): Promise<boolean>;
}

export interface Adapter {
  readonly platform: Platform;
  readonly capabilities: Capabilities;
  /** Present when the platform delivers events by webhook. */
  readonly http?: HttpRoute;
  start(onEvent: InboundHandler): Promise<void>;
  stop(): Promise<void>;
  send(target: SendTarget, message: OutboundMessage): Promise<SendResult>;
  /**
   * Whether a message sent with this idempotency key since then is already in the chat (its id), for
   * platforms that can tell (Slack: message metadata). The outbox asks before resending a delivery whose
   * sender died mid-send.
   */
  findSent?(target: SendTarget, idempotencyKey: string, since: Date): Promise<string | null>;
  /** The chat id that reaches this user privately (the user id itself unless the platform differs). */
  directChatId?(userId: string): string;
  /** Present where ids may change at a re-login (WeChat); the hub re-attaches bindings through it. */
  readonly session?: SessionWatch;
}

export type AdapterErrorCode =
  | "rate_limited" // retry after retryAfterMs
  | "transient" // network or 5xx: retry with backoff
  | "unauthorized" // bad or expired credentials
  | "not_found" // chat or user gone
  | "unsupported" // the platform cannot do this
  | "invalid"; // the platform refused the message itself

export class AdapterError extends Error {
  constructor(
    readonly code: AdapterErrorCode,
    message: string,
    readonly retryAfterMs?: number,
    /** The request may have reached the platform (no answer came back): a resend could repeat it. */
    readonly maybeDelivered = false,
  ) {
    super(message);
    this.name = "AdapterError";
  }

  get retryable(): boolean {
    return this.code === "rate_limited" || this.code === "transient";
  }
}

/** An OpenAI-compatible chat model (OpenAI, DeepSeek, Qwen, a local Ollama): text in, text out. */
export interface LanguageModel {
  readonly name: string;
  complete(messages: { role: "system" | "user"; content: string }[]): Promise<string>;
}
