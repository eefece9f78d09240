// Greetings end to end on the console channel: planned for a day from the client files, sent by the
// outbox at the local send time, once, to private chats where known and bound groups otherwise.
import { PRIORITY } from "../../src/outbox/enqueue.ts";
import path from "node:path";
import LunarCalendar from "lunar-javascript";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parseLocalDay } from "../../src/outreach/calendar.ts";
import { formatDayPlan } from "../../src/outreach/service.ts";
import { reasonText } from "../../src/outreach/report.ts";
import { importPartners } from "../../src/partners/transfer.ts";
import { startTestHub, type TestHub } from "../helpers/hub.ts";

const EXAMPLE = path.resolve(import.meta.dirname, "../../examples/partners.csv");
let hub: TestHub;

const partnerId = async (code: string) => (await hub.db.partner.findUniqueOrThrow({ where: { code } })).id;
const sentTo = (chat: string) => hub.outputs.filter((o) => o.chatId === chat).map((o) => o.rendered);

beforeEach(async () => {
  hub = await startTestHub({ now: "2027-01-20T02:00:00Z", env: { HUB_STAFF_CHAT: "console:staff" } });
  await importPartners(hub.db, EXAMPLE);
  await hub.addStaff("周敏", "zhou", "MANAGER");
  await hub.say("zhou", "/bind HZ001", "g-hz");
  await hub.say("zhou", "/bind SH002", "g-sh");
  await hub.say("zhou", "/bind 内部", "staff");
  await hub.say("zhou", "确认", "staff");
  // 张伟 of HZ001 has written to the bot privately: the hub now knows his private chat.
  const zhang = await hub.db.contact.findFirstOrThrow({ where: { name: "张伟" } });
  await hub.db.identity.create({ data: { platform: "console", externalId: "zhangwei", contactId: zhang.id } });
  await hub.say("zhangwei", "你好");
  hub.outputs.length = 0;
});
afterEach(() => hub.close());

