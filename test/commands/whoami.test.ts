// /whoami in a group tells staff the group's id in the form HUB_STAFF_CHAT takes: how an operator finds
// a staff group's id (a WeChat room's changes at every wechat4u login).
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { importPartners } from "../../src/partners/transfer.ts";
import { startTestHub, type TestHub } from "../helpers/hub.ts";

const EXAMPLE = path.resolve(import.meta.dirname, "../../examples/partners.csv");
let hub: TestHub | undefined;
afterEach(() => hub?.close());

async function start(env: Record<string, string> = {}) {
  hub = await startTestHub({ env });
  await importPartners(hub.db, EXAMPLE);
  await hub.addStaff("周敏", "zhou", "MANAGER");
  return hub;
}

describe("/whoami: who the hub takes you for", () => {
  it("tells staff, a stranger and a partner's unregistered group member apart", async () => {
    const h = await start();
    expect((await h.say("zhou", "/whoami"))[0]).toBe("您是员工 周敏（经理），账号 console:zhou。");
    expect((await h.say("nobody", "/我是谁"))[0]).toBe("您的账号 console:nobody 还没有登记。如需开通，请联系负责您的客户经理。");
    await h.say("zhou", "/bind HZ001", "hz-group");
    await h.say("zw", "大家好", "hz-group");
    expect((await h.say("zw", "/whoami", "hz-group"))[0]).toBe(
      "您在 杭州云帆智能科技有限公司 的服务群里，账号 console:zw 还没有登记为贵公司的联系人。如需登记，请联系负责您的客户经理。",
    ); // once linked, they are the contact: test/commands/link.test.ts
  });
});

describe("/whoami in a group", () => {
  it("shows staff the group's id, and that it is what HUB_STAFF_CHAT takes", async () => {
    const h = await start();
    const [reply] = await h.say("zhou", "/whoami", "staff-room");
    expect(reply).toBe("您是员工 周敏（经理），账号 console:zhou。\n本群还没有绑定客户，可用 /bind 客户编号 绑定。\n本群：console:staff-room（HUB_STAFF_CHAT 用这个）");
  });

  it("the id it shows is one HUB_STAFF_CHAT accepts: hand-offs arrive in that group", async () => {
    const first = await start();
    const [reply] = await first.say("zhou", "/whoami", "staff-room");
    const id = /本群：(\S+?)（HUB_STAFF_CHAT/.exec(reply)![1];
    await first.close();
    hub = undefined;

    const h = await start({ HUB_STAFF_CHAT: id });
    await h.say("zhou", "/bind HZ001", "hz-group");
    await h.say("someone", "展会的展位费公司补贴吗？", "hz-group");
    expect(h.outputs.some((o) => o.chatId === "staff-room" && o.rendered.startsWith("【待回答 #1】"))).toBe(true);
  });

  it("says an internal staff group is one, with its id", async () => {
    const h = await start();
    await h.say("zhou", "/bind 内部", "staff-room");
    await h.say("zhou", "确认", "staff-room");
    const [reply] = await h.say("zhou", "/whoami", "staff-room");
    expect(reply).toContain("\n本群是内部员工群。\n本群：console:staff-room（HUB_STAFF_CHAT 用这个）");
  });

  it("names a partner's group by its id but never offers it as the staff chat", async () => {
    const h = await start();
    await h.say("zhou", "/bind HZ001", "hz-group");
    const [reply] = await h.say("zhou", "/whoami", "hz-group");
    expect(reply).toContain("本群已绑定客户 杭州云帆智能科技有限公司（HZ001）。\n本群：console:hz-group");
    expect(reply).not.toContain("HUB_STAFF_CHAT");
  });

  it("shows partners no chat id", async () => {
    const h = await start();
    await h.say("zhou", "/bind HZ001", "hz-group");
    const [reply] = await h.say("someone", "/whoami", "hz-group");
    expect(reply).not.toContain("console:hz-group");
    expect(reply).not.toContain("HUB_STAFF_CHAT");
  });
});
