// A partner's proposal and referral through a real adapter path (a wechaty mock room): 建议：… in the group
// is numbered and acknowledged there, staff's /proposal reply from their own private chat reaches the group,
// and a /referral typed in the group files a potential partner linked to the referrer.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { mock } from "wechaty-puppet-mock";
import { until } from "../helpers/platform-hub.ts";
import { startWechatRoom } from "../helpers/wechat-room.ts";

describe("a proposal on WeChat", () => {
  let hub: Awaited<ReturnType<typeof startWechatRoom>>["hub"];
  let me: mock.ContactMock, zhou: mock.ContactMock, zhang: mock.ContactMock;
  let room: mock.RoomMock;
  let said: { to: string; text: string }[];

  beforeAll(async () => {
    ({ hub, me, zhou, room, said, people: [zhang] } = await startWechatRoom(["张伟"]));
  });
  afterAll(() => hub.close());

  it("numbers and acknowledges 建议：… in the group, and staff's reply from a private chat reaches the group", async () => {
    zhang.say("建议：旺季能不能提前一周开放预订").to(room);
    const ack = await until(() => said.find((s) => s.to === room.id && s.text.startsWith("谢谢您的建议")), "the acknowledgement");
    expect(ack.text).toContain("已记录为建议 #1");
    zhou.say("/proposal reply 1 好的，今年起旺季提前一周开放预订").to(me);
    const reply = await until(() => said.find((s) => s.to === room.id && s.text.startsWith("关于您的建议 #1")), "the reply in the group");
    expect(reply.text).toBe("关于您的建议 #1「旺季能不能提前一周开放预订」：\n好的，今年起旺季提前一周开放预订");
    expect(await until(() => hub.db.proposal.findFirst({ where: { id: 1, status: "REPLIED" } }), "marked replied")).toMatchObject({ repliedBy: "周敏" });
  });

  it("files a /referral typed in the group as a potential partner of the referrer's", async () => {
    zhang.say("/referral 宁波安家电器有限公司 王磊 13900001111 宁波").to(room);
    const ack = await until(() => said.find((s) => s.to === room.id && s.text.startsWith("谢谢您的推荐")), "the acknowledgement");
    expect(ack.text).toContain("已登记 宁波安家电器有限公司（编号 REF001）");
    const referrer = await hub.db.partner.findUniqueOrThrow({ where: { code: "HZ001" } });
    expect(await hub.db.partner.findUniqueOrThrow({ where: { code: "REF001" } })).toMatchObject({ tier: "POTENTIAL", referredById: referrer.id });
  });
});
