// The hub's inbound path: identity -> log (dedupe on the unique message id) -> route -> reply.
import type { Adapter, InboundEvent, InboundMessage, OutboundMessage, Platform } from "../../adapters/contract.ts";
import { bareConfirmation } from "../commands/confirmation.ts";
import { parseCommandText, type CommandRegistry, type ParsedCommand } from "../commands/registry.ts";
import type { Db } from "../db/client.ts";
import type { InteractionLog } from "../history/log.ts";
import type { Clock } from "../lib/clock.ts";
import type { Logger } from "../lib/logger.ts";
import type { Outbox } from "../outbox/outbox.ts";
import type { Outreach } from "../outreach/service.ts";
import type { PartnerSearchIndex } from "../partners/search-index.ts";
import type { Actor, IdentityResolver, ResolvedChat } from "./identity.ts";
import { numberedVote } from "./numbered-reply.ts";
import { TtlCache } from "../lib/ttl-cache.ts";
import { answerText, type Answerer } from "../answer/answerer.ts";
import { handOff } from "../answer/handoff.ts";
import { trainingInWindow } from "../answer/training.ts";
import { HELLO, isChatter, isGreeting, looksLikeQuestion } from "../answer/intent.ts";
import type { KnowledgeBase } from "../answer/kb-store.ts";

export interface HubDeps {
  db: Db;
  clock: Clock;
  logger: Logger;
  log: InteractionLog;
  identities: IdentityResolver;
  partners: PartnerSearchIndex;
  commands: CommandRegistry;
  outbox: Outbox;
  adapters: ReadonlyMap<Platform, Adapter>;
  timeZone: string;
  maxMessageChars: number;
  /** Said when people join a bound partner group; {成员} and {客户} are filled in. Null: say nothing. */
  welcome: string | null;
  kb: KnowledgeBase;
  answerer: Answerer;
  /** Posts to the staff chats (HUB_STAFF_CHAT); false when none took it (then /questions still shows it). */
  notifyStaff(text: string, kind: string): Promise<boolean>;
  /** A poll answer (button or numbered reply): recorded, and what to tell the person who voted. */
  onVote(vote: PollAnswer): Promise<string | null>;
  /** Notices, polls and greeting previews for staff commands. */
  outreach: Outreach;
  /** Start an outbox run now (after a command planned deliveries). */
  kick(): void;
}

export interface PollAnswer {
  pollId: string;
  value: string;
  comment?: string;
  actor: Actor;
  platform: Platform;
  senderId: string;
  partnerId: number | null;
  at: Date;
}

const SHARE_FLAG = /(?:^|\s)(?:--share|公开)$/;

function eventText(e: InboundEvent): string {
  if (e.type === "message") return e.text;
  if (e.type === "command") return `/${e.name}${e.args ? ` ${e.args}` : ""}`;
  if (e.type === "member_joined") return `[入群] ${e.members.map((m) => m.name ?? m.id).join("、")}`;
  return `[操作] ${e.actionId}=${e.value}`;
}

function commandOf(e: InboundEvent): ParsedCommand | null {
  if (e.type === "command") return parseCommandText(`/${e.name} ${e.args}`);
  if (e.type === "message" && e.contentType === "text") return parseCommandText(e.text);
  return null;
}

/**
 * A re-delivery this long after the original, with no reply since, means the original was lost half-way
 * (Slack retries after 1 and 5 minutes, Lark after 15 s, 5 min, 1 h and 6 h). Shorter: still in progress.
 */
const REDELIVERY_GRACE_MS = 60_000;

/** How long a partner's training window lookup is reused; a new /training add shows within this. */
const TRAINING_CACHE_MS = 60_000;

export class Hub {
  readonly #trainings: TtlCache<Awaited<ReturnType<typeof trainingInWindow>>>;

  constructor(private readonly deps: HubDeps) {
    this.#trainings = new TtlCache(deps.clock, TRAINING_CACHE_MS);
  }

  /** Drops cached identities, chats and training windows (after they changed elsewhere). */
  forgetCaches(): void {
    this.deps.identities.invalidate();
    this.#trainings.clear();
  }

  /** The hub speaking first (not a reply): through the outbox, logged in the chat's partner's history. */
  async sendTo(platform: Platform, externalChatId: string, message: OutboundMessage, threadId?: string, kind = "notice"): Promise<boolean> {
    if (!this.deps.adapters.has(platform)) return false;
    const chat = await this.deps.identities.chat(platform, { id: externalChatId, kind: "group" });
    return this.deps.outbox.reply({ platform, target: { chatId: externalChatId, threadId }, chatId: chat.id, partnerId: chat.partnerId }, message, kind);
  }

