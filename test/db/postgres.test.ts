// The same hub on PostgreSQL, the multi-instance mode, against the real server the test run starts.
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../src/db/client.ts";
import { importPartners } from "../../src/partners/transfer.ts";
import { emptyPostgresUrl, postgresAvailable, postgresSkipReason, postgresUrl } from "../helpers/databases.ts";
import { consoleEvent, startTestHub, type TestHub } from "../helpers/hub.ts";

const EXAMPLE = path.resolve(import.meta.dirname, "../../examples/partners.csv");

if (!postgresAvailable()) {
  console.warn(`PostgreSQL tests skipped: ${postgresSkipReason()}`);
}

describe.skipIf(!postgresAvailable())("PostgreSQL", () => {
  const hubs: TestHub[] = [];
  afterAll(async () => {
    for (const h of hubs) await h.close();
  });

  it("migrates a new database at start, and a second start applies nothing", async () => {
    const url = await emptyPostgresUrl();
    const first = await openDatabase(url);
    expect(first.applied.length).toBeGreaterThan(0);
    await first.close();
    const second = await openDatabase(url);
    expect(second.applied).toEqual([]);
    await second.close();
  });

  it("imports client files, answers staff commands and logs every message", async () => {
    const hub = await startTestHub({ databaseUrl: await postgresUrl() });
    hubs.push(hub);
    await importPartners(hub.db, EXAMPLE);
    await hub.addStaff("周敏", "zhou");
    expect((await hub.say("zhou", "/client hzyf"))[0]).toContain("找到 2 个客户");
    expect((await hub.say("zhou", "/client 申達"))[0]).toContain("SH002");
    // The card's facts are plain SQL: typed dates, counts and the referrer's join, on PostgreSQL too.
    await hub.say("zhou", "/complaint add SH002 上周的货到现在还没发");
    const [card] = await hub.say("zhou", "/client SH002");
    expect(card).toMatch(/投诉：1 件未解决，#\d+ 解决期限/);
    expect(card).toMatch(/最近联系：.*（今天）/);
    expect(card).toContain("联系人：王强");
    await hub.say("zhou", "/bind HZ001", "g");
    await hub.say("zhangwei", "返利什么时候到账?", "g");
    const [history] = await hub.say("zhou", "/history HZ001");
    expect(history).toContain("返利什么时候到账?");
  });

  it("two hub instances on one database store a re-delivered event once and answer it once", async () => {
    const url = await postgresUrl();
    const a = await startTestHub({ databaseUrl: url });
    const b = await startTestHub({ databaseUrl: url });
    hubs.push(a, b);
    await a.addStaff("周敏", "zhou");
    b.app.hub.forgetCaches();
    const event = (id: string) => consoleEvent(id, "/whoami");
    for (let i = 0; i < 20; i++) {
      await Promise.all([a.app.hub.handle(event(`dup-${i}`)), b.app.hub.handle(event(`dup-${i}`))]);
    }
    expect(await a.db.interaction.count({ where: { direction: "IN" } })).toBe(20);
    expect(a.outputs.length + b.outputs.length).toBe(20);
  });
});
