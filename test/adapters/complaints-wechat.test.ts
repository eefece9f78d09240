// A complaint through a real adapter path (a wechaty mock room): said in plain words in the group, numbered
// and acknowledged there; resolved by staff from their private chat; rated by the person who complained —
// in the group by name while the hub has no private chat with them (another member's number does not
// count), privately once they have written to the hub.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { mock } from "wechaty-puppet-mock";
import { until } from "../helpers/platform-hub.ts";
import { startWechatRoom } from "../helpers/wechat-room.ts";

describe("a complaint on WeChat", () => {
  let hub: Awaited<ReturnType<typeof startWechatRoom>>["hub"];
  let me: mock.ContactMock, zhou: mock.ContactMock, zhang: mock.ContactMock, li: mock.ContactMock;
  let room: mock.RoomMock;
  let said: { to: string; text: string }[];
  const to = (where: string, start: string) => said.filter((s) => s.to === where && s.text.startsWith(start));

  beforeAll(async () => {
    ({ hub, me, zhou, room, said, people: [zhang, li] } = await startWechatRoom(["张伟", "李娜"]));
  });
  afterAll(() => hub.close());

  it("is numbered in the group, resolved from staff's private chat, and rated in the group by the person who complained only", async () => {
    zhang.say("我要投诉，上周订的货到现在还没到，店里等着卖").to(room);
    const ack = await until(() => to(room.id, "很抱歉给您带来不便")[0], "the acknowledgement");
    expect(ack.text).toMatch(/^很抱歉给您带来不便，您的投诉已受理，编号 #1。负责处理的是周敏，我们会在 .+ 前联系您，.+ 前给您处理结果。/);
    await until(() => to(zhou.id, "【客户投诉 #1】")[0], "the owner told privately");
    zhou.say("/complaint resolve 1 已加急补发，今天下午到货").to(me);
    await until(() => to(room.id, "您的投诉 #1")[0], "the result in the group");
    const ask = await until(() => to(room.id, "@张伟 您好！您的投诉 #1")[0], "the rating asked by name");
    expect(ask.text).toContain("请张伟本人打分");
    li.say("1").to(room);
    zhang.say("4").to(room);
    await until(() => to(room.id, "谢谢您的评分（4 分）")[0], "the thanks");
    expect(await hub.db.complaint.findUniqueOrThrow({ where: { id: 1 } })).toMatchObject({ status: "CLOSED", rating: 4 });
  });

  it("is rated privately once the person has a private chat with the hub", async () => {
    zhang.say("你好").to(me);
    await until(() => said.find((s) => s.to === zhang.id), "the hello back");
    zhang.say("投诉：发票抬头开错了两次").to(room);
    await until(() => to(room.id, "很抱歉给您带来不便，您的投诉已受理，编号 #2")[0], "the acknowledgement");
    zhou.say("/complaint resolve 2 已重开发票并快递寄出").to(me);
    const ask = await until(() => to(zhang.id, "张伟，您好！您的投诉 #2")[0], "the rating asked privately");
    expect(ask.text).toContain("请为这次处理打个分");
    expect(to(room.id, "@张伟 您好！您的投诉 #2")).toEqual([]);
    zhang.say("2，还是没收到").to(me);
    await until(() => to(zhang.id, "很抱歉这次处理没能让您满意。投诉 #2 已重新打开")[0], "the reopening");
    expect(await hub.db.complaint.findUniqueOrThrow({ where: { id: 2 } })).toMatchObject({ status: "REOPENED", rating: 2, ownerName: "周敏" });
  });
});
