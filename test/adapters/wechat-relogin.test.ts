// A WeChat re-login that changes every id, as the web protocol (wechat4u) does: rooms bound with /bind,
// contacts linked with /link and staff accounts must still be what they were, on wechaty-puppet-mock.
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PuppetMock, mock } from "wechaty-puppet-mock";
import { createWechatAdapter } from "../../adapters/wechat/index.ts";
import { enqueue } from "../../src/outbox/enqueue.ts";
import { createLogger } from "../../src/lib/logger.ts";
import { importPartners } from "../../src/partners/transfer.ts";
import { addStaff } from "../../src/staff/store.ts";
import { capturingLogger, startPlatformHub, until } from "../helpers/platform-hub.ts";

const EXAMPLE = path.resolve(import.meta.dirname, "../../examples/partners.csv");

/** WeChat keeps remarks on its servers: what the hub writes here is what the next session shows. */
class RemarkingPuppet extends PuppetMock {
  readonly remarks = new Map<string, string>(); // contact name -> remark
  override async contactAlias(contactId: string, alias?: string | null): Promise<any> {
    if (alias === undefined) return super.contactAlias(contactId);
    const payload = this.mocker.cacheContactPayload.get(contactId)!;
    payload.alias = alias ?? undefined;
    this.remarks.set(payload.name, alias ?? "");
  }
}

const logged = capturingLogger();
let hub: Awaited<ReturnType<typeof startPlatformHub>>;
let mocker: mock.Mocker;
let puppet: RemarkingPuppet;
const said: { text: string; roomId?: string; toId?: string }[] = [];

type Session = Record<"me" | "zhou" | "alice" | "bob" | "carol", mock.ContactMock> & Record<string, mock.RoomMock>;
let before: Session;
let after: Session;

/** One login's worth of the same people and groups, each with an id of its own. */
function session(withOldRoom: boolean): Session {
  const remark = (name: string) => puppet.remarks.get(name) || undefined;
  const person = (name: string) => mocker.createContact({ name, alias: remark(name) });
  const s = { me: person("伙伴通"), zhou: person("周敏"), alice: person("张伟"), bob: person("王强"), carol: person("陌生人") } as Session;
  const room = (topic: string, members: mock.ContactMock[]) => mocker.createRoom({ topic, memberIdList: [s.me.id, ...members.map((m) => m.id)] });
  s.yunfan = room("云帆 × 伙伴通 服务群", [s.zhou, s.alice]);
  s.staff = room("伙伴通 员工群", [s.zhou]);
  // Two groups share a topic; who is in them tells them apart.
  s.shenda = room("华东经销商群", [s.zhou, s.bob]);
  s.other = room("华东经销商群", [s.zhou, s.carol]);
  // Two groups share a topic and only staff are known in them: nothing tells them apart.
  s.training1 = room("培训群", [s.zhou]);
  s.training2 = room("培训群", [s.zhou]);
  if (withOldRoom) s.old = room("老客户群", [s.zhou]);
  return s;
}

/** The previous session's ids are gone from the account, as after a new QR scan. */
function forget(s: Session) {
  for (const v of Object.values(s)) {
    mocker.cacheContactPayload.delete(v.id);
    mocker.cacheRoomPayload.delete(v.id);
  }
}

const reattachLines = () => logged.logs.filter((l) => l.kind === "reattach");

async function login(me: mock.ContactMock) {
  mocker.login(me);
  puppet.emit("ready", { data: "contacts loaded" });
}

beforeAll(async () => {
  mocker = new mock.Mocker();
  puppet = new RemarkingPuppet({ mocker });
  puppet.on("message", async ({ messageId }) => {
    const m = await puppet.messagePayload(messageId);
    if (m.talkerId === puppet.currentUserId) said.push({ text: m.text ?? "", roomId: m.roomId, toId: m.listenerId });
  });
  const adapter = createWechatAdapter({
    puppet,
    logger: createLogger("silent"),
    drawQr: () => {},
  });
  before = session(true);
  hub = await startPlatformHub([adapter], { logged, env: { HUB_STAFF_CHAT: `wechat:${before.staff.id}`, HUB_WELCOME_MESSAGE: "off", HUB_WECHAT_PER_MINUTE: "600" } });
  await login(before.me);
  await importPartners(hub.db, EXAMPLE);
  await addStaff(hub.db, "周敏", "AGENT", [`wechat:${before.zhou.id}`]);
  const reply = (text: string) => until(() => said.find((s) => s.text.includes(text)), text);
  const { zhou, alice, bob, me } = before;
  // A group is known once someone has written in it.
  zhou.say("今天的值班表发群里了").to(before.staff);
  zhou.say("/bind HZ001", [me]).to(before.yunfan);
  await reply("已将本群绑定到 杭州云帆智能科技有限公司");
  zhou.say("/link @张伟 HZ001 张伟", [me, alice]).to(before.yunfan);
  await reply("的联系人 张伟");
  zhou.say("/bind SH002", [me]).to(before.shenda);
  await reply("已将本群绑定到 上海申达");
  zhou.say("/link @王强 SH002 王强", [me, bob]).to(before.shenda);
  await reply("的联系人 王强");
  zhou.say("/bind GZ003", [me]).to(before.training1);
  await reply("已将本群绑定到 广州穗安");
  zhou.say("/bind CD004", [me]).to(before.old);
  await reply("已将本群绑定到 成都锦城");
  // The sweep that marks accounts linked since the last login (every ten minutes).
  await hub.app.jobs.find((j) => j.name === "wechat-mark-accounts")!.run();

  await puppet.logout("QR expired");
  // Queued while the account was away: it must reach the group under its new id.
  await enqueue(hub.db, [{ dedupeKey: "notice:test:1", kind: "notice", platform: "wechat", externalChatId: before.yunfan.id, message: { type: "text", text: "年末对账通知" }, notBefore: new Date() }], new Date());
  forget(before);
  after = session(false);
  said.length = 0;
  await login(after.me);
  await until(() => reattachLines().length === 2, "the re-attachment after the second login");
});
afterAll(() => hub.close());

