// The command line: `npx partner-hub <command>`. Operator messages are English; what a staff member
// reads about their data (import problems) is Chinese.
import { Command, CommanderError } from "commander";
import cliProgress from "cli-progress";
import { createConsoleAdapter, type ConsoleOutput } from "../adapters/console/index.ts";
import { AdapterError } from "../adapters/contract.ts";
import { replPrinter, runRepl } from "../adapters/console/repl.ts";
import { createPlatformAdapters, describePlatforms } from "../adapters/platforms.ts";
import { ConfigError, llmSettings, loadConfig, platformSettings, retiredSettings, type Config } from "./config.ts";
import { startHttpServer } from "./http/server.ts";
import { startSchedules } from "./scheduler/table.ts";
import { openDatabase, type Db } from "./db/client.ts";
import { ImportError, UserError } from "./lib/errors.ts";
import { createLogger, scrubText } from "./lib/logger.ts";
import { createApp, type App } from "./main.ts";
import { outreachCommands } from "./cli-outreach.ts";
import type { Logger } from "./lib/logger.ts";
import type { ImportProgress } from "./partners/transfer.ts";
import { exportPartners, importPartners } from "./partners/transfer.ts";
import { exportPartner, forgetPartner } from "./partners/privacy.ts";
import { addStaff, parseRole } from "./staff/store.ts";
import readline from "node:readline";
import type { DestinationStream } from "pino";
import { Answerer, answerEntryId, answerText, choiceIds } from "./answer/answerer.ts";
import { choicesMessage } from "./answer/choices.ts";
import { asText } from "../adapters/fallback.ts";
import { importKb } from "./answer/kb-import.ts";
import { exportKb } from "./answer/kb-export.ts";
import { KnowledgeBase } from "./answer/kb-store.ts";
import { loadThesaurus } from "./answer/thesaurus.ts";
import { HELLO, isChatter, isGreeting } from "./answer/intent.ts";
import { STAFF_ROLES, type StaffRole } from "./partners/fields.ts";

/** Files with fewer partners than this import too fast for a progress bar to help. */
const PROGRESS_MIN_PARTNERS = 1000;

/**
 * What a command reads from the process it runs in. The binary passes nothing, so a command gets the
 * process's own; tests run commands inside their own process with theirs. A running `start` answers the
 * process's signals and ends it: that stays the process's.
 */
export interface CliContext {
  env: NodeJS.ProcessEnv;
  /** Where an unset or relative DATABASE_URL points (data/partner-hub.db). */
  cwd: string;
  /** What `console` and `ask` read; `notice send` asks before sending only when it is a terminal. */
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  /** Where log lines go; file descriptor 2 when not given. */
  logs?: DestinationStream;
}

function processContext(): CliContext {
  return { env: process.env, cwd: process.cwd(), stdin: process.stdin, stdout: process.stdout, stderr: process.stderr };
}

function progressBar(stderr: CliContext["stderr"]): ImportProgress {
  let bar: cliProgress.SingleBar | null = null;
  return {
    start(total) {
      if (total < PROGRESS_MIN_PARTNERS) return;
      bar = new cliProgress.SingleBar(
        { format: "导入中 [{bar}] {percentage}% | {value}/{total} 个客户", noTTYOutput: !stderr.isTTY, notTTYSchedule: 2000, stream: stderr },
        cliProgress.Presets.shades_classic,
      );
      bar.start(total, 0);
    },
    update: (done) => bar?.update(done),
    stop: () => bar?.stop(),
  };
}

/** The LLM when configured; the SDK loads only then. */
async function languageModel(cfg: Config) {
  const settings = llmSettings(cfg);
  if (!settings) return undefined;
  const { createOpenAiModel } = await import("../adapters/llm/openai.ts");
  return createOpenAiModel(settings);
}

/** Opens the database (migrating it) for one command, and always closes it. */
async function withDb<T>(config: Config, root: string, fn: (db: Db) => Promise<T>): Promise<T> {
  const database = await openDatabase(config.DATABASE_URL, root);
  try {
    return await fn(database.db);
  } finally {
    await database.close();
  }
}

/** The cron table and the outbox worker; today's outreach is planned at once, so a restart catches up. */
async function runBackground(app: App, timeZone: string, logger: Logger) {
  const schedules = startSchedules(app.jobs, timeZone, logger);
  await app.hub.recover().catch((err) => logger.error({ err }, "recovering unanswered events failed"));
  await app.outreach.planDay(app.outreach.today()).catch((err) => logger.error({ err }, "planning today's outreach failed"));
  app.worker.start();
  return schedules;
}

