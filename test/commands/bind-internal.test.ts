// An internal staff group shows every partner's client file, so making one is a manager's decision,
// confirmed, and never of a group a partner can read.
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { importPartners } from "../../src/partners/transfer.ts";
import { startTestHub, type TestHub } from "../helpers/hub.ts";

const EXAMPLE = path.resolve(import.meta.dirname, "../../examples/partners.csv");
let hub: TestHub;
const REFUSED_IN_GROUP = "不能在客户群里使用";

beforeEach(async () => {
  hub = await startTestHub();
  await importPartners(hub.db, EXAMPLE);
  await hub.addStaff("周敏", "zhou", "MANAGER");
  await hub.addStaff("小陈", "chen", "AGENT");
  await hub.say("zhou", "/bind HZ001", "hz-group");
});
afterEach(() => hub.close());

describe("/bind 内部", () => {
  it("is refused to an agent in a partner's group, which keeps showing no client file", async () => {
    const [refused] = await hub.say("chen", "/bind 内部", "hz-group");
    expect(refused).toContain("设为内部员工群需要经理或管理员操作");
    expect(await hub.say("chen", "确认", "hz-group")).toEqual([]);
    const [card] = await hub.say("chen", "/client SH002", "hz-group");
    expect(card).toContain(REFUSED_IN_GROUP);
    expect(card).not.toContain("13800000003");
    expect((await hub.db.chat.findFirstOrThrow({ where: { externalChatId: "hz-group" } })).internal).toBe(false);
  });

  it("is refused to a manager too in a group bound to a partner", async () => {
    const [refused] = await hub.say("zhou", "/bind 内部", "hz-group");
    expect(refused).toBe("本群已绑定到客户 杭州云帆智能科技有限公司（HZ001），客户能看到群里的消息，不能设为内部员工群。请另建一个只有员工的群，再在那里发送 /bind 内部。");
    await hub.say("zhou", "确认", "hz-group");
    expect((await hub.say("zhou", "/client SH002", "hz-group"))[0]).toContain(REFUSED_IN_GROUP);
  });

  it("is refused in an unbound group where a partner's contact has spoken", async () => {
    const zhang = await hub.db.contact.findFirstOrThrow({ where: { name: "张伟" } });
    await hub.db.identity.create({ data: { platform: "console", externalId: "zhangwei", contactId: zhang.id } });
    await hub.say("zhangwei", "大家好", "mixed-group");
    const [refused] = await hub.say("zhou", "/bind 内部", "mixed-group");
    expect(refused).toBe("本群有 1 位客户联系人发过言，不能设为内部员工群：客户档案会被他们看到。请另建一个只有员工的群，再在那里发送 /bind 内部。");
    expect((await hub.db.chat.findFirstOrThrow({ where: { externalChatId: "mixed-group" } })).internal).toBe(false);
  });

  it("is refused where a partner's contact joined and never spoke", async () => {
    const li = await hub.db.contact.findFirstOrThrow({ where: { name: "李娜" } });
    await hub.db.identity.create({ data: { platform: "console", externalId: "lina", contactId: li.id } });
    await hub.app.hub.handle({
      type: "member_joined", platform: "console", messageId: "join-1", chat: { id: "quiet-group", kind: "group" },
      sender: { id: "zhou" }, at: hub.clock.now(), members: [{ id: "lina", name: "李娜" }],
    });
    const [refused] = await hub.say("zhou", "/bind 内部", "quiet-group");
    expect(refused).toContain("本群有 1 位客户联系人入群（未发言），不能设为内部员工群");
    await hub.say("zhou", "确认", "quiet-group");
    expect((await hub.db.chat.findFirstOrThrow({ where: { externalChatId: "quiet-group" } })).internal).toBe(false);
  });

  it("asks a manager to confirm in a staff-only group, and only then shows client files there", async () => {
    const [asked] = await hub.say("zhou", "/bind 内部", "staff-group");
    expect(asked).toBe("确认把本群设为内部员工群？设为内部群后，群里可以查询所有客户的档案（电话、邮箱、信用额度、地址），所以群里只能有员工。\n回复「确认」设为内部员工群；回复「取消」放弃（30 分钟内有效）。");
    expect((await hub.say("zhou", "/client SH002", "staff-group"))[0]).toContain("不能在未设为内部员工群的群里使用");
    // A colleague's 确认 is not the manager's.
    expect((await hub.say("chen", "/确认", "staff-group"))[0]).toBe("现在没有等您确认的操作。");
    expect((await hub.say("zhou", "确认", "staff-group"))[0]).toBe("已将本群设为内部员工群：可以在这里查询客户档案，本群的消息不会记入任何客户的互动记录。");
    expect((await hub.say("zhou", "/client SH002", "staff-group"))[0]).toContain("上海申达电器贸易有限公司（SH002）");
  });

  it("checks again when confirmed: a partner's contact who spoke meanwhile stops it", async () => {
    await hub.say("zhou", "/bind 内部", "staff-group");
    const li = await hub.db.contact.findFirstOrThrow({ where: { name: "李娜" } });
    await hub.db.identity.create({ data: { platform: "console", externalId: "lina", contactId: li.id } });
    await hub.say("lina", "这个群是做什么的？", "staff-group");
    expect((await hub.say("zhou", "确认", "staff-group"))[0]).toContain("本群有 1 位客户联系人发过言，不能设为内部员工群");
    expect((await hub.db.chat.findFirstOrThrow({ where: { externalChatId: "staff-group" } })).internal).toBe(false);
  });

  it("取消 leaves the group as it was", async () => {
    await hub.say("zhou", "/bind 内部", "staff-group");
    expect((await hub.say("zhou", "取消", "staff-group"))[0]).toBe("好的，本群没有设为内部员工群。");
    expect((await hub.say("zhou", "确认", "staff-group"))).toEqual([]);
    expect((await hub.db.chat.findFirstOrThrow({ where: { externalChatId: "staff-group" } })).internal).toBe(false);
  });
});
