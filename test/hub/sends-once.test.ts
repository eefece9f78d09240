// What the hub says through the one outbox, seen from the chats: a recovered command does not repeat its
// message to the partner, a partner hears back before the staff post about their question on a platform that
// paces everything, and a staff chat on a platform this hub does not run is named at start.
import { afterEach, expect, it } from "vitest";
import { createConsoleAdapter, type ConsoleOutput } from "../../adapters/console/index.ts";
import { loadConfig } from "../../src/config.ts";
import { ManualClock } from "../../src/lib/clock.ts";
import { createApp, type App } from "../../src/main.ts";
import { addStaff } from "../../src/staff/store.ts";
import { sqliteUrl } from "../helpers/databases.ts";
import { HANDOFF_POST_AFTER_MS } from "../../src/hub/routes/question.ts";
import { consoleEvent, type TestHub } from "../helpers/hub.ts";
import { capturingLogger } from "../helpers/platform-hub.ts";
import { PARTNER, startStaffHub } from "../helpers/staff-hub.ts";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

it("an /answer --again whose handling stopped after the partner's message was planned reaches the partner once", async () => {
  const hub: TestHub = await startStaffHub();
  cleanups.push(() => hub.close());
  await hub.say(PARTNER, "@bot 样机押金可以退吗？", "hz-group");
  const q = await hub.db.question.findFirstOrThrow();
  await hub.say("zhou", `/answer ${q.id} 押金可以退，请联系财务。`);
  // The stop: the staff member's confirmation cannot be planned, so the event stays unhandled.
  await hub.db.$executeRawUnsafe(`CREATE TRIGGER refuse_reply BEFORE INSERT ON "Delivery" WHEN NEW."inReplyTo" = 'again-1' BEGIN SELECT RAISE(ABORT, 'refused'); END`);
  hub.outputs.length = 0;
  const event = consoleEvent("again-1", `/answer ${q.id} --again 补充：押金三个工作日内退回。`, "zhou", hub.clock.now());
  await expect(hub.app.hub.handle(event)).rejects.toThrow();
  await hub.db.$executeRawUnsafe(`DROP TRIGGER refuse_reply`);
  hub.clock.advance(4 * 60_000);
  expect(await hub.app.hub.recover()).toBe(1);
  await hub.app.worker.drain();
  const toPartner = hub.outputs.filter((o) => o.chatId === "hz-group").map((o) => o.rendered);
  expect(toPartner.filter((t) => t.includes("押金三个工作日内退回"))).toHaveLength(1);
});

async function consoleApp(env: Record<string, string>, limits?: Parameters<typeof createApp>[0]["limits"]) {
  const clock = new ManualClock("2026-11-20T02:00:00Z");
  const outputs: (ConsoleOutput & { at: number })[] = [];
  const { logger, logs } = capturingLogger();
  const adapter = createConsoleAdapter({ output: (o) => outputs.push({ ...o, at: clock.now().getTime() }), now: () => clock.now() });
  const app: App = await createApp({ config: loadConfig({ DATABASE_URL: sqliteUrl(), ...env }), logger, adapters: [adapter], clock, limits, sleep: async (ms) => clock.advance(ms) });
  cleanups.push(() => app.close());
  return { app, adapter, outputs, logs, clock };
}

it("on a platform paced like WeChat, the partner is told who follows up before the staff post about their question goes", async () => {
  const slow = { perPlatform: 1 / 3, perChat: 1 / 3 }; // one message every 3 s for the whole account
  const unlimited = { perPlatform: Infinity, perChat: Infinity };
  const { app, adapter, outputs, clock } = await consoleApp({ HUB_STAFF_CHAT: "console:staff-room" }, { console: slow, slack: unlimited, lark: unlimited, wechat: unlimited });
  await addStaff(app.db, "周敏", "MANAGER", ["console:zhou"]);
  await adapter.say("p1", "你们的样机押金可以退吗？");
  expect(outputs.map((o) => o.chatId)).toEqual(["dm:p1"]); // answered at once
  clock.advance(HANDOFF_POST_AFTER_MS); // the next tick
  await app.worker.drain();
  // The colleague named hears of it privately too, also after the partner's answer.
  expect(outputs.map((o) => o.chatId)).toEqual(["dm:p1", "staff-room", "dm:zhou"]);
  expect(outputs[0].rendered).toContain("问题编号 #1");
  expect(outputs[1].rendered).toContain("【待回答 #1】");
  expect(outputs[1].at - outputs[0].at).toBeGreaterThanOrEqual(3000);
});

it("names at start a staff chat on a platform this hub does not run, instead of leaving hand-offs waiting unseen", async () => {
  const { logs } = await consoleApp({ HUB_STAFF_CHAT: "slack:C0STAFF,console:staff-room" });
  const warned = logs.filter((l) => String(l.msg).startsWith("HUB_STAFF_CHAT names a platform this hub does not run"));
  expect(warned).toEqual([expect.objectContaining({ platform: "slack", chat: "C0STAFF" })]);
});
