// The hub's inbound path: identity -> log (dedupe on the unique message id) -> route -> reply.
import type { Adapter, InboundEvent, InboundMessage, OutboundMessage, Platform } from "../../adapters/contract.ts";
import { bareConfirmation } from "../commands/confirmation.ts";
import type { CommandRegistry, ParsedCommand } from "../commands/registry.ts";
import type { Db } from "../db/client.ts";
import type { InteractionInput, InteractionLog } from "../history/log.ts";
import type { Clock } from "../lib/clock.ts";
import type { Logger } from "../lib/logger.ts";
import type { Outbox } from "../outbox/outbox.ts";
import type { Outreach } from "../outreach/service.ts";
import type { PartnerSearchIndex } from "../partners/search-index.ts";
import type { Actor, IdentityResolver, ResolvedChat } from "./identity.ts";
import { numberedVote, type NumberedVote } from "./numbered-reply.ts";
import { commandOf, eventText, forTheBot, SHARE_FLAG } from "./event-kind.ts";
import { cutText } from "../text/storable.ts";
import { CLOCK_SKEW_ALLOWANCE_MS, cleanEvent, INBOUND_LEASE_MS, LEASE_RENEW_MS, MAX_HANDLING_ATTEMPTS, MAX_RECOVERY_AGE_MS, parseEvent, RECOVERY_BATCH, serializeEvent } from "./inbound-state.ts";
import { TtlCache } from "../lib/ttl-cache.ts";
import { answerText, type Answerer } from "../answer/answerer.ts";
import { handedOffAlready, handOff } from "../answer/handoff.ts";
import { trainingInWindow } from "../service/training-followup.ts";
import { HELLO, isGreeting } from "../answer/intent.ts";
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

/** An event stored (the platform may be acknowledged); `handled` settles once it is answered. */
export interface Accepted {
  duplicate: boolean;
  handled: Promise<void>;
}

/** Answering an event again: its answer is in the history already, or may be in the chat since then. */
type Recovering = "done" | Date;

/** What #prepare found out about an event, for its stored row and its handling. */
interface Prepared {
  adapter: Adapter;
  chat: ResolvedChat;
  actor: Actor;
  partnerId: number | null;
  full: string;
  tooLong: boolean;
  command: ParsedCommand | null;
  privateReply: boolean;
  vote: NumberedVote | null;
  pressed: boolean;
  pollAnswer: { pollId: string; value: string; comment?: string } | null;
  row: InteractionInput;
  /** Nothing to answer (chatter, an image, talk among people): stored as handled. */
  quiet: boolean;
}

/** How long a partner's training window lookup is reused; a new /training add shows within this. */
const TRAINING_CACHE_MS = 60_000;

export class Hub {
  readonly #trainings: TtlCache<Awaited<ReturnType<typeof trainingInWindow>>>;
  /** Stored events this instance is answering now; their leases are renewed together while it takes long. */
  readonly #holding = new Set<number>();
  #renewer: NodeJS.Timeout | null = null;

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