describe("festival greetings", () => {
  it("春节 2027-02-06: privately to whom the hub can reach privately, in the group for the others, at 09:00 local time", async () => {
    const plan = await hub.app.outreach.planDay(parseLocalDay("2027-02-06"));
    const spring = plan.occasions.find((o) => o.name === "春节")!;
    // 张伟 privately; 李娜 in HZ001's group; 王强 in SH002's group; five people of unbound partners cannot be reached.
    expect(spring).toMatchObject({ recipients: 3, messages: 3, unreachable: 5 });
    expect(formatDayPlan(plan)).toContain("春节：3 人，3 条消息，5 人没有可发送的私聊或客户群");

    hub.clock.set("2027-02-06T00:30:00Z"); // 08:30 in Shanghai: not yet
    expect((await hub.app.worker.drain()).sent).toBe(0);
    hub.clock.set("2027-02-06T01:00:00Z");
    expect((await hub.app.worker.drain()).sent).toBe(3);
    expect(sentTo("dm:zhangwei")).toEqual(["张总，新春快乐！感谢您这一年对我们的信任与支持，祝您新的一年生意兴隆、阖家幸福！"]);
    expect(sentTo("g-hz")).toEqual(["李经理，新春快乐！感谢您这一年对我们的信任与支持，祝您新的一年生意兴隆、阖家幸福！"]);
    expect(sentTo("g-sh")[0]).toMatch(/^王总，新春快乐！/);
    // In each partner's history.
    const history = await hub.db.interaction.findMany({ where: { partnerId: await partnerId("HZ001"), kind: "greeting" } });
    expect(history).toHaveLength(2);
  });

  it("planning the same day again, or after sending, plans nothing twice; a dry run writes nothing", async () => {
    const day = parseLocalDay("2027-02-06");
    expect((await hub.app.outreach.planDay(day, { dryRun: true })).planned).toBe(0);
    expect(await hub.db.delivery.count({ where: { priority: PRIORITY.outreach } })).toBe(0); // replies to staff are deliveries too
    expect((await hub.app.outreach.planDay(day)).planned).toBe(3);
    hub.clock.set("2027-02-06T03:00:00Z");
    await hub.app.worker.drain();
    expect((await hub.app.outreach.planDay(day)).planned).toBe(0);
    await hub.app.worker.drain();
    expect(hub.outputs).toHaveLength(3);
  });

  it("someone greeted in their group is not greeted again privately after writing to the bot that day", async () => {
    const day = parseLocalDay("2027-02-06");
    await hub.app.outreach.planDay(day); // 李娜 is named in HZ001's group greeting
    const li = await hub.db.contact.findFirstOrThrow({ where: { name: "李娜" } });
    await hub.db.identity.create({ data: { platform: "console", externalId: "lina", contactId: li.id } });
    await hub.say("lina", "新年好");
    expect((await hub.app.outreach.planDay(day)).planned).toBe(0);
  });

  it("a group greeting holds for its festival's day in the partner's own zone, and only that year's", async () => {
    // 09:00 in Los Angeles is already 2月7日 in Shanghai: the group's greeting is still today's.
    await hub.db.partner.update({ where: { code: "SH002" }, data: { timeZone: "America/Los_Angeles" } });
    const day = parseLocalDay("2027-02-06");
    await hub.app.outreach.planDay(day); // 王强 is named in SH002's group greeting
    const wang = await hub.db.contact.findFirstOrThrow({ where: { name: "王强" } });
    await hub.db.identity.create({ data: { platform: "console", externalId: "wangqiang", contactId: wang.id } });
    await hub.say("wangqiang", "新年好");
    expect((await hub.app.outreach.planDay(day)).planned).toBe(0);
    // 春节 2028 (1月26日): he has written privately since, so that is where he is wished.
    const next = await hub.app.outreach.planDay(parseLocalDay("2028-01-26"));
    expect(next.deliveries.filter((d) => d.occasion === "SPRING").map((d) => d.externalChatId)).toEqual(expect.arrayContaining(["dm:wangqiang"]));
    expect(next.deliveries.some((d) => d.externalChatId === "g-sh")).toBe(false);
  });

  it("a partner in another time zone is greeted on their own morning", async () => {
    await hub.db.partner.update({ where: { code: "SH002" }, data: { timeZone: "America/Los_Angeles" } });
    await hub.app.outreach.planDay(parseLocalDay("2027-02-06"));
    const la = await hub.db.delivery.findFirstOrThrow({ where: { externalChatId: "g-sh", kind: "greeting" } });
    expect(la.notBefore.toISOString()).toBe("2027-02-06T17:00:00.000Z"); // 09:00 PST
    const hz = await hub.db.delivery.findFirstOrThrow({ where: { externalChatId: "g-hz", kind: "greeting" } });
    expect(hz.notBefore.toISOString()).toBe("2027-02-06T01:00:00.000Z"); // 09:00 in Shanghai
  });

  it("a greeting not sent on its day is dropped, not sent a day late", async () => {
    await hub.app.outreach.planDay(parseLocalDay("2027-02-06"));
    hub.clock.set("2027-02-06T16:00:00Z"); // 00:00 on 2月7日 in Shanghai: the hub was down all day
    expect(await hub.app.worker.drain()).toMatchObject({ sent: 0, failed: 3 });
    expect(hub.outputs).toEqual([]);
    const failed = await hub.db.delivery.findFirstOrThrow({ where: { status: "FAILED" } });
    expect(reasonText(failed.lastError!)).toBe("已过发送日期，未再补发");
    expect(reasonText("not_found: Slack: channel_not_found")).toBe("群或用户不存在（机器人可能已被移出群）（Slack: channel_not_found）");
  });

  it("七夕 is off unless configured; an ordinary day plans nothing", async () => {
    expect((await hub.app.outreach.planDay(parseLocalDay("2027-08-08"))).occasions).toEqual([]);
    expect((await hub.app.outreach.planDay(parseLocalDay("2027-03-02"))).occasions).toEqual([]);
  });
});

