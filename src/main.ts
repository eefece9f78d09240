// The composition root: configuration, database, the hub and its adapters, wired once.
import type { Adapter, Capabilities, LanguageModel, Platform } from "../adapters/contract.ts";
import { BUILTIN_COMMANDS, CommandRegistry } from "./commands/registry.ts";
import type { Config } from "./config.ts";
import { openDatabase, type Db } from "./db/client.ts";
import { InteractionLog } from "./history/log.ts";
import { checkClockSkew } from "./db/clock-skew.ts";
import { CLOCK_SKEW_ALLOWANCE_MS } from "./hub/inbound-state.ts";
import { Hub } from "./hub/pipeline.ts";
import { IdentityResolver } from "./hub/identity.ts";
import { systemClock, type Clock } from "./lib/clock.ts";
import { describeDatabaseUrl, type Logger } from "./lib/logger.ts";
import { Outbox } from "./outbox/outbox.ts";
import { Answerer } from "./answer/answerer.ts";
import { KnowledgeBase } from "./answer/kb-store.ts";
import { jobTable, type Job } from "./scheduler/table.ts";
import { PartnerSearchIndex } from "./partners/search-index.ts";
import { OutboxWorker } from "./outbox/worker.ts";
import { limitsOf, type RateLimit } from "./outbox/rate-limit.ts";
import { platformCapabilities } from "../adapters/platforms.ts";
import { Outreach } from "./outreach/service.ts";
import { enqueue } from "./outbox/enqueue.ts";
import { settingsOf } from "./settings.ts";
import { ComplaintDesk } from "./service/complaints.ts";
import { complaintFromPoll } from "./service/complaint-poll.ts";
import { loadThesaurus } from "./answer/thesaurus.ts";
import { voteHandler } from "./outreach/votes.ts";
import { followSessions } from "./hub/sessions.ts";

export interface App {
  db: Db;
  /** The cron table's jobs; `npm start` runs them (src/scheduler/table.ts). */
  jobs: Job[];
  hub: Hub;
  log: InteractionLog;
  /** Sends what outreach planned; `npm start` runs it every second, tests call drain(). */
  worker: OutboxWorker;
  outreach: Outreach;
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
  /** Outbox pacing per platform (tests and the bench set their own). */
  limits?: Record<Platform, RateLimit>;
  /** How the outbox waits for a rate-limit slot (tests advance a manual clock). */
  sleep?: (ms: number) => Promise<void>;
}