describe("WeChat re-login with new ids", () => {
  it("marks staff and linked contacts in the account's remarks, not strangers", () => {
    expect(puppet.remarks.get("周敏")).toMatch(/^PH:\d+$/);
    expect(puppet.remarks.get("张伟")).toMatch(/^PH:\d+$/);
    expect(puppet.remarks.has("陌生人")).toBe(false);
  });

  it("files a partner's message in the re-attached group to that partner and contact", async () => {
    after.alice.say("返利什么时候到账").to(after.yunfan);
    const row = await until(() => hub.db.interaction.findFirst({ where: { platform: "wechat", text: "返利什么时候到账" }, include: { contact: true, partner: true } }), "the question");
    expect(row.partner?.code).toBe("HZ001");
    expect(row.contact?.name).toBe("张伟");
  });

  it("tells two groups with the same topic apart by who is in them", async () => {
    after.bob.say("发票开好了吗").to(after.shenda);
    const row = await until(() => hub.db.interaction.findFirst({ where: { platform: "wechat", text: "发票开好了吗" }, include: { contact: true, partner: true } }), "the question");
    expect(row.partner?.code).toBe("SH002");
    expect(row.contact?.name).toBe("王强");
    expect((await hub.db.chat.findFirst({ where: { externalChatId: after.other.id } }))?.partnerId ?? null).toBeNull();
  });

  it("still knows the staff member: a staff command in private works", async () => {
    after.zhou.say("/client SH002").to(after.me);
    const card = await until(() => said.find((s) => s.text.startsWith("【上海申达电器贸易有限公司（SH002）】")), "the card");
    expect(card.toId).toBe(after.zhou.id);
  });

  it("does not give staff rights to someone who only has the staff member's name", async () => {
    const impostor = mocker.createContact({ name: "周敏" });
    impostor.say("/client SH002", [after.me]).to(after.yunfan);
    await until(() => said.find((s) => s.roomId === after.yunfan.id && s.text.includes("仅限员工使用")), "the refusal");
  });

  it("sends what was queued for the old group id to the new one", async () => {
    await hub.app.worker.drain();
    await until(() => said.find((s) => s.text === "年末对账通知" && s.roomId === after.yunfan.id), "the queued notice");
  });

  it("tells staff, in the staff chat, which groups could not be re-attached and what to do", async () => {
    const report = await until(() => said.find((s) => s.text.startsWith("微信重新登录后")), "the report");
    expect(report.roomId).toBe(after.staff.id); // HUB_STAFF_CHAT named the old id: it followed the room
    expect(report.text).toContain("群「培训群」（绑定 广州穗安安防设备有限公司（GZ003））：有几个同名的群");
    expect(report.text).toContain("群「老客户群」（绑定 成都锦城家居体验馆（CD004））：新登录的微信里找不到这个群");
    expect(report.text).toContain("/bind CD004");
    expect(report.text).not.toContain("云帆 × 伙伴通");
    expect(report.text).not.toContain("华东经销商群");
  });

  it("re-attaches a group the new session shows only once it speaks (web WeChat lists unsaved groups late)", async () => {
    const late = mocker.createRoom({ topic: "老客户群", memberIdList: [after.me.id, after.zhou.id, after.carol.id] });
    after.carol.say("货什么时候发").to(late);
    const row = await until(() => hub.db.interaction.findFirst({ where: { platform: "wechat", text: "货什么时候发" }, include: { partner: true } }), "the message");
    expect(row.partner?.code).toBe("CD004");
    expect(await hub.db.chat.count({ where: { title: "老客户群" } })).toBe(1);
  });

  it("logs kinds, counts and row ids, never names, topics or platform ids", async () => {
    const line = reattachLines()[1];
    expect(line).toMatchObject({ rooms: { moved: 3 }, accounts: { moved: 3 }, deliveries: 1 });
    const training = await hub.db.chat.findFirstOrThrow({ where: { title: "培训群", partnerId: { not: null } } });
    const old = await hub.db.chat.findFirstOrThrow({ where: { title: "老客户群" } });
    expect(line.ambiguousChatIds).toEqual([training.id]);
    expect(line.missingChatIds).toEqual([old.id]);
    const text = JSON.stringify(logged.logs);
    for (const secret of ["周敏", "张伟", "王强", "培训群", "老客户群", "云帆", ...Object.values(before).map((v) => v.id), ...Object.values(after).map((v) => v.id)]) {
      expect(text).not.toContain(secret);
    }
  });
});
