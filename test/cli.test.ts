// The command line as a newcomer drives it, on a fresh database: each command through the CLI's own
// main() in this process (test/helpers/cli.ts), and once through the installed binary, whose exit code
// a shell sees. Starting and stopping the hub is in cli-start.test.ts.
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";
import { ROOT, runCli } from "./helpers/cli.ts";
import { sqliteUrl } from "./helpers/databases.ts";

const BIN = path.join(ROOT, "node_modules/.bin/partner-hub");

let env: NodeJS.ProcessEnv;
let imported = "";
const hub = (args: string[], input?: string) => runCli(args, { env, input });

beforeAll(async () => {
  env = { DATABASE_URL: sqliteUrl(), LOG_LEVEL: "" };
  imported = (await hub(["import", "partners", "examples/partners.xlsx"])).stdout;
  expect(imported).toContain("新建客户 7 个");
  expect((await hub(["staff", "add", "周敏", "--role", "admin", "--as", "console:zhou"])).stdout).toContain("已添加员工 周敏（管理员）");
});

describe("npx partner-hub", () => {
  it("imports all the same when a 负责人 is not registered as staff, naming them and their rows", async () => {
    expect(imported).toContain("注意：负责人「周敏」还不是登记的员工（第 2、4、7、9 行）。这些客户的转交和投诉会先交给经理；登记：npx partner-hub staff add 周敏 --role agent --as <平台:账号>");
    expect(imported).toContain("注意：负责人「陈刚」还不是登记的员工");
    // The card says so of an owner still not registered (周敏 was added since).
    const { stdout } = await hub(["say", "--as", "console:zhou", "/client GZ003"]);
    expect(stdout).toContain("负责人：陈刚（未登记为员工）");
    expect((await hub(["say", "--as", "console:zhou", "/client HZ001"])).stdout).toContain("负责人：周敏");
  });

  it("say prints every reply as one JSON line", async () => {
    const { code, stdout } = await hub(["say", "--as", "console:zhou", "/client HZ001"]);
    expect(code).toBe(0);
    const lines = stdout.trim().split("\n").map((l) => JSON.parse(l));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ chat: "console:dm:zhou", type: "card", message: { title: "杭州云帆智能科技有限公司（HZ001）" } });
  });

  it("say in a group, then history shows it", async () => {
    await hub(["say", "--as", "console:zhou", "--chat", "console:sh-group", "/bind SH002"]);
    const asked = await hub(["say", "--as", "console:wangqiang", "--chat", "console:sh-group", "新品什么时候到货?"]);
    // Handed to the partner's owner: the private note to 周敏 is printed with this message, not with the next one.
    const said = asked.stdout.trim().split("\n").map((l) => JSON.parse(l) as { chat: string; text: string });
    expect(said.find((l) => l.chat === "console:dm:zhou")?.text).toContain("新品什么时候到货?");
    const { stdout } = await hub(["say", "--as", "console:zhou", "/history SH002"]);
    expect(JSON.parse(stdout).text).toContain("新品什么时候到货?");
  });

  it("an import with a bad row exits the installed binary non-zero, names the row, and imports nothing", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "cli-"));
    const file = path.join(dir, "bad.csv");
    writeFileSync(file, "客户编号,客户名称,城市,客户等级\nN1,新客户,杭州,重点\nN2,坏客户,杭州,钻石\n");
    // The one command here that runs as a shell runs it: the exit code is the process's.
    const run = await promisify(execFile)(BIN, ["import", "partners", file], { cwd: ROOT, env: { ...process.env, ...env }, encoding: "utf8" }).then(
      () => ({ code: 0, stderr: "" }),
      (e: { code: number; stderr: string }) => e,
    );
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("第 3 行「客户等级」：客户等级「钻石」无效");
    const { stdout } = await hub(["say", "--as", "console:zhou", "/client N1"]);
    expect(JSON.parse(stdout).text).toContain("没有找到");
  });

  it("console reads lines, switching identity and group with /as and /in", async () => {
    const { stdout } = await hub(["console", "--as", "console:zhou"], "/in hz-group\n/bind HZ001\n/as zhangwei\n你好\n/whoami\n/quit\n");
    expect(stdout).toContain("已将本群绑定到 杭州云帆智能科技有限公司（HZ001）");
    expect(stdout).toContain("您在 杭州云帆智能科技有限公司 的服务群里");
  });

  it("a bad configuration stops with an English message naming the variable", async () => {
    const { code, stderr } = await runCli(["say", "--as", "x", "hi"], { env: { ...env, DATABASE_URL: "mysql://db" } });
    expect(code).toBe(1);
    expect(stderr).toContain("DATABASE_URL: must be empty");
  });

  it("refuses a second staff member of the same name unless told it is the same person", async () => {
    const twin = await hub(["staff", "add", "周敏", "--role", "agent", "--as", "console:zhou2"]);
    expect(twin.code).toBe(1);
    expect(twin.stderr).toContain("员工 周敏 已存在（console:zhou）");
    const same = await hub(["staff", "add", "周敏", "--role", "admin", "--as", "console:zhou-phone", "--update"]);
    expect(same.code).toBe(0);
    expect((await hub(["staff", "list"])).stdout).toMatch(/周敏\t管理员\tconsole:zhou console:zhou-phone/);
  });

  it("say speaks only as console identities", async () => {
    const { code, stderr } = await hub(["say", "--as", "slack:U1", "hi"]);
    expect(code).toBe(1);
    expect(stderr).toContain("say speaks through the console only");
  });

  it("logs at the LOG_LEVEL of its own environment, to its own standard error", async () => {
    const quiet = await hub(["say", "--as", "console:zhou", "/whoami"]);
    expect(quiet.stderr).toBe("");
    const { stderr } = await runCli(["say", "--as", "console:zhou", "/whoami"], { env: { ...env, LOG_LEVEL: "info" } });
    const ready = stderr.split("\n").filter(Boolean).map((l) => JSON.parse(l)).find((l) => l.msg === "database ready");
    expect(ready).toMatchObject({ level: 30, dialect: "sqlite", migrated: [] });
  });

  it("an unknown CLI command is refused with help", async () => {
    const { code, stderr } = await hub(["frobnicate"]);
    expect(code).not.toBe(0);
    expect(stderr).toContain("unknown command");
  });
});