  /** Handles one inbound event end to end. Resolves once its replies are sent and logged. */
  async handle(event: InboundEvent): Promise<void> {
    const deps = this.deps;
    const { identities, log, logger } = deps;
    const adapter = deps.adapters.get(event.platform);
    if (!adapter) throw new Error(`Event from platform ${event.platform} without an adapter`);
    const chat = await identities.chat(event.platform, event.chat);
    const actor = await identities.actor(event.platform, event.sender, chat);
    const partnerId = chat.partnerId ?? (actor.kind === "contact" ? actor.partnerId : null);
    if (actor.kind === "contact" && chat.kind === "direct") await identities.directChatWith(chat, actor.contactId);
    const full = eventText(event);
    const tooLong = full.length > deps.maxMessageChars;
    // Staff may answer a confirmation with a plain 确认 / 取消 (src/commands/confirmation.ts).
    const command = tooLong ? null : (commandOf(event) ?? (actor.kind === "staff" && event.type === "message" ? await bareConfirmation(deps.db, actor.staffId, chat.id, event.text) : null));
    // A native slash command answers privately unless the asker adds "公开" / "--share".
    const shared = event.type === "command" && command !== null && SHARE_FLAG.test(command.args);
    if (shared) command.args = command.args.replace(SHARE_FLAG, "").trim();
    const privateReply = event.type === "command" && !shared && adapter.capabilities.ephemeral;
    // Without buttons a bare number answers the chat's latest poll; with buttons, a typed "3，发货慢"
    // is how a comment comes with a score, so that form counts everywhere.
    const vote =
      // Staff are not surveyed: their "2" in a partner's group is just a number.
      !tooLong && !command && event.type === "message" && actor.kind !== "staff"
        ? await numberedVote(deps.db, chat.id, event.text, deps.clock.now(), { commentRequired: adapter.capabilities.buttons })
        : null;
    const kind = tooLong ? "rejected" : command ? "command" : vote ? "action" : event.type;
    const pressed = event.type === "action" ? /^poll:(.+):\d+$/.exec(event.actionId) : null;
    const pollAnswer = vote ? { pollId: vote.pollId, value: vote.value, comment: vote.comment } : pressed && event.type === "action" ? { pollId: pressed[1], value: event.value } : null;
    const meta: Record<string, unknown> = {};
    if (vote) meta.via = "numbered_reply";
    if (event.type === "message" && event.contentType !== "text") meta.contentType = event.contentType;
    if (tooLong) meta.originalLength = full.length;
    if (event.threadId) meta.threadId = event.threadId;

    const { duplicate } = await log.record({
      platform: event.platform,
      direction: "IN",
      kind,
      text: tooLong ? full.slice(0, deps.maxMessageChars) : vote ? `[操作] poll:${vote.pollId}:${vote.option}=${vote.value}${vote.comment ? ` ${vote.comment}` : ""}` : full,
      partnerId,
      contactId: actor.kind === "contact" ? actor.contactId : null,
      staffId: actor.kind === "staff" ? actor.staffId : null,
      chatId: chat.id,
      externalMessageId: event.messageId,
      createdAt: event.at,
      meta: Object.keys(meta).length ? meta : undefined,
    });
    if (duplicate && !(await this.#unanswered(event, chat.id))) {
      logger.info({ platform: event.platform, messageId: event.messageId }, "duplicate event ignored");
      return;
    }

    let replies;
    if (tooLong) {
      replies = [{ type: "text" as const, text: `消息太长了（${full.length} 字，上限 ${deps.maxMessageChars} 字），我只记录了前 ${deps.maxMessageChars} 字。请分几条发送。` }];
    } else if (command) {
      replies = await deps.commands.run(
        command,
        {
          db: deps.db,
          clock: deps.clock,
          timeZone: deps.timeZone,
          platform: event.platform,
          capabilities: adapter.capabilities,
          actor,
          chat,
          native: privateReply,
          mentions: (event.type === "message" || event.type === "command" ? event.mentions : undefined) ?? [],
          identities,
          partners: deps.partners,
          kb: deps.kb,
          outreach: deps.outreach,
          kick: deps.kick,
          send: (platform, chatId, message, threadId) => this.sendTo(platform, chatId, message, threadId, "answer"),
          forget: () => this.forgetCaches(),
          logger: deps.logger,
        },
        (entry) => this.#audit(event, actor.kind === "staff" ? actor.staffId : null, entry),
      );
    } else if (event.type === "member_joined") {
      if (!deps.welcome || chat.partnerId === null) return;
      const partner = await deps.db.partner.findUnique({ where: { id: chat.partnerId }, select: { name: true } });
      const names = event.members.map((m) => m.name ?? "新朋友").join("、");
      replies = [{ type: "text" as const, text: deps.welcome.replaceAll("{成员}", names).replaceAll("{客户}", partner?.name ?? "") }];
    } else if (pollAnswer) {
      const said = await deps.onVote({ ...pollAnswer, actor, platform: event.platform, senderId: event.sender.id, partnerId, at: event.at });
      if (!said) return;
      replies = [{ type: "text" as const, text: said }];
    } else if (event.type === "message" && !vote && event.contentType === "text") {
      replies = await this.#answer(event, chat, actor, partnerId);
      if (!replies) return;
    } else {
      return; // logged; nothing to say (a poll answer, an image, ...)
    }
    // A command may have just bound this chat (/bind): its answer already belongs to the partner.
    const replyPartnerId = (await identities.chat(event.platform, event.chat)).partnerId ?? partnerId;
    const target = {
      chatId: event.chat.id,
      threadId: event.threadId,
      ephemeralTo: privateReply || (pressed && adapter.capabilities.ephemeral) ? event.sender.id : undefined,
    };
    for (const message of replies) {
      await deps.outbox.reply({ platform: event.platform, target, chatId: chat.id, partnerId: replyPartnerId, inReplyTo: event.messageId }, message);
    }
  }

  /** A question gets a cited answer or a hand-off; chatter and talk not meant for the bot get nothing. */
  async #answer(event: InboundMessage, chat: ResolvedChat, actor: Actor, partnerId: number | null): Promise<OutboundMessage[] | null> {
    const direct = event.chat.kind === "direct";
    if (chat.internal) return null;
    if (direct && isGreeting(event.text)) return [{ type: "text", text: HELLO }];
    if (isChatter(event.text) || isGreeting(event.text)) return null;
    if (!direct && !event.mentioned) {
      // Talk among people: staff with each other, or a question put to someone by @name.
      if (actor.kind === "staff" || event.mentions?.length || !looksLikeQuestion(event.text)) return null;
    }
    const training = await this.#trainingFor(partnerId, event.at);
    const result = await this.deps.answerer.answer(event.text, training?.title);
    if (result.kind !== "unsure") return [{ type: "text", text: answerText(result) }];
    const { toPartner, toStaff } = await handOff(this.deps.db, {
      partnerId,
      contactId: actor.kind === "contact" ? actor.contactId : null,
      platform: event.platform,
      externalChatId: event.chat.id,
      threadId: event.threadId ?? event.replyAnchor,
      text: event.text,
      askedAt: event.at,
      trainingId: training?.id,
    }, result.suggestions);
    await this.deps.notifyStaff(toStaff, "handoff");
    return [{ type: "text", text: toPartner }];
  }