describe("personal occasions", () => {
  it("a lunar birthday (农历三月初八) is wished on its solar day this year, privately", async () => {
    const solar = LunarCalendar.Lunar.fromYmd(2027, 3, 8).getSolar().toYmd();
    const plan = await hub.app.outreach.planDay(parseLocalDay(solar));
    expect(plan.occasions.map((o) => [o.name, o.recipients])).toEqual([["生日", 1]]);
    hub.clock.set(`${solar}T02:00:00Z`);
    await hub.app.worker.drain();
    expect(sentTo("dm:zhangwei")).toEqual(["张总，祝您生日快乐！愿您身体健康、事事顺心，我们全体同事为您送上祝福！"]);
  });

  it("a 2月29日 birthday is wished on 2月28日 in a common year (and counted unreachable without a chat)", async () => {
    const plan = await hub.app.outreach.planDay(parseLocalDay("2027-02-28"));
    expect(plan.occasions).toEqual([expect.objectContaining({ name: "生日", recipients: 0, unreachable: 1 })]);
  });

  it("a lunar birthday that falls twice in one solar year (冬月十五: 2026-01-03 and 2026-12-23) is wished both times", async () => {
    await hub.db.contact.updateMany({ where: { name: "张伟" }, data: { birthday: "lunar:--11-15" } });
    for (const day of ["2026-01-03", "2026-12-23"]) {
      const plan = await hub.app.outreach.planDay(parseLocalDay(day));
      expect(plan.planned).toBe(1);
    }
  });

  it("a wedding anniversary is wished privately only, never in the company's group", async () => {
    await hub.say("zhou", "/bind CD004", "g-cd"); // 赵敏 of CD004 married 2005-05-20, no private chat
    const plan = await hub.app.outreach.planDay(parseLocalDay("2027-05-20"));
    expect(plan.occasions).toEqual([expect.objectContaining({ name: "结婚纪念日", recipients: 0, messages: 0, unreachable: 1 })]);
  });

  it("合作 8 周年 for a partner since 2019-03-15, in its group", async () => {
    await hub.app.outreach.planDay(parseLocalDay("2027-03-15"));
    hub.clock.set("2027-03-15T02:00:00Z");
    await hub.app.worker.drain();
    expect(sentTo("g-hz")).toEqual(["杭州云帆智能科技有限公司的各位伙伴：今天是我们合作 8 周年的日子，感谢一路以来的信任与支持，期待继续携手共赢！"]);
  });
});

describe("gifts and previews for staff", () => {
  it("ten days before 春节 the owners of key accounts get a gift task, told in the staff chat", async () => {
    const plan = await hub.app.outreach.planDay(parseLocalDay("2027-01-27"));
    expect(plan.giftTasks).toBe(3);
    const tasks = await hub.db.followUp.findMany({ where: { kind: "GIFT" } });
    expect(tasks).toHaveLength(3);
    expect(tasks.every((t) => t.assigneeName === "周敏")).toBe(true);
    hub.clock.set("2027-01-27T01:00:00Z"); // told in the morning, not at the planning tick
    await hub.app.worker.drain();
    expect(sentTo("staff")[0]).toContain("春节还有 10 天（2027-02-06）。请各位负责人为 3 家重点客户准备一份有公司特色的小礼品");
    await hub.app.outreach.planDay(parseLocalDay("2027-01-27"));
    expect(await hub.db.followUp.count({ where: { kind: "GIFT" } })).toBe(3);
  });

  it("/greetings preview shows who would get what, without planning anything", async () => {
    const [reply] = await hub.say("zhou", "/greetings preview 2027-02-06");
    expect(reply).toContain("2027-02-06（预览，未写入发件箱）");
    expect(reply).toContain("春节：3 人");
    expect(reply).toContain("杭州云帆智能科技有限公司（console 私聊）：张总，新春快乐！");
    expect(await hub.db.delivery.count({ where: { priority: PRIORITY.outreach } })).toBe(0); // replies to staff are deliveries too
    const [refused] = await hub.say("zhangwei", "/greetings preview 2027-02-06");
    expect(refused).toContain("仅限员工使用");
  });
});

