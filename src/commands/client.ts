// /client <关键词>: a client file by code, name fragment, pinyin or initials, or city.
import { clientCard, pickList } from "../partners/card.ts";
import { findPartners } from "../partners/search.ts";
import { fileRefusal } from "./file-access.ts";
import { text, UsageError, type Command } from "./types.ts";

export const clientCommand: Command = {
  name: "client",
  aliases: ["客户", "kh"],
  usage: "/client <客户编号、名称、拼音首字母或城市>",
  summary: "查看客户档案",
  staffOnly: true,
  confidential: true,
  async run(ctx) {
    if (!ctx.args) throw new UsageError("请输入要查找的客户，例如 /client 杭州云帆 或 /client hzyf");
    const match = await findPartners(ctx.partners, ctx.args);
    if (match.kind === "none") return [text(`没有找到与「${ctx.args}」匹配的客户。可以试试客户编号、名称中的几个字、拼音首字母或城市。`)];
    if (match.kind === "many") return [text(pickList(match.partners, match.more))];
    const refused = await fileRefusal(ctx, match.partner);
    if (refused) return [text(refused)];
    return [await clientCard(ctx.db, match.partner.id, ctx.clock.now(), ctx.timeZone)];
  },
};
