// /bind <客户编号>: this group is that partner's; its messages go to the partner's history.
import { normalizeText } from "../text/normalize.ts";
import { text, UsageError, type Command } from "./types.ts";

/** "/bind 内部": this is a staff group, not a partner's. */
const INTERNAL_WORDS = ["内部", "員工", "员工", "STAFF", "INTERNAL"];

export const bindCommand: Command = {
  name: "bind",
  aliases: ["绑定"],
  usage: "/bind <客户编号>  或  /bind 内部",
  summary: "把当前群绑定到客户，或设为内部员工群",
  staffOnly: true,
  async run(ctx) {
    const code = normalizeText(ctx.args).toUpperCase();
    if (!code) throw new UsageError("请输入客户编号，例如 /bind HZ001");
    if (ctx.chat.kind !== "group") return [text("/bind 只能在群里使用：把我拉进客户的群，再在群里发送 /bind 客户编号。")];
    if (INTERNAL_WORDS.includes(code)) {
      await ctx.db.chat.update({ where: { id: ctx.chat.id }, data: { internal: true, partnerId: null } });
      ctx.identities.invalidate();
      return [text("已将本群设为内部员工群：可以在这里查询客户档案，本群的消息不会记入任何客户的互动记录。")];
    }
    const partner = await ctx.db.partner.findUnique({ where: { code }, select: { id: true, name: true, code: true } });
    if (!partner) return [text(`没有客户编号为 ${code} 的客户。可以先用 /client 查找编号。`)];
    const chat = await ctx.db.chat.findUniqueOrThrow({ where: { id: ctx.chat.id }, include: { partner: true } });
    if (chat.partnerId === partner.id) return [text(`本群已经绑定到 ${partner.name}（${partner.code}），无需重复绑定。`)];
    await ctx.db.chat.update({ where: { id: chat.id }, data: { partnerId: partner.id, internal: false } });
    ctx.identities.invalidate();
    const was = chat.partner ? `，原来绑定的是 ${chat.partner.name}（${chat.partner.code}）` : "";
    return [text(`已将本群绑定到 ${partner.name}（${partner.code}）${was}。此后本群的消息都会记入该客户的互动记录。`)];
  },
};
