// Complaints in the multi-instance mode: on a real PostgreSQL, a ticket is worked to its rating, and two
// hub instances ticking the escalation job together escalate an overdue ticket once.
import { afterAll, describe, expect, it } from "vitest";
import { importPartners } from "../../src/partners/transfer.ts";
import { postgresAvailable, postgresSkipReason, postgresUrl } from "../helpers/databases.ts";
import { startTestHub, type TestHub } from "../helpers/hub.ts";
import { EXAMPLE_PARTNERS } from "../helpers/staff-hub.ts";

if (!postgresAvailable()) console.warn(`PostgreSQL complaint tests skipped: ${postgresSkipReason()}`);

describe.skipIf(!postgresAvailable())("complaints on PostgreSQL", () => {
  const hubs: TestHub[] = [];
  afterAll(async () => {
    for (const h of hubs) await h.close();
  });

  it("works a ticket to its rating, and two instances escalate an overdue one once", async () => {
    const url = await postgresUrl();
    const env = { HUB_STAFF_CHAT: "console:staff-room" };
    const a = await startTestHub({ databaseUrl: url, env });
    const b = await startTestHub({ databaseUrl: url, env });
    hubs.push(a, b);
    await importPartners(a.db, EXAMPLE_PARTNERS);
    await a.addStaff("周敏", "zhou", "MANAGER");
    await a.addStaff("小陈", "chen", "AGENT");
    b.app.hub.forgetCaches();
    await a.db.partner.update({ where: { code: "SH002" }, data: { ownerName: "小陈" } });
    await a.say("zhou", "/bind SH002", "sh-group");
    expect((await a.say("wang", "投訴：發票開錯了兩次", "sh-group"))[0]).toMatch(/^很抱歉给您带来不便，您的投诉已受理，编号 #1。负责处理的是小陈/);
    await b.say("chen", "/complaint resolve 1 已重开发票");
    expect(await a.say("wang", "5", "sh-group")).toEqual(["谢谢您的评分（5 分）！投诉 #1 已结案。以后有任何问题，随时找我们。"]);

    await a.say("wang", "投诉：到货少了两箱", "sh-group");
    for (const h of [a, b]) h.clock.set("2026-11-27T02:00:00Z"); // a week later: both deadlines past
    const job = (h: TestHub) => h.app.jobs.find((j) => j.name === "escalate-complaints")!.run() as Promise<{ id: number; deadline: string }[]>;
    const [ra, rb] = await Promise.all([job(a), job(b)]);
    expect([...ra, ...rb].sort((x, y) => x.deadline.localeCompare(y.deadline))).toEqual([{ id: 2, deadline: "resolve" }, { id: 2, deadline: "respond" }]);
    expect([...(await job(a)), ...(await job(b))]).toEqual([]);
    await Promise.all([a.app.worker.drain(), b.app.worker.drain()]);
    const posts = [...a.outputs, ...b.outputs].filter((o) => o.chatId === "staff-room" && o.rendered.startsWith("【投诉超时 #2】"));
    expect(posts).toHaveLength(2);
    expect(await a.db.complaintStep.count({ where: { complaintId: 2, action: "ESCALATED" } })).toBe(2);
  });
});
