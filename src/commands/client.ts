// /client <关键词>: a client file by code, name fragment, pinyin or initials, or city.
import { clientCard } from "../partners/card.ts";
import { partnerArg } from "./partner-arg.ts";
import { fileRefusal } from "./file-access.ts";
import { text, UsageError, type Command } from "./types.ts";

export const clientCommand: Command = {
  name: "client",
  aliases: ["客户", "kh"],
  usage: "/client <客户编号、名称、拼音、城市，或联系人姓名、王总、电话（尾号）、邮箱>",
  summary: "查看客户档案",
  staffOnly: true,
  confidential: true,
  async run(ctx) {
    if (!ctx.args) throw new UsageError("请输入要查找的客户，例如 /client 杭州云帆 或 /client hzyf");
    const { partner, answer } = await partnerArg(ctx, ctx.args, (code) => `/client ${code}`);
    if (answer) return answer;
    const refused = await fileRefusal(ctx, partner);
    if (refused) return [text(refused)];
    return [await clientCard(ctx.db, partner.id, ctx.clock.now(), ctx.timeZone)];
  },
};
