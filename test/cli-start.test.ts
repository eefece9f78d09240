// `partner-hub start`: the real binary, in a child process, where only a process can show it (the README's
// `npm start` on the console, a hub with a platform behind its HTTP server, both stopped by a signal, and a
// failed start whose SDK would keep the process alive); a configuration that cannot work also through the
// CLI's main() in this process (test/helpers/cli.ts). The operator reads one line naming the variable or
// the platform, no stack trace, and the command fails; nothing printed carries a secret.
import { execFile, spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT, runCli } from "./helpers/cli.ts";
import { sqliteUrl } from "./helpers/databases.ts";

const BIN = path.resolve(import.meta.dirname, "../src/bin.js");
const freshFolder = () => mkdtempSync(path.join(os.tmpdir(), "partner-hub-start-"));

/** The binary, in a folder without a .env. */
async function startProcess(vars: Record<string, string>) {
  const cwd = freshFolder();
  const env = { PATH: process.env.PATH, HOME: process.env.HOME, DATABASE_URL: sqliteUrl(), LOG_LEVEL: "info", ...vars };
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = execFile(process.execPath, [BIN, "start"], { cwd, env, encoding: "utf8", timeout: 25_000 }, (err, stdout, stderr) =>
      resolve({ code: err ? ((err as { code?: number }).code ?? null) : 0, stdout, stderr }),
    );
    child.stdin?.end();
  });
}

/** The same command through main(), with only these variables. */
const start = (vars: Record<string, string>) => runCli(["start"], { env: { DATABASE_URL: sqliteUrl(), LOG_LEVEL: "info", ...vars }, cwd: freshFolder() });

/** What the operator reads: stderr without the JSON log lines. */
const report = (stderr: string) => stderr.split("\n").filter((l) => l.trim() && !l.startsWith("{"));

function expectOneLine(run: { code: number | null; stdout: string; stderr: string }, names: RegExp) {
  expect(run.code).not.toBe(0);
  expect(run.code).not.toBeNull(); // it exited by itself, not by the timeout
  const lines = report(run.stderr);
  expect(lines, run.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(names);
  expect(run.stderr + run.stdout).not.toMatch(/^\s+at /m);
  return lines[0];
}

async function closedPort(): Promise<number> {
  const server = http.createServer().listen(0, "127.0.0.1");
  await new Promise((r) => server.once("listening", r));
  const { port } = server.address() as AddressInfo;
  await new Promise((r) => server.close(r));
  return port;
}

/** A Slack Web API that refuses every token. */
async function refusingSlack() {
  const server = http.createServer((_req, res) => {
    res.setHeader("content-type", "application/json");
    res.end(JSON.stringify({ ok: false, error: "invalid_auth" }));
  });
  server.listen(0, "127.0.0.1");
  await new Promise((r) => server.once("listening", r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/`, close: () => new Promise((r) => server.close(r)) };
}

describe("partner-hub start with a configuration that cannot work", () => {
  it("names HUB_GREETING_TEMPLATES when a template uses an unknown variable", async () => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), "partner-hub-tpl-")), "greetings.json");
    writeFileSync(file, JSON.stringify({ 春节: "{姓名}，新年好" }));
    const line = expectOneLine(await start({ HUB_GREETING_TEMPLATES: file }), /^Invalid configuration: HUB_GREETING_TEMPLATES: .*\{姓名\}/);
    expect(line).toContain("{称呼}"); // and says which variables exist
  });

  it("names HUB_WORKING_HOURS when the hours run across midnight", async () => {
    expectOneLine(await start({ HUB_WORKING_HOURS: "18:00-09:00" }), /^Invalid configuration: HUB_WORKING_HOURS: must end after they start.*18:00-09:00/);
  });

  it("names DATABASE_URL when PostgreSQL cannot be reached, without its password", async () => {
    const run = await start({ DATABASE_URL: `postgresql://hub:pw-9f3k@127.0.0.1:${await closedPort()}/hub` });
    expectOneLine(run, /^Invalid configuration: DATABASE_URL: cannot reach PostgreSQL at postgresql:\/\/hub:\*\*\*@127\.0\.0\.1:\d+\/hub \(ECONNREFUSED\)$/);
    expect(run.stderr).not.toContain("pw-9f3k");
  });

  it("names Slack when it refuses the bot token", async () => {
    const slack = await refusingSlack();
    try {
      const run = await start({ SLACK_BOT_TOKEN: "xoxb-1-refused", SLACK_SIGNING_SECRET: "s3cret-sig", SLACK_API_URL: slack.url });
      expectOneLine(run, /^partner-hub: Slack refused the token: invalid_auth/);
      expect(run.stderr + run.stdout).not.toMatch(/xoxb-1-refused|s3cret-sig/);
    } finally {
      await slack.close();
    }
  });

  it("names Slack and the address it could not reach, in its own words, without a warning per retry", async () => {
    const run = await start({ SLACK_BOT_TOKEN: "xoxb-1-abc", SLACK_SIGNING_SECRET: "s", SLACK_API_URL: `http://127.0.0.1:${await closedPort()}/api/` });
    const line = expectOneLine(run, /^partner-hub: Slack unreachable at http:\/\/127\.0\.0\.1:\d+\/api\/ \(ECONNREFUSED\)/);
    expect(line).not.toContain("A request error occurred");
    // The SDK's retries are debug detail at LOG_LEVEL=info: the line above says what happened.
    expect(run.stderr).not.toContain("http request failed");
  });

  it("refuses half-configured platforms, naming the missing variable", async () => {
    const { code, stderr } = await start({ LARK_APP_ID: "cli_x" });
    expect(code).toBe(1);
    expect(stderr).toContain("LARK_APP_SECRET: required with LARK_APP_ID");
  });

  it("names Lark when it cannot be reached, and prints its app secret nowhere", async () => {
    // The binary: the Lark SDK's timers must not hold a failed start open (the process exits by itself).
    const run = await startProcess({ LARK_APP_ID: "cli_probe", LARK_APP_SECRET: "SECRET-XYZ", LARK_VERIFICATION_TOKEN: "vt", LARK_ENCRYPT_KEY: "ek", LARK_DOMAIN: `http://127.0.0.1:${await closedPort()}` });
    expectOneLine(run, /^partner-hub: Lark unreachable at http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\)/);
    expect(run.stdout + run.stderr).not.toContain("SECRET-XYZ");
    // The log still says what went wrong, by kind and code, with no stack.
    expect(run.stderr).toMatch(/"errorKind":"[A-Za-z]*Error","code":"ECONNREFUSED"/);
    expect(run.stderr).not.toMatch(/\bat .*node_modules/);
  });
});

