// The cron table the hub runs is the one the README documents: same jobs, same schedules, each a cron
// expression node-cron accepts. The hub is built as `npm start` builds it, with WeChat connected so its
// session job is in the table too.
import { readFileSync } from "node:fs";
import path from "node:path";
import cron from "node-cron";
import { afterEach, describe, expect, it } from "vitest";
import { PuppetMock, mock } from "wechaty-puppet-mock";
import { createWechatAdapter } from "../../adapters/wechat/index.ts";
import { createLogger } from "../../src/lib/logger.ts";
import { startPlatformHub } from "../helpers/platform-hub.ts";
import { startTestHub } from "../helpers/hub.ts";

const README = readFileSync(path.resolve(import.meta.dirname, "../../README.md"), "utf8");

/** The rows of the README's "Scheduled jobs" table: name and schedule, in order. */
function documentedJobs(): { name: string; schedule: string }[] {
  const section = README.slice(README.indexOf("**Scheduled jobs.**"));
  const rows = [...section.matchAll(/^\| `([^`]+)` \| `([^`]+)` \|/gm)];
  return rows.map((r) => ({ name: r[1], schedule: r[2] }));
}

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (closers.length) await closers.pop()!();
});

describe("the cron table", () => {
  it("is what the README documents, job for job, and every schedule is a valid cron expression", async () => {
    const puppet = new PuppetMock({ mocker: new mock.Mocker() });
    const wechat = createWechatAdapter({ puppet, logger: createLogger("silent"), drawQr: () => {} });
    const hub = await startPlatformHub([wechat], { env: { HUB_WELCOME_MESSAGE: "off" } });
    closers.push(() => hub.close());
    const documented = documentedJobs();
    expect(documented.length).toBeGreaterThan(5);
    expect(hub.app.jobs.map((j) => ({ name: j.name, schedule: j.schedule }))).toEqual(documented);
    for (const job of hub.app.jobs) expect(cron.validate(job.schedule), `${job.name}: ${job.schedule}`).toBe(true);
  });

  it("takes the satisfaction poll's schedule from HUB_SATISFACTION_POLL_CRON, and drops the job when it is off", async () => {
    const monthly = await startTestHub({ env: { HUB_SATISFACTION_POLL_CRON: "0 9 1 * *" } });
    closers.push(() => monthly.close());
    expect(monthly.app.jobs.find((j) => j.name === "satisfaction-poll")?.schedule).toBe("0 9 1 * *");
    const off = await startTestHub({ env: { HUB_SATISFACTION_POLL_CRON: "off" } });
    closers.push(() => off.close());
    expect(off.app.jobs.map((j) => j.name)).not.toContain("satisfaction-poll");
    // Without WeChat there is no session to follow; everything else is there.
    expect(off.app.jobs.map((j) => j.name)).toEqual(documentedJobs().map((j) => j.name).filter((n) => n !== "satisfaction-poll" && n !== "wechat-mark-accounts"));
  });
});