describe("WeChat capacity", () => {
  it("planning warns when WeChat cannot send a day's greetings at its pace before quiet hours", async () => {
    const h = await startTestHub({ now: "2027-01-20T02:00:00Z", env: { HUB_WECHAT_PER_MINUTE: "0.002" } }); // 1 in 12 hours
    try {
      await importPartners(h.db, EXAMPLE);
      const [hz, sh] = await Promise.all(["HZ001", "SH002"].map((code) => h.db.partner.findUniqueOrThrow({ where: { code } })));
      await h.db.chat.createMany({ data: [{ platform: "wechat", externalChatId: "r1@chatroom", kind: "group", partnerId: hz.id }, { platform: "wechat", externalChatId: "r2@chatroom", kind: "group", partnerId: sh.id }] });
      const plan = await h.app.outreach.planDay(parseLocalDay("2027-02-06"));
      expect(plan.overflow).toEqual([{ platform: "wechat", count: 1, setting: "HUB_WECHAT_PER_MINUTE" }]);
      expect(formatDayPlan(plan)).toContain("注意：微信按当前速度（HUB_WECHAT_PER_MINUTE）当天发不完，约 1 条祝福会过期不发");
    } finally {
      await h.close();
    }
  });

  it("counts from each occasion's own send time: 除夕 at 18:00 has three hours before quiet hours, not twelve", async () => {
    const env = { HUB_WECHAT_PER_MINUTE: "0.005", HUB_GREETING_TIME: "09:00,除夕=18:00" }; // 3.6 from 09:00, 0.9 from 18:00
    const h = await startTestHub({ now: "2027-01-20T02:00:00Z", env });
    try {
      await importPartners(h.db, EXAMPLE);
      const [hz, sh] = await Promise.all(["HZ001", "SH002"].map((code) => h.db.partner.findUniqueOrThrow({ where: { code } })));
      await h.db.chat.createMany({ data: [{ platform: "wechat", externalChatId: "r1@chatroom", kind: "group", partnerId: hz.id }, { platform: "wechat", externalChatId: "r2@chatroom", kind: "group", partnerId: sh.id }] });
      expect((await h.app.outreach.planDay(parseLocalDay("2027-02-06"), { dryRun: true })).overflow).toEqual([]); // 春节 at 09:00
      expect((await h.app.outreach.planDay(parseLocalDay("2027-02-05"), { dryRun: true })).overflow.map((o) => o.count)).toEqual([1]); // 除夕 at 18:00
    } finally {
      await h.close();
    }
  });
});

describe("configured send times", () => {
  it("an occasion may have its own time: 除夕 greetings in the evening", async () => {
    const h = await startTestHub({ now: "2027-01-20T02:00:00Z", env: { HUB_GREETING_TIME: "09:00,除夕=18:00" } });
    try {
      await importPartners(h.db, EXAMPLE);
      await h.addStaff("周敏", "zhou", "MANAGER");
      await h.say("zhou", "/bind HZ001", "g-hz");
      await h.app.outreach.planDay(parseLocalDay("2027-02-05"));
      const eve = await h.db.delivery.findFirstOrThrow({ where: { occasion: "SPRING_EVE" } });
      expect(eve.notBefore.toISOString()).toBe("2027-02-05T10:00:00.000Z"); // 18:00 in Shanghai
    } finally {
      await h.close();
    }
  });
});