describe("npm start", () => {
  it("starts on SQLite with the console channel when no platform has credentials, says so, and answers", async () => {
    // Exactly what the README says to run.
    const env = { ...process.env, DATABASE_URL: sqliteUrl(), LOG_LEVEL: "info" };
    const child = spawn("npm", ["start", "--silent"], { cwd: ROOT, env, detached: true });
    let stdout = "";
    let stderr = "";
    const seen = (pattern: string, stream: () => string) =>
      new Promise<void>((resolve, reject) => {
        const check = () => (stream().includes(pattern) ? resolve() : undefined);
        child.stdout.on("data", check);
        child.stderr.on("data", check);
        child.on("exit", () => reject(new Error(`exited before "${pattern}": ${stderr}`)));
        check();
      });
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    await seen("running the local console channel", () => stderr);
    child.stdin.write("/help\n");
    await seen("可用的命令", () => stdout);
    const exited = new Promise<number | string | null>((resolve) => child.on("exit", (code, signal) => resolve(code ?? signal)));
    process.kill(-child.pid!, "SIGTERM"); // npm and the hub under it
    expect([0, "SIGTERM"]).toContain(await exited);
    expect(stderr.match(/"msg":"no platform credentials[^"]*"/g)).toHaveLength(1);
  });
});

describe("npm start with platform credentials", () => {
  it("starts the platforms that have credentials behind one HTTP server with /healthz", async () => {
    const { startFakeSlack } = await import("./fakes/slack-api.ts");
    const slack = await startFakeSlack();
    const child = spawn(process.execPath, ["src/bin.js", "start"], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: sqliteUrl(), LOG_LEVEL: "info", PORT: "0", SLACK_BOT_TOKEN: "xoxb-cli", SLACK_SIGNING_SECRET: "s", SLACK_API_URL: slack.url },
    });
    try {
      let stderr = "";
      const running = await new Promise<Record<string, unknown>>((resolve, reject) => {
        child.stderr.on("data", (d) => {
          stderr += d;
          const line = stderr.split("\n").find((l) => l.includes("hub running with"));
          if (line) resolve(JSON.parse(line));
        });
        child.on("exit", () => reject(new Error(stderr)));
      });
      expect(running.msg).toBe("hub running with slack (http /slack/events)");
      const health = await fetch(`http://127.0.0.1:${running.port}/healthz`);
      expect(await health.json()).toEqual({ ok: true, platforms: ["slack"] });
      expect((await fetch(`http://127.0.0.1:${running.port}/nowhere`)).status).toBe(404);
    } finally {
      child.kill("SIGTERM");
      await slack.close();
    }
  });
});