export async function createApp(opts: AppOptions): Promise<App> {
  const { config, logger } = opts;
  const settings = settingsOf(config);
  const clock = opts.clock ?? systemClock;
  // Files the operator names are checked before anything is opened: a bad line stops the start.
  const thesaurus = loadThesaurus(config.HUB_THESAURUS);
  const database = await openDatabase(config.DATABASE_URL, opts.root, { checkpointErrors: (error) => logger.warn({ error }, "SQLite checkpoint failed; the next pass tries again") });
  const where = database.target.dialect === "sqlite" ? database.target.file : describeDatabaseUrl(database.target.url);
  logger.info({ dialect: database.target.dialect, where, migrated: database.applied }, "database ready");
  const { db } = database;
  if (database.target.dialect === "postgres") await checkClockSkew(db, clock, logger, CLOCK_SKEW_ALLOWANCE_MS / 2);
  const adapters = new Map(opts.adapters.map((a) => [a.platform, a] as const));
  // Platform facts (pace, buttons, names) as the adapters state them; those not running here as configured.
  const stated: Record<Platform, Capabilities> = { ...platformCapabilities({ wechatPerMinute: config.HUB_WECHAT_PER_MINUTE }), ...Object.fromEntries(opts.adapters.map((a) => [a.platform, a.capabilities])) };
  // Pacing set by the caller (tests, the bench) holds for everything that reads a platform's pace.
  const capabilities = Object.fromEntries(Object.entries(stated).map(([p, c]) => [p, { ...c, rateLimit: opts.limits?.[p as Platform] ?? c.rateLimit }])) as Record<Platform, Capabilities>;
  const log = new InteractionLog(db);
  const kb = new KnowledgeBase(db, () => clock.now().getTime(), thesaurus);
  const worker = new OutboxWorker({
    db,
    adapters,
    log,
    clock,
    logger,
    limits: limitsOf(capabilities),
    quietHours: settings.quietHours,
    sleep: opts.sleep,
    pollOpenMs: config.HUB_POLL_OPEN_DAYS * 86_400_000,
  });
  // Everything the hub says goes through this one outbox: replies and staff alerts in its priority lane.
  const outbox = new Outbox(db, worker, clock);
  const outreach = new Outreach(db, clock, {
    festivals: settings.festivals,
    templates: settings.templates,
    sendTime: settings.sendTime,
    sendTimes: settings.sendTimes,
    hubTimeZone: config.HUB_TIMEZONE,
    company: config.HUB_COMPANY_NAME,
    staffChats: settings.staffChats,
    giftDaysAhead: config.HUB_GIFT_DAYS_AHEAD,
    pollRemindDays: config.HUB_POLL_REMIND_DAYS,
    capabilities,
    quietHours: settings.quietHours,
  }, (platform, userId) => adapters.get(platform)?.directChatId?.(userId) ?? userId, (rows) => outbox.plan(rows, { wait: false }));
  // Something was planned that should go now (a mediation notice): a run of the worker, not a wait for its tick.
  const kick = () => void worker.drain().catch((err) => logger.error({ err }, "outbox run failed"));
  // The one way staff are told something now (src/outreach/service.ts notifyStaff), said once per key.
  const notifyStaff = async (key: string, text: string, kind = "staff", opts: { afterMs?: number } = {}): Promise<number> => {
    const n = await outreach.notifyStaff(key, text, kind, opts);
    if (!n) logger.warn({ key, kind }, "nothing posted to a staff chat: HUB_STAFF_CHAT is unset");
    return n;
  };
  if (!settings.staffChats.length) {
    logger.warn({}, "HUB_STAFF_CHAT is unset: hand-offs and escalations reach staff privately only (the colleague named, on the platforms they have an account on) and through /questions; set it to a staff group (see /whoami in that group)");
  }
  for (const c of settings.staffChats) {
    if (!adapters.has(c.platform)) logger.warn({ platform: c.platform, chat: c.chatId }, "HUB_STAFF_CHAT names a platform this hub does not run: posts to that chat wait until an instance that runs it sends them");
  }
  // Complaint tickets (投诉): their sends go through the hub into the outbox (the hub is made just below and
  // is only called once events flow), their staff notices through the same notifyStaff.
  const complaints = new ComplaintDesk({
    db, clock, timeZone: config.HUB_TIMEZONE, workingHours: settings.workingHours, sla: settings.complaintSla,
    notifyStaff: (key, text, kind) => notifyStaff(key, text, kind),
    notifyPerson: async (name, key, text) => {
      const planned = await outreach.notifyPerson(name, key, text);
      kick();
      return planned;
    },
    send: (platform, chatId, message, threadId, kind, key, staffId) => hub.sendTo(platform, chatId, message, threadId, kind, key, staffId),
    record: (row) => log.record(row),
  });
  // Before the adapters start: a WeChat re-login re-attaches bindings to the new session's ids.
  const sessionJobs = followSessions({ db, adapters, logger, clock, notifyStaff: (key, text) => notifyStaff(key, text) });
  const hub: Hub = new Hub({
    db,
    clock,
    logger,
    log,
    identities: new IdentityResolver(db, clock),
    partners: new PartnerSearchIndex(db, clock),
    commands: new CommandRegistry(BUILTIN_COMMANDS, logger),
    outbox,
    adapters,
    timeZone: config.HUB_TIMEZONE,
    maxMessageChars: config.HUB_MAX_MESSAGE_CHARS,
    welcome: settings.welcome,
    kb,
    answerer: new Answerer(kb, config.HUB_ANSWER_MIN_CONFIDENCE, opts.llm, logger),
    choiceTimeoutMs: config.HUB_CHOICE_TIMEOUT_MINUTES * 60_000,
    notifyStaff,
    onVote: voteHandler(db, outreach, kick, logger, (v, name) => complaintFromPoll(complaints, v, name)),
    outreach,
    complaints,
    kick,
  });
  const started: Adapter[] = [];
  try {
    for (const a of adapters.values()) {
      await a.start(async (event) => {
        try {
          const accepted = await hub.accept(event);
          accepted.handled.catch(() => {}); // logged by the hub; the adapter has acknowledged already
          return accepted;
        } catch (err) {
          logger.error({ err, platform: event.platform, messageId: event.messageId }, "inbound event not stored; the platform is answered with an error");
          throw err;
        }
      });
      started.push(a);
    }
  } catch (err) {
    await Promise.all(started.map((a) => a.stop()));
    await database.close();
    throw err;
  }
  // Cron ticks only plan: what they say goes into the outbox under a dedupe key, and the worker sends it.
  const toStaff = async (key: string, text: string) => (await notifyStaff(key, text)) > 0;
  const toGroup = async (platform: Platform, chatId: string, text: string, key: string) => {
    await enqueue(db, [{ dedupeKey: key, kind: "training", platform, externalChatId: chatId, message: { type: "text", text }, notBefore: clock.now(), timeZone: config.HUB_TIMEZONE }], clock.now());
    kick();
    return true;
  };
  const jobs = jobTable({
    recoverInbound: () => hub.recover(),
    sessionJobs,
    outreach,
    training: { db, clock, timeZone: config.HUB_TIMEZONE, notifyStaff: toStaff, send: toGroup },
    escalation: { db, clock, timeZone: config.HUB_TIMEZONE, workingHours: settings.workingHours, slaWorkingHours: config.HUB_QUESTION_SLA_HOURS, notifyStaff: toStaff },
    newPartnerVisits: { db, clock, days: config.HUB_NEW_PARTNER_VISIT_DAYS },
    complaints,
    choiceTimeout: {
      db, clock, notifyStaff,
      notifyPerson: (name, key, text) => outreach.notifyPerson(name, key, text, { kind: "handoff" }),
      tellPartner: (platform, chatId, text, threadId, key) => hub.sendTo(platform, chatId, { type: "text", text }, threadId, "handoff", key),
    },
    satisfactionPollCron: settings.satisfactionPollCron,
  });
  return {
    db,
    jobs,
    hub,
    log,
    worker,
    outreach,
    adapters,
    async close() {
      await worker.stop();
      await Promise.all(started.map((a) => a.stop()));
      await log.flush();
      await database.close();
    },
  };
}