  /**
   * Stores one inbound event durably and starts handling it. Resolves once the event is in the database,
   * which is when the adapter may acknowledge the platform (a 200 promises the event is kept); `handled`
   * settles when its replies are sent and logged. Rejects when the event could not be stored: the
   * adapter then answers with an error, and the platform delivers it again.
   */
  async accept(raw: InboundEvent): Promise<Accepted> {
    const { log, logger, clock } = this.deps;
    const { event, fixed } = cleanEvent(raw, clock.now());
    if (fixed.length) logger.warn({ platform: event.platform, messageId: event.messageId, fixed }, "inbound event cleaned before storing");
    const prepared = await this.#prepare(event);
    const leaseUntil = new Date(clock.now().getTime() + INBOUND_LEASE_MS);
    const pending = prepared.quiet ? undefined : { event: serializeEvent(event, prepared.row.text), leaseUntil };
    const { duplicate, id } = await log.record({ ...prepared.row, pending });
    if (prepared.quiet && !duplicate) return { duplicate: false, handled: Promise.resolve() };
    if (!duplicate && id !== undefined) return { duplicate: false, handled: this.#run(id, event, prepared) };
    const taken = await this.#takeOver(event);
    if (taken === null) {
      logger.info({ platform: event.platform, messageId: event.messageId }, "duplicate event ignored");
      return { duplicate: true, handled: Promise.resolve() };
    }
    logger.warn({ platform: event.platform, messageId: event.messageId, id: taken }, "re-delivered event was never answered; handling it again");
    return { duplicate: true, handled: this.#run(taken, event, prepared, 2) };
  }

  /** Handles one inbound event end to end. Resolves once its replies are sent and logged. */
  async handle(event: InboundEvent): Promise<void> {
    await (await this.accept(event)).handled;
  }

  /**
   * Handles what a stopped instance stored (and acknowledged) but never answered: events not handled
   * whose lease ran out. Run at start and every minute; of several instances, one takes each event.
   */
  async recover(): Promise<number> {
    const { db, log, logger, clock } = this.deps;
    const now = clock.now();
    const stale = await db.interaction.findMany({
      where: { handledAt: null, leaseUntil: { lt: new Date(now.getTime() - CLOCK_SKEW_ALLOWANCE_MS) }, direction: "IN" },
      select: { id: true, event: true, createdAt: true, attempts: true, platform: true, externalMessageId: true, text: true },
      orderBy: { id: "asc" },
      take: RECOVERY_BATCH,
    });
    let handled = 0;
    for (const row of stale) {
      const gaveUp = row.attempts >= MAX_HANDLING_ATTEMPTS ? "attempts" : now.getTime() - row.createdAt.getTime() > MAX_RECOVERY_AGE_MS ? "age" : !row.event ? "no event" : null;
      if (gaveUp) {
        logger.error({ id: row.id, platform: row.platform, messageId: row.externalMessageId, attempts: row.attempts, reason: gaveUp }, "inbound event given up unhandled");
        await log.handled(row.id, now);
        continue;
      }
      if (!(await log.takeOver(row.id, new Date(now.getTime() - CLOCK_SKEW_ALLOWANCE_MS), new Date(now.getTime() + INBOUND_LEASE_MS), MAX_HANDLING_ATTEMPTS))) continue;
      const event = parseEvent(row.event!, row);
      if (!this.deps.adapters.has(event.platform)) continue;
      logger.warn({ id: row.id, platform: row.platform, messageId: row.externalMessageId }, "handling an event a stopped hub stored but never answered");
      await this.#run(row.id, event, await this.#prepare(event), row.attempts + 1).catch(() => {});
      handled++;
    }
    return handled;
  }

  /**
   * Handling an event again, after a stop: whether its answer is already in the history ("done"), else
   * since when it may be in the chat unrecorded (the stop fell between a send and its record).
   */
  async #answeredAlready(event: InboundEvent, chatId: number): Promise<Recovering> {
    const since = new Date(event.at.getTime() - 60_000);
    const replied = await this.deps.db.interaction.findFirst({
      where: { chatId, direction: "OUT", createdAt: { gte: since }, meta: { contains: `"inReplyTo":${JSON.stringify(event.messageId)}` } },
      select: { id: true },
    });
    return replied ? "done" : since;
  }

  /** An unfinished stored copy of this event whose holder's lease ran out, taken over; else null. */
  async #takeOver(event: InboundEvent): Promise<number | null> {
    const row = await this.deps.db.interaction.findUnique({
      where: { platform_externalMessageId: { platform: event.platform, externalMessageId: event.messageId } },
      select: { id: true, handledAt: true },
    });
    if (!row || row.handledAt) return null;
    const now = this.deps.clock.now();
    const expiredBefore = new Date(now.getTime() - CLOCK_SKEW_ALLOWANCE_MS);
    return (await this.deps.log.takeOver(row.id, expiredBefore, new Date(now.getTime() + INBOUND_LEASE_MS), MAX_HANDLING_ATTEMPTS)) ? row.id : null;
  }

