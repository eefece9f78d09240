// WeChat through the real wechaty, on wechaty-puppet-mock: people talk in a mock room, and the test
// watches what the bot says back through the puppet.
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PuppetMock, mock } from "wechaty-puppet-mock";
import { createWechatAdapter } from "../../adapters/wechat/index.ts";
import { createLogger } from "../../src/lib/logger.ts";
import { importPartners } from "../../src/partners/transfer.ts";
import { addStaff } from "../../src/staff/store.ts";
import { pacedDaytimeClock, startPlatformHub, until } from "../helpers/platform-hub.ts";

const EXAMPLE = path.resolve(import.meta.dirname, "../../examples/partners.csv");
/** HUB_WECHAT_PER_MINUTE=40: one send every 1.5 s, spread by up to half of that at random. */
const INTERVAL = 1500;

let hub: Awaited<ReturnType<typeof startPlatformHub>>;
let mocker: mock.Mocker;
let me: mock.ContactMock, zhou: mock.ContactMock, alice: mock.ContactMock, bob: mock.ContactMock;
let room: mock.RoomMock;
/** What the bot said, with the (injected) time it was allowed to say it. */
const said: { text: string; roomId?: string; at: number }[] = [];
/** The hub's clock: the outbox's pacing waits move it, nothing sleeps. */
const paced = pacedDaytimeClock();

beforeAll(async () => {
  mocker = new mock.Mocker();
  const puppet = new PuppetMock({ mocker });
  puppet.on("message", async ({ messageId }) => {
    const m = await puppet.messagePayload(messageId);
    if (m.talkerId === me?.id) said.push({ text: m.text ?? "", roomId: m.roomId, at: paced.clock.now().getTime() });
  });
  const adapter = createWechatAdapter({
    puppet,
    logger: createLogger("silent"),
    drawQr: () => {},
  });
  hub = await startPlatformHub([adapter], { ...paced, env: { HUB_WECHAT_PER_MINUTE: String(60_000 / INTERVAL) } });
  me = mocker.createContact({ name: "伙伴通" });
  zhou = mocker.createContact({ name: "周敏" });
  alice = mocker.createContact({ name: "张伟" });
  bob = mocker.createContact({ name: "新同事" });
  mocker.login(me);
  puppet.emit("ready", { data: "contacts loaded" }); // as wechat4u does once its contact list is stable
  room = mocker.createRoom({ topic: "云帆 × 伙伴通 服务群", memberIdList: [me.id, zhou.id, alice.id] });
  await importPartners(hub.db, EXAMPLE);
  await addStaff(hub.db, "周敏", "AGENT", [`wechat:${zhou.id}`]);
});
afterAll(() => hub.close());

describe("WeChat", () => {
  it("staff bind the room with an @mention command; the partner's questions are logged against it", async () => {
    zhou.say("/bind HZ001", [me]).to(room);
    await until(() => said.find((s) => s.text.includes("已将本群绑定到 杭州云帆")), "the bind reply");
    alice.say("返利什么时候到账").to(room);
    const row = await until(() => hub.db.interaction.findFirst({ where: { platform: "wechat", text: "返利什么时候到账" }, include: { contact: true } }), "the question");
    expect(row.contact?.name).toBe(`张伟（wechat:${alice.id}）`);
    expect(row.partnerId).not.toBeNull();
  });

  it("refuses a partner's staff command in the room", async () => {
    alice.say("/client SH002", [me]).to(room);
    await until(() => said.find((s) => s.text.includes("仅限员工使用")), "the refusal");
    expect(said.some((s) => s.text.includes("上海申达"))).toBe(false);
  });

  it("answers staff in a private chat with a card as text", async () => {
    zhou.say("/client SH002").to(me);
    const card = await until(() => said.find((s) => s.text.startsWith("【上海申达电器贸易有限公司（SH002）】")), "the card");
    expect(card.roomId).toBeFalsy();
    expect(card.text).toContain("联系人：王强");
  });

  it("welcomes someone who joins the bound room", async () => {
    room.add(bob).by(alice);
    await until(() => said.find((s) => s.text.startsWith("欢迎新同事加入")), "the welcome");
  });

  it("never answers itself: its own messages are not logged as inbound", async () => {
    await hub.app.log.flush();
    expect(await hub.db.interaction.count({ where: { platform: "wechat", direction: "IN", text: { contains: "已将本群绑定" } } })).toBe(0);
    const outs = () => hub.db.interaction.count({ where: { platform: "wechat", direction: "OUT" } });
    await until(async () => (await outs()) >= said.length, "every send logged");
    expect(await outs()).toBe(said.length);
  });

  it("paces sends through the outbox: each at least HUB_WECHAT_PER_MINUTE's interval after the one before, jittered", async () => {
    const gaps = said.slice(1).map((s, i) => s.at - said[i].at);
    expect(gaps.length).toBeGreaterThanOrEqual(4);
    for (const g of gaps) expect(g).toBeGreaterThanOrEqual(INTERVAL);
    expect(new Set(gaps).size).toBeGreaterThan(1); // not a steady beat
  });
});
