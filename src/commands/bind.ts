// /bind <客户编号>: this group is that partner's; its messages go to the partner's history.
// /bind 内部: a staff group, where client files (phones, credit limits, addresses of every partner) are
// shown. So only managers and admins make one, after confirming, and never of a group a partner can read.
import { normalizeText } from "../text/normalize.ts";
import { askConfirmation, confirmHint, type ConfirmAction } from "./confirmation.ts";
import { partnerArg } from "./partner-arg.ts";
import { text, UsageError, type Command, type CommandContext } from "./types.ts";

/** "/bind 内部": this is a staff group, not a partner's. */
const INTERNAL_WORDS = ["内部", "員工", "员工", "STAFF", "INTERNAL"];

export const bindCommand: Command = {
  name: "bind",
  aliases: ["绑定"],
  usage: "/bind <客户编号或名称>  或  /bind 内部",
  summary: "把当前群绑定到客户，或设为内部员工群",
  staffOnly: true,
  async run(ctx) {
    const code = normalizeText(ctx.args).toUpperCase();
    if (!code) throw new UsageError("请输入客户编号，例如 /bind HZ001");
    if (ctx.chat.kind !== "group") return [text("/bind 只能在群里使用：把我拉进客户的群，再在群里发送 /bind 客户编号。")];
    if (INTERNAL_WORDS.includes(code)) {
      const refused = await internalRefusal(ctx);
      if (refused) return [text(refused)];
      if (ctx.chat.internal) return [text("本群已经是内部员工群。")];
      await askConfirmation(ctx, bindInternalAction, { chatId: ctx.chat.id });
      return [text(`确认把本群设为内部员工群？设为内部群后，群里可以查询所有客户的档案（电话、邮箱、信用额度、地址），所以群里只能有员工。\n${confirmHint("设为内部员工群", "放弃")}`)];
    }
    // In a group (where a partner's people may read) a search never lists partners: one found by its own
    // code or name binds, anything else asks for the code.
    const found = await partnerArg(ctx, ctx.args.trim(), (picked) => `/bind ${picked}`, { listHere: ctx.chat.internal });
    if (found.answer) return found.answer;
    const { partner } = found;
    const chat = await ctx.db.chat.findUniqueOrThrow({ where: { id: ctx.chat.id }, include: { partner: true } });
    if (chat.partnerId === partner.id) return [text(`本群已经绑定到 ${partner.name}（${partner.code}），无需重复绑定。`)];
    await ctx.db.chat.update({ where: { id: chat.id }, data: { partnerId: partner.id, internal: false } });
    ctx.identities.invalidate();
    const was = chat.partner ? `，原来绑定的是 ${chat.partner.name}（${chat.partner.code}）` : "";
    return [text(`已将本群绑定到 ${partner.name}（${partner.code}）${was}。此后本群的消息都会记入该客户的互动记录。`)];
  },
};

const STAFF_ONLY_GROUP = "请另建一个只有员工的群，再在那里发送 /bind 内部。";

/** Why this chat may not become internal (in Chinese), or null. Checked again when it is confirmed. */
async function internalRefusal(ctx: CommandContext): Promise<string | null> {
  if (ctx.actor.kind !== "staff" || !["MANAGER", "ADMIN"].includes(ctx.actor.role)) {
    return "设为内部员工群需要经理或管理员操作：内部群里能看到所有客户的档案。请经理在群里发送 /bind 内部。";
  }
  const chat = await ctx.db.chat.findUniqueOrThrow({ where: { id: ctx.chat.id }, include: { partner: { select: { name: true, code: true } } } });
  if (chat.partner) {
    return `本群已绑定到客户 ${chat.partner.name}（${chat.partner.code}），客户能看到群里的消息，不能设为内部员工群。${STAFF_ONLY_GROUP}`;
  }
  // A partner's contact who has written here is a member who would read every client file posted.
  const contacts = await ctx.db.interaction.findMany({ where: { chatId: chat.id, contactId: { not: null } }, select: { contactId: true }, distinct: ["contactId"] });
  if (contacts.length) {
    return `本群有 ${contacts.length} 位客户联系人发过言，不能设为内部员工群：客户档案会被他们看到。${STAFF_ONLY_GROUP}`;
  }
  // One who joined and never spoke is a member too: the joins the hub saw name them.
  const silent = await joinedContacts(ctx, chat.id);
  if (silent) {
    return `本群有 ${silent} 位客户联系人入群（未发言），不能设为内部员工群：客户档案会被他们看到。${STAFF_ONLY_GROUP}`;
  }
  return null;
}

/** How many of the people the hub saw join this chat are a partner's contacts. */
async function joinedContacts(ctx: CommandContext, chatId: number): Promise<number> {
  const joins = await ctx.db.interaction.findMany({ where: { chatId, kind: "member_joined", event: { not: null } }, select: { event: true } });
  const ids = new Set<string>();
  for (const j of joins) {
    try {
      for (const m of (JSON.parse(j.event!) as { members?: { id?: string }[] }).members ?? []) if (m.id) ids.add(m.id);
    } catch {
      // not an event the hub can read: nothing to count
    }
  }
  if (!ids.size) return 0;
  return ctx.db.identity.count({ where: { platform: ctx.platform, externalId: { in: [...ids] }, contactId: { not: null } } });
}

/** 确认 after /bind 内部, in the same group. */
export const bindInternalAction: ConfirmAction<{ chatId: number }> = {
  action: "bind_internal",
  describe: () => "把本群设为内部员工群",
  cancelled: () => "好的，本群没有设为内部员工群。",
  async confirm(ctx) {
    // The group may have been bound, or a partner's contact may have spoken, since it was asked.
    const refused = await internalRefusal(ctx);
    if (refused) return { reply: refused };
    await ctx.db.chat.update({ where: { id: ctx.chat.id }, data: { internal: true, partnerId: null } });
    ctx.identities.invalidate();
    return { reply: "已将本群设为内部员工群：可以在这里查询客户档案，本群的消息不会记入任何客户的互动记录。" };
  },
};