function program(out: (s: string) => void, ctx: CliContext): Command {
  const cli = new Command("partner-hub")
    .description("伙伴通 — channel-partner relationship hub")
    .exitOverride()
    .configureOutput({ writeOut: (s) => ctx.stdout.write(s), writeErr: (s) => ctx.stderr.write(s) });
  const config = () => loadConfig(ctx.env);
  const logger = (level: string) => createLogger(level, ctx.logs);
  // One-shot commands log errors only, unless LOG_LEVEL is set.
  const quietLogger = (cfg: Config) => logger(ctx.env.LOG_LEVEL ? cfg.LOG_LEVEL : "error");
  const database = <T>(cfg: Config, fn: (db: Db) => Promise<T>) => withDb(cfg, ctx.cwd, fn);

  cli
    .command("start")
    .description("start the hub with every platform that has credentials (the local console when none has)")
    .action(async () => {
      const cfg = config();
      const log = logger(cfg.LOG_LEVEL);
      for (const line of retiredSettings(ctx.env)) log.warn(line);
      const settings = platformSettings(cfg);
      const platforms = await createPlatformAdapters(settings, log);
      if (platforms.length) {
        const app = await createApp({ config: cfg, logger: log, adapters: platforms, llm: await languageModel(cfg), root: ctx.cwd });
        const server = await startHttpServer(app.adapters.values(), cfg.PORT, log);
        const schedules = await runBackground(app, cfg.HUB_TIMEZONE, log);
        log.info({ platforms: describePlatforms(settings), port: server.port }, `hub running with ${describePlatforms(settings).join(", ")}`);
        const stop = async () => {
          schedules.stop();
          await server.close();
          await app.close();
          process.exit(0);
        };
        process.once("SIGINT", stop).once("SIGTERM", stop);
        await new Promise(() => {});
      }
      const where = { chatId: "" };
      const consoleAdapter = createConsoleAdapter({ output: replPrinter(out, () => where.chatId) });
      const app = await createApp({ config: cfg, logger: log, adapters: [consoleAdapter], llm: await languageModel(cfg), root: ctx.cwd });
      log.info("no platform credentials configured: running the local console channel on this terminal (type /help)");
      const schedules = await runBackground(app, cfg.HUB_TIMEZONE, log);
      const stop = async () => {
        schedules.stop();
        await app.close();
        process.exit(0);
      };
      process.once("SIGINT", stop).once("SIGTERM", stop);
      await runRepl({ adapter: consoleAdapter, input: ctx.stdin, output: ctx.stdout, as: "me" }, where);
      log.info("console input closed; the hub keeps running (Ctrl+C to stop)");
      await new Promise(() => {});
    });

  cli
    .command("console")
    .description("chat with the hub interactively (/as <id> to switch identity, /in <chat> to switch group)")
    .option("--as <identity>", "who you are, console:<id>", "console:me")
    .option("--chat <chat>", "a group chat, console:<chatId> (default: a private chat)")
    .action(async (o: { as: string; chat?: string }) => {
      const cfg = config();
      const where = { chatId: "" };
      const adapter = createConsoleAdapter({ output: replPrinter(out, () => where.chatId) });
      const app = await createApp({ config: cfg, logger: quietLogger(cfg), adapters: [adapter], llm: await languageModel(cfg), root: ctx.cwd });
      app.worker.start(); // notices and polls confirmed here, or due now, go out while you chat
      try {
        await runRepl({ adapter, input: ctx.stdin, output: ctx.stdout, as: o.as, chat: o.chat }, where);
      } finally {
        await app.close();
      }
    });

  cli
    .command("say")
    .description("send one message through the full pipeline; prints each reply as a JSON line")
    .requiredOption("--as <identity>", "who is speaking, console:<id>")
    .option("--chat <chat>", "a group chat, console:<chatId> (default: a private chat)")
    .argument("<text>", "the message")
    .action(async (text: string, o: { as: string; chat?: string }) => {
      for (const id of [o.as, o.chat ?? ""]) {
        if (/^[a-z]+:/.test(id) && !id.startsWith("console:")) throw new UserError(`say speaks through the console only: use console:<id>, not ${id}`);
      }
      const cfg = config();
      const adapter = createConsoleAdapter({
        output: (m: ConsoleOutput) => out(JSON.stringify({ chat: `console:${m.chatId}`, type: m.message.type, text: m.rendered, message: m.message })),
      });
      const app = await createApp({ config: cfg, logger: quietLogger(cfg), adapters: [adapter], llm: await languageModel(cfg), root: ctx.cwd });
      try {
        await adapter.say(o.as, text, o.chat);
        // What the message set going that is due now (a hand-off's private note to the colleague named, a
        // notice just confirmed) is printed with it, not with whatever is said next.
        await app.worker.drain();
      } finally {
        await app.close();
      }
    });

  const imp = cli.command("import").description("import data from a file");
  imp
    .command("partners")
    .description("import client files (客户档案) from .xlsx or .csv; all rows or none")
    .argument("<file>")
    .action(async (file: string) => {
      const cfg = config();
      const stats = await database(cfg, (db) => importPartners(db, file, progressBar(ctx.stderr), { maxRows: cfg.HUB_IMPORT_MAX_ROWS }));
      out(
        `导入完成：${stats.rows} 行，新建客户 ${stats.partnersCreated} 个、更新 ${stats.partnersUpdated} 个；` +
          `新建联系人 ${stats.contactsCreated} 位、更新 ${stats.contactsUpdated} 位。`,
      );
      // Imported all the same; the operator learns whom to register so their partners reach them.
      for (const o of stats.unknownOwners) {
        const rows = o.rows.length > 5 ? `${o.rows.slice(0, 5).join("、")} 等 ${o.rows.length} 行` : `${o.rows.join("、")} 行`;
        out(`注意：负责人「${o.name}」还不是登记的员工（第 ${rows}）。这些客户的转交和投诉会先交给经理；登记：npx partner-hub staff add ${o.name} --role agent --as <平台:账号>`);
      }
    });

  const exp = cli.command("export").description("export data to a file");
  exp
    .command("partners")
    .description("export client files to .xlsx or .csv in the import's own columns")
    .argument("<file>")
    .action(async (file: string) => {
      const r = await database(config(), (db) => exportPartners(db, file));
      out(`已导出 ${r.partners} 个客户（${r.rows} 行）到 ${file}`);
    });

  exp
    .command("partner")
    .description("everything held about one partner (file, contacts, history, polls, questions, proposals…) as JSON, for a data-protection request")
    .argument("<code>", "客户编号")
    .argument("<file>")
    .action(async (code: string, file: string) => {
      const r = await database(config(), (db) => exportPartner(db, code, file));
      out(`已导出 ${r.name} 的全部资料（互动记录 ${r.interactions} 条）到 ${file}`);
    });
  cli
    .command("forget")
    .description("delete everything held about one partner, after typing its code to confirm (data-protection request)")
    .argument("<what>", "partner")
    .argument("<code>", "客户编号")
    .option("--confirm <code>", "the code again, for scripts (instead of typing it)")
    .action(async (what: string, code: string, o: { confirm?: string }) => {
      if (what !== "partner") throw new UserError("用法：partner-hub forget partner <客户编号>", "usage");
      let typed = o.confirm;
      if (typed === undefined) {
        ctx.stderr.write(`将永久删除客户 ${code} 的全部资料（档案、联系人、互动记录、问题、调查、建议、回访），不能恢复。请输入客户编号确认：`);
        const lines = readline.createInterface({ input: ctx.stdin, terminal: false });
        for await (const line of lines) {
          typed = line.trim();
          break;
        }
        lines.close();
      }
      if ((typed ?? "").toUpperCase() !== code.trim().toUpperCase()) throw new UserError("输入的编号不一致，没有删除任何资料。", "not_confirmed");
      const removed = await database(config(), (db) => forgetPartner(db, code, "cli", new Date()));
      out(`已删除客户 ${code.toUpperCase()} 的全部资料：联系人 ${removed.contacts} 位，互动记录 ${removed.interactions} 条，问题 ${removed.questions} 个，投诉 ${removed.complaints} 件，回访 ${removed.followUps} 个，调查答卷 ${removed.pollResponses} 份。审计日志只记下“删除了一个客户”。`);
    });

  const kb = cli.command("kb").description("the knowledge base partners' questions are answered from");
  kb.command("import")
    .description("import entries from .json ([{id,question,answer,tags}]), .csv or .md (## 问题 + answer); all or none, ids kept")
    .argument("<file>")
    .action(async (file: string) => {
      const r = await database(config(), (db) => importKb(db, file));
      const kept = r.keptPhrasings ? `；文件里没有相似问法一栏，聊天中教过的 ${r.keptPhrasings} 种问法已保留` : "";
      out(`知识库导入完成：新增 ${r.created} 条，更新 ${r.updated} 条${kept}。`);
    });
  kb.command("export")
    .description("export every entry, phrasings taught in chat included, to .json or .csv (the columns kb import reads)")
    .argument("<file>")
    .action(async (file: string) => {
      const n = await database(config(), (db) => exportKb(db, file));
      out(`已导出 ${n} 条知识库条目到 ${file}`);
    });

  cli
    .command("ask")
    .description("answer questions without any chat: one per line on stdin, one JSON line each on stdout")
    .option("--json", "JSON lines: {q, entryId, choices, answer, score} (entryId: a direct answer; choices: the entries offered instead; both empty: handed to staff, or chatter left alone when answer is empty)")
    .action(async (o: { json?: boolean }) => {
      const cfg = config();
      await database(cfg, async (db) => {
        const answerer = new Answerer(new KnowledgeBase(db, Date.now, loadThesaurus(cfg.HUB_THESAURUS)), cfg.HUB_ANSWER_MIN_CONFIDENCE, await languageModel(cfg), quietLogger(cfg));
        const lines = readline.createInterface({ input: ctx.stdin, terminal: false });
        for await (const line of lines) {
          const q = line.trim();
          if (!q) continue;
          // As in a private chat: a hello gets a hello, chatter gets nothing; neither is a hand-off.
          if (isGreeting(q) || isChatter(q)) {
            const row = { q, entryId: null, choices: [], answer: isGreeting(q) ? HELLO : "", score: 0 };
            out(o.json ? JSON.stringify(row) : `（不回答）\t${q}`);
            continue;
          }
          const a = await answerer.answer(q);
          const score = (n = 0) => Number(n.toFixed(4));
          const row =
            a.kind === "unsure"
              ? { q, entryId: null, choices: [], answer: "这个问题我请同事跟进，会尽快回复您。", score: score(a.best?.confidence) }
              : a.kind === "choices"
                ? { q, entryId: null, choices: choiceIds(a), answer: asText(choicesMessage("ask", a.choices)), score: score(a.best.confidence) }
                : { q, entryId: answerEntryId(a), choices: [], answer: answerText(a), score: score(a.confidence) };
          out(o.json ? JSON.stringify(row) : `${row.entryId ?? (row.choices.length ? `（选项 ${row.choices.join("、")}）` : "（转人工）")}\t${q}`);
        }
      });
    });

  const staff = cli.command("staff").description("manage staff members");
  staff
    .command("add")
    .description("add or update a staff member and link their chat accounts")
    .argument("<name>", "姓名")
    .requiredOption("--role <role>", "admin | manager | agent")
    .requiredOption("--as <accounts...>", "platform accounts, e.g. console:zhou lark:ou_xxx")
    .option("--update", "the name exists and is this same person: change the role, add the accounts")
    .action(async (name: string, o: { role: string; as: string[]; update?: boolean }) => {
      const role = parseRole(o.role);
      const s = await database(config(), (db) => addStaff(db, name, role, o.as, { update: o.update }));
      out(`已添加员工 ${s.name}（${STAFF_ROLES[s.role as StaffRole]}），账号：${o.as.join("、")}`);
    });
  staff
    .command("list")
    .description("list staff members and their accounts")
    .action(async () => {
      const rows = await database(config(), (db) => db.staff.findMany({ include: { identities: true }, orderBy: { name: "asc" } }));
      if (!rows.length) out("还没有员工。用 npx partner-hub staff add <姓名> --role admin --as console:<id> 添加。");
      for (const s of rows) {
        out(`${s.name}\t${STAFF_ROLES[s.role as StaffRole] ?? s.role}\t${s.identities.map((i) => `${i.platform}:${i.externalId}`).join(" ")}`);
      }
    });
  outreachCommands(cli, out, config, { ...ctx, logger: quietLogger });
  return cli;
}