  /** Handles a stored event while holding its lease; marks it handled when done. */
  async #run(id: number, event: InboundEvent, prepared: Prepared, attempt = 1): Promise<void> {
    const { log, logger, clock } = this.deps;
    this.#holding.add(id);
    this.#renewer ??= this.#startRenewing();
    try {
      await this.#process(event, prepared, attempt > 1 ? await this.#answeredAlready(event, prepared.chat.id) : null);
    } catch (err) {
      logger.error({ err, id, platform: event.platform, messageId: event.messageId }, "event handling failed");
      throw err;
    } finally {
      this.#holding.delete(id);
    }
    // Not waited for: the answer is out; should this mark be lost, a takeover finds the answer in the history.
    log.handled(id, clock.now()).catch((err) => logger.warn({ err, id }, "marking an event handled failed"));
  }

  /** One timer for every event being answered: each LEASE_RENEW_MS, whatever is still held keeps its lease. */
  #startRenewing(): NodeJS.Timeout {
    const { log, logger, clock } = this.deps;
    const timer = setInterval(() => {
      if (!this.#holding.size) return;
      log.extendLeases([...this.#holding], new Date(clock.now().getTime() + INBOUND_LEASE_MS)).catch((err) => logger.warn({ err, held: this.#holding.size }, "inbound lease renewal failed"));
    }, LEASE_RENEW_MS);
    timer.unref();
    return timer;
  }

  /** Who speaks where, and what the event is (command, vote, question...): what its stored row says. */
  async #prepare(event: InboundEvent): Promise<Prepared> {
    const deps = this.deps;
    const { identities } = deps;
    const adapter = deps.adapters.get(event.platform);
    if (!adapter) throw new Error(`Event from platform ${event.platform} without an adapter`);
    const chat = await identities.chat(event.platform, event.chat);
    const actor = await identities.actor(event.platform, event.sender, chat);
    const partnerId = chat.partnerId ?? (actor.kind === "contact" ? actor.partnerId : null);
    if (actor.kind === "contact" && chat.kind === "direct") await identities.directChatWith(chat, actor.contactId);
    const full = eventText(event);
    const tooLong = full.length > deps.maxMessageChars;
    // Staff may answer a confirmation with a plain 确认 / 取消 (src/commands/confirmation.ts).
    const command = tooLong ? null : (commandOf(event) ?? (actor.kind === "staff" && event.type === "message" ? await bareConfirmation(deps.db, actor.staffId, chat.id, event.text, event.chat.kind === "direct" || event.mentioned) : null));
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
    const row: InteractionInput = {
      platform: event.platform,
      direction: "IN",
      kind,
      text: tooLong ? cutText(full, deps.maxMessageChars) : vote ? `[操作] poll:${vote.pollId}:${vote.option}=${vote.value}${vote.comment ? ` ${vote.comment}` : ""}` : full,
      partnerId,
      contactId: actor.kind === "contact" ? actor.contactId : null,
      staffId: actor.kind === "staff" ? actor.staffId : null,
      chatId: chat.id,
      externalMessageId: event.messageId,
      createdAt: event.at,
      meta: Object.keys(meta).length ? meta : undefined,
    };
    // Most of what is said in a group is not for the bot: such a row is stored as handled, with nothing to redo.
    const quiet =
      event.type === "message" && !tooLong && !command && !vote && (event.contentType !== "text" || !forTheBot(event, chat, actor));
    return { adapter, chat, actor, partnerId, full, tooLong, command, privateReply, vote, pressed: pressed !== null, pollAnswer, row, quiet };
  }

  /** Answers a stored event: runs its command, counts its vote, answers its question, welcomes. */
  async #process(event: InboundEvent, p: Prepared, recovering: Recovering | null = null): Promise<void> {
    if (recovering === "done") return;
    const deps = this.deps;
    const { identities } = deps;
    const { adapter, chat, actor, partnerId, full, tooLong, command, privateReply, vote, pressed, pollAnswer } = p;
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
      replies = await this.#answer(event, chat, actor, partnerId, recovering !== null);
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
    for (const [index, message] of replies.entries()) {
      const uncertainSince = recovering ?? undefined;
      await deps.outbox.reply({ platform: event.platform, target, chatId: chat.id, partnerId: replyPartnerId, inReplyTo: event.messageId, index, uncertainSince }, message);
    }
    if (recovering) deps.kick();
  }

  /** A question gets a cited answer or a hand-off; chatter and talk not meant for the bot get nothing. */
  /** `again`: answered once more after a stop, so a hand-off may be filed already. */
  async #answer(event: InboundMessage, chat: ResolvedChat, actor: Actor, partnerId: number | null, again = false): Promise<OutboundMessage[] | null> {
    if (!forTheBot(event, chat, actor)) return null;
    if (event.chat.kind === "direct" && isGreeting(event.text)) return [{ type: "text", text: HELLO }];
    const training = await this.#trainingFor(partnerId, event.at);
    const result = await this.deps.answerer.answer(event.text, training?.title);
    if (result.kind !== "unsure") return [{ type: "text", text: answerText(result) }];
    if (again) {
      const notice = await handedOffAlready(this.deps.db, { platform: event.platform, externalChatId: event.chat.id, text: event.text, askedAt: event.at });
      if (notice) return [{ type: "text", text: notice }];
    }
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
