import type { Capabilities, OutboundMessage, Platform, SenderRef } from "../../adapters/contract.ts";
import type { Db } from "../db/client.ts";
import type { InteractionLog } from "../history/log.ts";
import type { Clock } from "../lib/clock.ts";
import type { Actor, IdentityCache, ResolvedChat } from "../types/identity.ts";
import type { PartnerSearchIndex } from "../partners/search-index.ts";
import type { KnowledgeBase } from "../answer/kb-store.ts";
import type { Outreach } from "../outreach/service.ts";
import type { Logger } from "../lib/logger.ts";
import type { ComplaintDesk } from "../service/complaints.ts";

export interface CommandContext {
  db: Db;
  /** The interaction log: a command's own entries in a partner's history are written through it. */
  log: InteractionLog;
  clock: Clock;
  timeZone: string;
  platform: Platform;
  capabilities: Capabilities;
  actor: Actor;
  chat: ResolvedChat;
  /** Everything after the command name, trimmed and normalized (Traditional -> Simplified). */
  args: string;
  /** The platform's id of the message the command came in: what it files once per message is keyed by it. */
  eventId: string;
  /** Who typed it, as the platform names them (a complaint's rating is put to this account). */
  senderId: string;
  /** The thread the command came in (answers about what it filed go there). */
  threadId: string | null;
  /** The answer is shown to the sender only (a native slash command where the platform can). */
  native: boolean;
  /** The hub's cached identities and chats, to forget after a command changed them. */
  identities: IdentityCache;
  /** People @mentioned in the command (not the bot). */
  mentions: SenderRef[];
  /** The /client search index. */
  partners: PartnerSearchIndex;
  kb: KnowledgeBase;
  outreach: Outreach;
  /** Complaint tickets (投诉): filing, steps, deadlines. */
  complaints: ComplaintDesk;
  /** Start an outbox run now, after planning deliveries. */
  kick(): void;
  /** Drop what the hub cached about people, chats and trainings, after a command changed them. */
  forget(): void;
  /** Say something in another chat (an answer to a handed-off question), through the outbox. */
  send(platform: Platform, externalChatId: string, message: OutboundMessage, threadId?: string): Promise<boolean>;
  logger: Logger;
  /** The registry, for /help. */
  commands: readonly Command[];
}

export interface Command {
  name: string;
  /** Other names typed for it, e.g. Chinese ones (/客户). */
  aliases?: string[];
  /** Shown in /help and when arguments are missing. */
  usage: string;
  summary: string;
  staffOnly: boolean;
  /**
   * Shows internal client data: never posted where a partner could read it (a partner's group on a
   * platform without private replies).
   */
  confidential?: boolean;
  run(ctx: CommandContext): Promise<OutboundMessage[]>;
}

export const text = (t: string): OutboundMessage => ({ type: "text", text: t });

/** Thrown by a command when its arguments are wrong; the registry answers with the usage. */
export class UsageError extends Error {
  constructor(readonly hint?: string) {
    super(hint ?? "usage");
  }
}
