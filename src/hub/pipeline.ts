// The hub's inbound path: look up who and where -> classify (src/hub/classify.ts) -> store (dedupe on the
// unique message id) -> the route's handler (src/hub/routes/) -> replies, handed to the outbox here only.
import type { InboundEvent, OutboundMessage, Platform } from "../../adapters/contract.ts";
import type { InteractionInput } from "../history/log.ts";
import { classify, type Route } from "./classify.ts";
import type { HubDeps } from "./deps.ts";
import { inboundRow, lookUp, type Looked } from "./facts.ts";
import { CLOCK_SKEW_ALLOWANCE_MS, cleanEvent, INBOUND_LEASE_MS, LEASE_RENEW_MS, MAX_HANDLING_ATTEMPTS, MAX_RECOVERY_AGE_MS, parseEvent, RECOVERY_BATCH, serializeEvent } from "./inbound-state.ts";
import { answerRoute } from "./routes/index.ts";
import { TrainingWindows } from "./routes/question.ts";
import type { RouteDeps } from "./routes/types.ts";
import { answerKey } from "../outbox/outbox.ts";

/** An event stored (the platform may be acknowledged); `handled` settles once it is answered. */
export interface Accepted {
  duplicate: boolean;
  handled: Promise<void>;
}

/** Answering an event again: its answers were planned already ("done"), or not yet ("again"). */
type Recovering = "done" | "again";

/** What #prepare found out about an event, where it goes, and the row it is stored as. */
interface Prepared {
  facts: Looked;
  route: Route;
  row: InteractionInput;
}

export class Hub {
  readonly #trainings: TrainingWindows;
  readonly #routeDeps: RouteDeps;
  /** Stored events this instance is answering now; their leases are renewed together while it takes long. */
  readonly #holding = new Set<number>();
  #renewer: NodeJS.Timeout | null = null;

  constructor(private readonly deps: HubDeps) {
    this.#trainings = new TrainingWindows(deps.db, deps.clock, deps.timeZone);
    this.#routeDeps = {
      ...deps,
      sendTo: (...args) => this.sendTo(...args),
      forget: () => this.forgetCaches(),
      trainingFor: (partnerId, at) => this.#trainings.of(partnerId, at),
    };
  }

  /** The /client search index commands use. */
  get partnerIndex() {
    return this.deps.partners;
  }

  /** Drops cached identities, chats and training windows (after they changed elsewhere). */
  forgetCaches(): void {
    this.deps.identities.invalidate();
    this.#trainings.clear();
  }

  /** The hub speaking first (not a reply): through the outbox's priority lane, logged in the chat's partner's history. */
  async sendTo(platform: Platform, externalChatId: string, message: OutboundMessage, threadId?: string, kind = "notice", key?: string, staffId?: number): Promise<boolean> {
    if (!this.deps.adapters.has(platform)) return false;
    const chat = await this.deps.identities.chat(platform, { id: externalChatId, kind: "group" });
    // A private chat is filed under its contact's partner, as what they say there is.
    const partnerId = chat.partnerId ?? (chat.contactId === null ? null : ((await this.deps.db.contact.findUnique({ where: { id: chat.contactId }, select: { partnerId: true } }))?.partnerId ?? null));
    return this.deps.outbox.reply({ platform, target: { chatId: externalChatId, threadId }, chatId: chat.id, partnerId, staffId }, message, kind, key);
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
    // Most of what is said in a group is not for the bot: such a row is stored as handled, with nothing to redo.
    const quiet = prepared.route.kind === "chatter";
    const pending = quiet ? undefined : { event: serializeEvent(event, prepared.row.text), leaseUntil };
    const { duplicate, id } = await log.record({ ...prepared.row, pending });
    if (quiet && !duplicate) return { duplicate: false, handled: Promise.resolve() };
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
   * Handling an event again, after a stop: whether its answers were already planned (the outbox has them,
   * whatever became of them since), or, from before the outbox planned replies, are in the history.
   */
  async #answeredAlready(event: InboundEvent, chatId: number): Promise<Recovering> {
    const { db } = this.deps;
    const planned = await db.delivery.findUnique({ where: { dedupeKey: answerKey(event.platform, event.chat.id, event.messageId, 0) }, select: { id: true } });
    if (planned) return "done";
    const since = new Date(event.at.getTime() - 60_000);
    const replied = await db.interaction.findFirst({ where: { chatId, inReplyTo: event.messageId, direction: "OUT", createdAt: { gte: since } }, select: { id: true } });
    return replied ? "done" : "again";
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
      await this.#process(prepared, attempt > 1 ? await this.#answeredAlready(event, prepared.facts.chat.id) : null);
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

  /** Who speaks where, and what the event is (command, vote, question...): where it goes and what its row says. */
  async #prepare(event: InboundEvent): Promise<Prepared> {
    const facts = await lookUp(this.deps, event);
    const route = classify(facts);
    return { facts, route, row: inboundRow(facts, route, this.deps.maxMessageChars) };
  }

  /** Answers a stored event through its route's handler, and hands the replies to the outbox. */
  async #process({ facts, route }: Prepared, recovering: Recovering | null = null): Promise<void> {
    if (recovering === "done") return;
    const { deps } = this;
    const { event, chat, partnerId } = facts;
    const said = await answerRoute(facts, route, recovering !== null, this.#routeDeps);
    const answered = Array.isArray(said) ? { messages: said } : said;
    if (!answered?.messages.length) return;
    // A command may have just bound this chat (/bind): its answer already belongs to the partner.
    const replyPartnerId = (await deps.identities.chat(event.platform, event.chat)).partnerId ?? partnerId;
    const privately = answered.privately ?? ("privately" in route && route.privately);
    const target = { chatId: event.chat.id, threadId: answered.threadId ?? event.threadId, ephemeralTo: privately ? event.sender.id : undefined };
    await deps.outbox.answer({ platform: event.platform, target, chatId: chat.id, partnerId: replyPartnerId, inReplyTo: event.messageId }, answered.messages, answered.kind);
  }
}
