// Command-line outreach for operators: plan a day's greetings (any date, also to catch up after
// downtime), send a notice from a file, send a satisfaction poll, read results and delivery reports.
// Everything here only plans: the running hub's outbox worker sends (one database, shared).
import { readFileSync } from "node:fs";
import readline from "node:readline/promises";
import type { Command } from "commander";
import type { Config } from "./config.ts";
import { UserError } from "./lib/errors.ts";
import type { Logger } from "./lib/logger.ts";
import { createApp, type App } from "./main.ts";
import { parseAudience, type Audience } from "./outreach/audience.ts";
import { parseLocalDay } from "./outreach/calendar.ts";
import { formatResults, pollResults } from "./outreach/polls.ts";
import { formatDayPlan } from "./outreach/service.ts";
import { parseSendAt } from "./outreach/report.ts";

/** What these commands take from the command line's context (src/cli.ts): its folder, streams and logger. */
export interface OutreachIo {
  cwd: string;
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  stdout: NodeJS.WritableStream;
  logger(config: Config): Logger;
}

async function withApp<T>(io: OutreachIo, config: Config, fn: (app: App) => Promise<T>): Promise<T> {
  const app = await createApp({ config, logger: io.logger(config), adapters: [], root: io.cwd });
  try {
    return await fn(app);
  } finally {
    await app.close();
  }
}

interface AudienceOptions {
  tier?: string;
  relationship?: string;
  city?: string;
  tag?: string;
  keyAccount?: boolean;
}

/** --tier 战略,重点 --city 杭州 --tag 新品 --key-account, read by the same parser as /notice. */
function audienceOf(o: AudienceOptions): Audience {
  const parts = [o.tier && `等级=${o.tier}`, o.relationship && `关系=${o.relationship}`, o.city && `地区=${o.city}`, o.tag && `标签=${o.tag}`, o.keyAccount && "重点客户"];
  return parseAudience(parts.filter(Boolean).join(" "));
}

function withAudienceOptions(c: Command): Command {
  return c
    .option("--tier <等级>", "战略,重点,一般,潜在 (comma-separated)")
    .option("--relationship <关系>", "买卖,供应,合作伙伴,战略联盟")
    .option("--city <城市或区域>", "city or region, comma-separated")
    .option("--tag <标签>", "partner tags, comma-separated")
    .option("--key-account", "key accounts only");
}

async function confirm(io: OutreachIo, question: string): Promise<boolean> {
  if (!io.stdin.isTTY) return false;
  const rl = readline.createInterface({ input: io.stdin, output: io.stdout });
  try {
    return /^(y|yes|是|确认)$/i.test((await rl.question(question)).trim());
  } finally {
    rl.close();
  }
}

export function outreachCommands(cli: Command, out: (s: string) => void, config: () => Config, io: OutreachIo): void {
  const outreach = cli.command("outreach").description("greetings, notices and polls the hub sends on its own");
  outreach
    .command("plan")
    .description("plan one day's greetings, gift reminders and poll reminders into the outbox (idempotent)")
    .requiredOption("--date <YYYY-MM-DD>", "the day to plan")
    .option("--dry-run", "show what would be planned, write nothing")
    .action(async (o: { date: string; dryRun?: boolean }) => {
      let day;
      try {
        day = parseLocalDay(o.date);
      } catch {
        throw new UserError(`--date must be a calendar day like 2027-02-06, got ${o.date}`);
      }
      const plan = await withApp(io, config(), (app) => app.outreach.planDay(day, { dryRun: o.dryRun }));
      out(formatDayPlan(plan));
    });

  const notice = cli.command("notice").description("announcements and new-product notices to partners' groups");
  withAudienceOptions(notice.command("preview").description("how many partners and groups a filter reaches")).action(async (o: AudienceOptions) => {
    const p = await withApp(io, config(), (app) => app.outreach.preview(audienceOf(o)));
    out(`${p.description}：${p.partners} 家客户，可送达 ${p.chats.length} 个群${p.unreachable ? `；${p.unreachable} 家没有绑定客户群，收不到` : ""}。`);
  });
  withAudienceOptions(
    notice
      .command("send")
      .description("send a notice (the file's text; a first line '# 标题' is its title) to the partners a filter selects")
      .argument("<file>")
      .option("--title <标题>", "title shown above the text")
      .option("--at <YYYY-MM-DD HH:mm>", "send at this local time instead of now")
      .option("--yes", "send without asking (needed when not on a terminal)"),
  ).action(async (file: string, o: AudienceOptions & { title?: string; at?: string; yes?: boolean }) => {
    const raw = readFileSync(file, "utf8").replace(/^\uFEFF/, "").trim();
    const heading = /^#\s*(.+)\n+/.exec(raw);
    const title = o.title ?? heading?.[1].trim() ?? raw.split("\n")[0].slice(0, 30);
    const text = heading ? raw.slice(heading[0].length).trim() : raw;
    const cfg = config();
    await withApp(io, cfg, async (app) => {
      const audience = audienceOf(o);
      const sendAt = o.at ? parseSendAt(o.at, cfg.HUB_TIMEZONE) : undefined;
      const p = await app.outreach.preview(audience);
      out(`「${title}」将发给 ${p.description}：${p.partners} 家客户的 ${p.chats.length} 个群${p.unreachable ? `（${p.unreachable} 家没有绑定客户群）` : ""}${sendAt ? `，发送时间 ${app.outreach.formatWhen(sendAt)}` : "，立即发送"}。`);
      // Off a terminal nobody can answer: without --yes that is a failure a script must see, not a quiet no.
      if (!o.yes && !io.stdin.isTTY) throw new UserError("没有发送：不在终端上运行时，需要加 --yes 确认发送。", "not_confirmed");
      if (!o.yes && !(await confirm(io, "确认发送？(y/N) "))) {
        out("没有发送。确认无误后加 --yes 再运行。");
        return;
      }
      const r = await app.outreach.launch("notice", { title, text, audience, sendAt, createdBy: "cli" });
      out(`通知 #${r.campaign.id} 已加入发件箱：${r.planned} 条。运行中的伙伴通会按平台限速发送；查看进度：npx partner-hub notice report ${r.campaign.id}`);
    });
  });
  notice
    .command("report")
    .description("sent / failed / pending per platform for a notice or poll")
    .argument("<id>")
    .action(async (id: string) => {
      out(await withApp(io, config(), (app) => app.outreach.reportText(Number(id))));
    });

  const poll = cli.command("poll").description("satisfaction polls");
  withAudienceOptions(poll.command("send").description("send a satisfaction poll (1-5) to the partners a filter selects").option("--title <标题>", "title", "满意度调查").option("--text <问题>", "the question")).action(
    async (o: AudienceOptions & { title: string; text?: string }) => {
      const r = await withApp(io, config(), (app) => app.outreach.launch("poll", { title: o.title, text: o.text, audience: audienceOf(o), createdBy: "cli" }));
      out(`满意度调查 #${r.campaign.id} 已加入发件箱：${r.audience.partners} 家客户，${r.planned} 个群。`);
    },
  );
  poll
    .command("results")
    .argument("<id>")
    .description("distribution, average, response rate and breakdown by tier")
    .action(async (id: string) => {
      const r = await withApp(io, config(), (app) => pollResults(app.db, Number(id)));
      if (!r) throw new UserError(`没有编号为 ${id} 的满意度调查。`);
      out(formatResults(r));
    });
}
