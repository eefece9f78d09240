// An open question past its SLA (working hours) is raised again in the staff chat, once.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import path from "node:path";
import { importPartners } from "../../src/partners/transfer.ts";
import { startSchedules } from "../../src/scheduler/table.ts";
import { createLogger } from "../../src/lib/logger.ts";
import { startTestHub, type TestHub } from "../helpers/hub.ts";

const EXAMPLE = path.resolve(import.meta.dirname, "../../examples/partners.csv");
let hub: TestHub;
const job = () => hub.app.jobs.find((j) => j.name === "escalate-questions")!;
const staffRoom = () => hub.outputs.filter((o) => o.chatId === "staff-room").map((o) => o.rendered);

beforeEach(async () => {
  // Friday 16:30 in Shanghai.
  hub = await startTestHub({ now: "2026-11-20T08:30:00Z", env: { HUB_STAFF_CHAT: "console:staff-room", HUB_QUESTION_SLA_HOURS: "2" } });
  await importPartners(hub.db, EXAMPLE);
  await hub.addStaff("周敏", "zhou", "AGENT");
  await hub.addStaff("王经理", "wang", "MANAGER");
  await hub.say("zhou", "/bind HZ001", "hz-group");
  await hub.say("zhangwei", "今年的经销商大会在哪里开？", "hz-group");
});
afterEach(() => hub.close());

describe("SLA escalation", () => {
  it("waits for working hours to pass, then names the owner and a manager, once", async () => {
    hub.clock.set("2026-11-23T01:29:00Z"); // Monday 09:29: 1.5 + 0.48 working hours
    expect(await job().run()).toEqual([]);
    hub.clock.set("2026-11-23T01:31:00Z"); // Monday 09:31: past 2 working hours
    expect(await job().run()).toEqual([1]);
    await hub.app.worker.drain(); // the tick planned it; the outbox sends it
    const raised = staffRoom().at(-1)!;
    expect(raised).toContain("【超时未回答 #1】杭州云帆智能科技有限公司（HZ001）：今年的经销商大会在哪里开？");
    expect(raised).toContain("请周敏和经理王经理尽快处理：/answer 1 回答内容");
    expect(await job().run()).toEqual([]); // never twice
  });

  it("leaves answered questions alone", async () => {
    await hub.say("zhou", "/answer 1 11月在杭州");
    hub.clock.set("2026-11-25T01:00:00Z");
    expect(await job().run()).toEqual([]);
  });
});

describe("the cron table", () => {
  it("runs the jobs in the hub's zone: escalation every five minutes, training invitations at 10:00 Shanghai", () => {
    const s = startSchedules(hub.app.jobs, "Asia/Shanghai", createLogger("silent"));
    try {
      const next = s.nextRuns();
      expect(next["escalate-questions"]!.getUTCMinutes() % 5).toBe(0);
      expect(next["escalate-questions"]!.getTime() - Date.now()).toBeLessThanOrEqual(5 * 60_000);
      expect(next["training-invite"]!.toISOString()).toMatch(/T02:00:00\.000Z$/);
      expect(next["training-report"]!.toISOString()).toMatch(/T10:00:00\.000Z$/);
    } finally {
      s.stop();
    }
  });
});