/**
 * Runs the CLI; returns the exit code. `context` replaces what the process would give (its environment,
 * folder, standard streams); a command opens and closes its own database and app, so one call leaves
 * nothing behind for the next.
 */
export async function main(argv: string[], out: (s: string) => void = (s) => process.stdout.write(`${s}\n`), context: Partial<CliContext> = {}): Promise<number> {
  const ctx = { ...processContext(), ...context };
  try {
    await program(out, ctx).parseAsync(argv);
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode;
    ctx.stderr.write(`${describeFailure(err)}\n`);
    return 1;
  }
}

/** What an operator can do about a platform that would not start. */
const ADAPTER_HINTS: Partial<Record<AdapterError["code"], string>> = {
  unauthorized: "check the platform's token or app credentials",
  transient: "check the network and the platform's address",
};

/**
 * A failure as the operator reads it: configuration problems one line each, naming the variable; a
 * platform that refused or could not be reached at start one line naming it; only a bug gets a stack.
 */
function describeFailure(err: unknown): string {
  if (err instanceof ImportError) return err.report();
  if (err instanceof ConfigError) return err.problems.map((p) => `Invalid configuration: ${p}`).join("\n");
  if (err instanceof UserError) return err.message;
  if (err instanceof AdapterError) {
    const hint = ADAPTER_HINTS[err.code];
    return `partner-hub: ${scrubText(err.message)}${hint ? ` (${hint})` : ""}`;
  }
  return `partner-hub: ${(err as Error).stack ?? err}`;
}
