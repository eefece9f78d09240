// 提案 (seed 000 第18条): a partner's proposal is numbered and acknowledged, reaches the owner and the staff
// chat, is answered in the partner's own chat and closed by staff, and the partner can ask how it stands.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { consoleEvent, type TestHub } from "../helpers/hub.ts";
import { startStaffHub } from "../helpers/staff-hub.ts";

let hub: TestHub;
const inChat = (chatId: string) => hub.outputs.filter((o) => o.chatId === chatId).map((o) => o.rendered);

beforeEach(async () => {
  hub = await startStaffHub(); // 周敏 (manager), 小陈 (agent), hz-group bound to HZ001
  await hub.say("zhou", "/bind SH002", "sh-group");
});
afterEach(() => hub.close());

describe("proposals", () => {
  it("files 建议：… from a partner with a number, tells the staff chat, and answers and closes it in the partner's chat", async () => {
    const [ack] = await hub.say("zhangwei", "建议：门锁的安装视频能不能加上字幕，店员在店里不方便开声音", "hz-group");
    expect(ack).toBe("谢谢您的建议！已记录为建议 #1，负责您的同事周敏会认真看并回复您。想了解进展，可以发送 /proposal 查看。");
    await hub.app.worker.drain();
    expect(inChat("staff-room")).toEqual([
      "【客户建议 #1】杭州云帆智能科技有限公司（HZ001） zhangwei（console:zhangwei）：门锁的安装视频能不能加上字幕，店员在店里不方便开声音\n负责人：周敏\n回复客户：/proposal reply 1 回复内容；处理完：/proposal done 1",
    ]);
    expect(await hub.say("zhangwei", "/proposal", "hz-group")).toEqual(["贵公司提过的建议（最近 1 条）：\n· 建议 #1「门锁的安装视频能不能加上字幕，店员在店里…」：待处理"]);
    expect((await hub.say("zhou", "/proposal list"))[0]).toBe("待处理的客户建议 1 条：\n· #1 杭州云帆智能科技有限公司：门锁的安装视频能不能加上字幕，店员在店里不方便开声音（待处理，负责人 周敏）");
    expect((await hub.say("zhou", "/proposal reply 1 谢谢，下个月起安装视频都会加字幕"))[0]).toContain("已回复建议 #1");
    expect(inChat("hz-group").at(-1)).toBe("关于您的建议 #1「门锁的安装视频能不能加上字幕，店员在店里不方便开声音」：\n谢谢，下个月起安装视频都会加字幕");
    expect((await hub.say("zhou", "/proposal done 1"))[0]).toBe("建议 #1 已标记为已处理。");
    expect(await hub.say("zhangwei", "/建议 查看", "hz-group")).toEqual(["贵公司提过的建议（最近 1 条）：\n· 建议 #1「门锁的安装视频能不能加上字幕，店员在店里…」：已处理，回复：谢谢，下个月起安装视频都会加字幕"]);
    expect((await hub.say("zhou", "/proposal list"))[0]).toBe("没有待处理的客户建议。");
    await hub.app.log.flush();
    // The partner's history has the proposal and the answer.
    const partner = await hub.db.partner.findUniqueOrThrow({ where: { code: "HZ001" } });
    const texts = (await hub.db.interaction.findMany({ where: { partnerId: partner.id }, orderBy: { id: "asc" } })).map((r) => r.text);
    expect(texts).toContain("建议：门锁的安装视频能不能加上字幕，店员在店里不方便开声音");
    expect(texts.some((t) => t.startsWith("关于您的建议 #1"))).toBe(true);
  });

  it("tells the owner privately when the partner has one among staff", async () => {
    await hub.addStaff("李娜", "lina", "AGENT");
    await hub.db.partner.update({ where: { code: "SH002" }, data: { ownerName: "李娜" } });
    expect((await hub.say("wang", "/proposal 希望增加一款适合出租屋的门锁", "sh-group"))[0]).toContain("负责您的同事李娜会认真看并回复您");
    await hub.app.worker.drain();
    expect(inChat("dm:lina")[0]).toContain("【客户建议 #1】上海申达电器贸易有限公司（SH002）");
  });

  it("files one proposal per message, also when the message is handled again", async () => {
    const event = { ...consoleEvent("p-1", "建议：发票能不能按月合并开", "zhangwei", hub.clock.now()), chat: { id: "hz-group", kind: "group" as const } };
    await hub.app.hub.handle(event);
    await hub.app.hub.handle(event);
    expect(await hub.db.proposal.count()).toBe(1);
  });

  it("shows a partner only their own company's proposals, and staff's list never in a partner's group", async () => {
    await hub.say("zhangwei", "建议：发票能不能按月合并开", "hz-group");
    expect((await hub.say("wang", "/proposal", "sh-group"))[0]).toBe("您还没有提过建议。有想法可以直接发「建议：内容」给我。");
    expect((await hub.say("zhou", "/proposal list", "sh-group"))[0]).toBe("客户建议不能在客户群里查看，请私聊我，或在内部员工群里使用。");
    for (const verb of ["/proposal reply 1 好的", "/proposal ｌｉｓｔ", "/建議 回覆 1 哈哈"]) {
      expect(await hub.say("wang", verb, "sh-group"), verb).toEqual(["抱歉，回复和处理建议是员工的功能。您可以发送 /proposal 查看建议的进展。"]);
    }
    expect((await hub.db.proposal.findFirstOrThrow()).status).toBe("OPEN");
    // Not every mention of 建议 is a proposal.
    await hub.say("wang", "你们有什么建议吗", "sh-group");
    expect(await hub.db.proposal.count()).toBe(1);
  });
});