  /**
   * A re-delivered event normally needs nothing more. But if the hub stopped after logging the original
   * and before answering it (a crash, a deploy), the platform's later retry is the only chance left: a
   * command or question logged over REDELIVERY_GRACE_MS ago with no reply since is handled again.
   */
  async #unanswered(event: InboundEvent, chatId: number): Promise<boolean> {
    if (event.type !== "message" && event.type !== "command") return false;
    const original = await this.deps.db.interaction.findFirst({
      where: { platform: event.platform, externalMessageId: event.messageId },
      select: { createdAt: true, kind: true },
    });
    if (!original || (original.kind !== "command" && original.kind !== "message")) return false;
    if (this.deps.clock.now().getTime() - original.createdAt.getTime() < REDELIVERY_GRACE_MS) return false;
    const replied = await this.deps.db.interaction.findFirst({
      where: { chatId, direction: "OUT", createdAt: { gte: original.createdAt }, meta: { contains: `"inReplyTo":${JSON.stringify(event.messageId)}` } },
      select: { id: true },
    });
    if (replied) return false;
    // Its reply failed and waits in the outbox (or went from there): answered already.
    const retried = await this.deps.db.delivery.findFirst({ where: { dedupeKey: { startsWith: `reply:${event.platform}:${event.chat.id}:${event.messageId}:` } }, select: { id: true } });
    if (retried) return false;
    this.deps.logger.warn({ platform: event.platform, messageId: event.messageId }, "re-delivered event was never answered; handling it again");
    return true;
  }

  /** A partner's training in its follow-up window; looked up at most once a minute per partner. */
  async #trainingFor(partnerId: number | null, at: Date) {
    if (partnerId === null) return null;
    const key = `${partnerId}`;
    const cached = this.#trainings.get(key);
    if (cached !== undefined) return cached;
    const found = await trainingInWindow(this.deps.db, partnerId, at, this.deps.timeZone);
    this.#trainings.set(key, found);
    return found;
  }

  async #audit(event: InboundEvent, staffId: number | null, entry: { action: string; detail: string; allowed: boolean }) {
    await this.deps.db.auditLog.create({
      data: { actor: `${event.platform}:${event.sender.id}`, staffId, ...entry, createdAt: this.deps.clock.now() },
    });
    if (!entry.allowed) this.deps.logger.warn({ actor: `${event.platform}:${event.sender.id}`, action: entry.action }, "command refused");
  }
}
