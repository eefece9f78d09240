// The composition root: configuration, database, the hub and its adapters, wired once.
import type { Adapter, LanguageModel, Platform } from "../adapters/contract.ts";
import { BUILTIN_COMMANDS, CommandRegistry } from "./commands/registry.ts";
import type { Config } from "./config.ts";
import { openDatabase, type Db } from "./db/client.ts";
import { InteractionLog } from "./history/log.ts";
import { Hub } from "./hub/pipeline.ts";
import { IdentityResolver } from "./hub/identity.ts";
import { systemClock, type Clock } from "./lib/clock.ts";
import { describeDatabaseUrl, type Logger } from "./lib/logger.ts";
import { Outbox } from "./outbox/outbox.ts";
import { Answerer } from "./answer/answerer.ts";
import { KnowledgeBase } from "./answer/kb-store.ts";
import { escalateOverdue } from "./answer/escalate.ts";
import { inviteAttendees, reportUnanswered } from "./answer/training.ts";
import { parseWorkingHours } from "./lib/working-time.ts";
import type { Job } from "./scheduler/table.ts";
import { PartnerSearchIndex } from "./partners/search-index.ts";

export interface App {
  db: Db;
  /** The cron table's jobs; `npm start` runs them (src/scheduler/table.ts). */
  jobs: Job[];
  hub: Hub;
  log: InteractionLog;
  adapters: ReadonlyMap<Platform, Adapter>;
  close(): Promise<void>;
}

export interface AppOptions {
  config: Config;
  logger: Logger;
  adapters: Adapter[];
  clock?: Clock;
  /** The optional LLM for answers. */
  llm?: LanguageModel;
  /** Where data/ lives when DATABASE_URL is unset; the project root by default. */
  root?: string;
}

export async function createApp(opts: AppOptions): Promise<App> {
  const { config, logger } = opts;
  const clock = opts.clock ?? systemClock;
  const database = await openDatabase(config.DATABASE_URL, opts.root);
  const where = database.target.dialect === "sqlite" ? database.target.file : describeDatabaseUrl(database.target.url);
  logger.info({ dialect: database.target.dialect, where, migrated: database.applied }, "database ready");
  const { db } = database;
  const adapters = new Map(opts.adapters.map((a) => [a.platform, a] as const));
  const log = new InteractionLog(db);
  const kb = new KnowledgeBase(db, () => clock.now().getTime());
  const staffChats = parseStaffChats(config.HUB_STAFF_CHAT ?? "");
  // Every staff chat that is configured (one per platform staff use) gets it.
  const notifyStaff = async (text: string, kind: string): Promise<boolean> => {
    let delivered = false;
    for (const c of staffChats) delivered = (await hub.sendTo(c.platform, c.chatId, { type: "text", text }, undefined, kind)) || delivered;
    if (!delivered) logger.warn({ staffChats: config.HUB_STAFF_CHAT ?? null, kind }, "nothing posted to a staff chat (HUB_STAFF_CHAT unset or unreachable); /questions still lists it");
    return delivered;
  };
  const hub: Hub = new Hub({
    db,
    clock,
    logger,
    log,
    identities: new IdentityResolver(db, clock),
    partners: new PartnerSearchIndex(db, clock),
    commands: new CommandRegistry(BUILTIN_COMMANDS, logger),
    outbox: new Outbox(adapters, log, clock, logger),
    adapters,
    timeZone: config.HUB_TIMEZONE,
    maxMessageChars: config.HUB_MAX_MESSAGE_CHARS,
    welcome: config.HUB_WELCOME_MESSAGE.trim() === "off" ? null : config.HUB_WELCOME_MESSAGE,
    kb,
    answerer: new Answerer(kb, config.HUB_ANSWER_MIN_CONFIDENCE, opts.llm, logger),
    notifyStaff,
  });
  const started: Adapter[] = [];
  try {
    for (const a of adapters.values()) {
      await a.start((event) =>
        hub.handle(event).catch((err) => {
          logger.error({ err, platform: event.platform, messageId: event.messageId }, "event handling failed");
          throw err;
        }),
      );
      started.push(a);
    }
  } catch (err) {
    await Promise.all(started.map((a) => a.stop()));
    await database.close();
    throw err;
  }
  const workingHours = parseWorkingHours(config.HUB_WORKING_HOURS, config.HUB_WORKING_DAYS);
  const say = (kind: string) => (platform: Platform, chatId: string, text: string) => hub.sendTo(platform, chatId, { type: "text", text }, undefined, kind);
  const training = { db, clock, timeZone: config.HUB_TIMEZONE, notifyStaff: (text: string) => notifyStaff(text, "escalation") };
  const jobs: Job[] = [
    { name: "training-invite", schedule: "0 10 * * *", run: () => inviteAttendees({ ...training, send: say("training") }) },
    { name: "training-report", schedule: "0 18 * * *", run: () => reportUnanswered({ ...training, send: say("training") }) },
    {
      name: "escalate-questions",
      schedule: "*/5 * * * *",
      run: () =>
        escalateOverdue({
          db,
          clock,
          timeZone: config.HUB_TIMEZONE,
          workingHours,
          slaWorkingHours: config.HUB_QUESTION_SLA_HOURS,
          notifyStaff: (text) => notifyStaff(text, "escalation"),
        }),
    },
  ];
  return {
    db,
    jobs,
    hub,
    log,
    adapters,
    async close() {
      await Promise.all(started.map((a) => a.stop()));
      await log.flush();
      await database.close();
    },
  };
}

/** HUB_STAFF_CHAT "slack:C0123,lark:oc_9" (its form checked in config.ts) -> the staff chats. */
function parseStaffChats(value: string): { platform: Platform; chatId: string }[] {
  return value
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean)
    .map((one) => {
      const colon = one.indexOf(":");
      return { platform: one.slice(0, colon) as Platform, chatId: one.slice(colon + 1) };
    });
}