describe("partner-hub ask --json", () => {
  it("answers one question per line as JSON lines, null when it would hand off", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "ask-"));
    const kb = path.join(dir, "kb.json");
    writeFileSync(kb, JSON.stringify([{ id: "kb-015", question: "下单后多久发货？", answer: "工作日16点前付款的订单当天发货。", tags: ["物流"] }]));
    expect((await hub(["kb", "import", kb])).stdout).toContain("新增 1 条");
    const exported = path.join(dir, "out.csv");
    expect((await hub(["kb", "export", exported])).stdout).toContain(`已导出 1 条知识库条目到 ${exported}`);
    expect(readFileSync(exported, "utf8")).toContain(`"编号","问题","相似问法","答案","标签","来源","培训链接","学到的问法"`);
    const { stdout } = await hub(["ask", "--json"], "下单后多久发货\n今天杭州下雨吗\n好的 收到👍\n你好\n");
    const rows = stdout.trim().split("\n").map((l) => JSON.parse(l));
    expect(rows[0]).toMatchObject({ q: "下单后多久发货", entryId: "kb-015" });
    expect(rows[0].answer).toContain("当天发货");
    expect(rows[1]).toMatchObject({ q: "今天杭州下雨吗", entryId: null, choices: [] });
    expect(rows[1].answer).toContain("请同事跟进");
    expect(typeof rows[1].score).toBe("number");
    // As in a private chat: chatter is not answered (nor handed off), a hello gets a hello.
    expect(rows[2]).toEqual({ q: "好的 收到👍", entryId: null, choices: [], answer: "", score: 0 });
    expect(rows[3]).toMatchObject({ q: "你好", entryId: null, score: 0 });
    expect(rows[3].answer).toContain("您好！");
  });
});

describe("large imports", () => {
  it("show progress while a file of 1,500 partners imports", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "cli-big-"));
    const file = path.join(dir, "big.csv");
    const rows = Array.from({ length: 1500 }, (_, i) => `B${i},批量客户${i},杭州,一般`);
    writeFileSync(file, ["客户编号,客户名称,城市,客户等级", ...rows].join("\n"));
    const { code, stdout, stderr } = await hub(["import", "partners", file]);
    expect(code).toBe(0);
    expect(stdout).toContain("新建客户 1500 个");
    expect(stderr).toMatch(/导入中 \[.*\] 100% \| 1500\/1500 个客户/);
  });
});

describe("outreach from the command line", () => {
  // A database of its own: other tests bind groups in the shared one.
  let own: NodeJS.ProcessEnv;
  const cli = (args: string[]) => runCli(args, { env: own });
  beforeAll(async () => {
    own = { ...env, DATABASE_URL: sqliteUrl() };
    expect((await cli(["import", "partners", "examples/partners.xlsx"])).stdout).toContain("新建客户 7 个");
    await cli(["staff", "add", "周敏", "--role", "admin", "--as", "console:zhou"]);
  });

  it("outreach plan prints each occasion by its Chinese name with its count, and a dry run writes nothing", async () => {
    // Bind one group so someone can be greeted.
    await cli(["say", "--as", "console:zhou", "--chat", "g-hz", "/bind HZ001"]);
    const dry = await cli(["outreach", "plan", "--date", "2027-02-06", "--dry-run"]);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain("2027-02-06（预览，未写入发件箱）");
    expect(dry.stdout).toContain("春节：2 人，1 条消息，6 人没有可发送的私聊或客户群");
    const real = await cli(["outreach", "plan", "--date", "2027-02-06"]);
    expect(real.stdout).toContain("新加入发件箱：1 条");
    expect((await cli(["outreach", "plan", "--date", "2027-02-06"])).stdout).toContain("新加入发件箱：0 条");
    const bad = await cli(["outreach", "plan", "--date", "2027-02-30"]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("--date must be a calendar day like 2027-02-06, got 2027-02-30");
  });

  it("notice send shows its audience first and needs --yes off a terminal; notice report follows it", async () => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), "notice-")), "x2.md");
    writeFileSync(file, "# 新品上市\n\n智能门锁 X2 下月上市，样机可提前预订。\n");
    // Off a terminal, without --yes: nothing sent, and a failure a script sees.
    const asked = await cli(["notice", "send", file, "--tier", "战略,重点"]);
    expect(asked.stdout).toContain("「新品上市」将发给 等级 战略/重点：3 家客户的 1 个群（2 家没有绑定客户群），立即发送。");
    expect(asked.code).toBe(1);
    expect(asked.stderr).toContain("没有发送：不在终端上运行时，需要加 --yes 确认发送。");
    const sent = await cli(["notice", "send", file, "--tier", "战略,重点", "--yes"]);
    const id = /通知 #(\d+) 已加入发件箱：1 条/.exec(sent.stdout)![1];
    expect((await cli(["notice", "report", id])).stdout).toContain(`#${id} 发送情况：共 1 条，已发送 0，失败 0，待发送 1`);
    const badTier = await cli(["notice", "send", file, "--tier", "VIP", "--yes"]);
    expect(badTier.code).toBe(1);
    expect(badTier.stderr).toContain("没有「VIP」这个客户等级");
  });
});
