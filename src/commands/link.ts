// /link @someone <客户> [联系人姓名]: this chat account is that partner's contact. One person can
// have a Slack, a Lark and a WeChat account and still one file and one timeline: what they said
// before as an unregistered member moves to the contact.
import { partnerArg } from "./partner-arg.ts";
import { text, UsageError, type Command } from "./types.ts";

export const linkCommand: Command = {
  name: "link",
  aliases: ["关联", "登记"],
  usage: "/link @某人 <客户编号或全称> [联系人姓名]",
  summary: "把聊天账号登记为客户的联系人",
  staffOnly: true,
  async run(ctx) {
    const who = ctx.mentions[0];
    const words = ctx.args.split(/\s+/).filter((w) => w && !w.startsWith("@"));
    if (!who || words.length === 0) throw new UsageError("请 @ 要登记的人，并写上客户编号，例如 /link @张伟 HZ001");
    // Found as /client finds it, but never as a list: the person being linked is in this chat.
    const { partner, answer } = await partnerArg(ctx, words[0], (code) => `/link ${code}`, { listHere: false });
    if (answer) return answer;
    const contactName = words.slice(1).join(" ") || who.name || who.id;
    const account = `${ctx.platform}:${who.id}`;

    const result = await ctx.db.$transaction(async (tx) => {
      const identity = await tx.identity.upsert({
        where: { platform_externalId: { platform: ctx.platform, externalId: who.id } },
        create: { platform: ctx.platform, externalId: who.id, displayName: who.name ?? null },
        update: {},
        include: { staff: true, contact: true },
      });
      if (identity.staff) return { refused: `${account} 是员工 ${identity.staff.name} 的账号，不能登记为客户联系人。` };
      const contact = await tx.contact.upsert({
        where: { partnerId_name: { partnerId: partner.id, name: contactName } },
        create: { partnerId: partner.id, name: contactName },
        update: { unidentified: false },
      });
      const previous = identity.contact;
      await tx.identity.update({ where: { id: identity.id }, data: { contactId: contact.id } });
      let moved = 0;
      if (previous && previous.id !== contact.id && previous.unidentified) {
        // The stand-in contact made for this unknown sender: its history becomes the real contact's.
        moved = (await tx.interaction.updateMany({ where: { contactId: previous.id }, data: { contactId: contact.id, partnerId: partner.id } })).count;
        const stillUsed = await tx.identity.count({ where: { contactId: previous.id } });
        if (!stillUsed) await tx.contact.delete({ where: { id: previous.id } });
      }
      return { contact, moved };
    });
    if ("refused" in result) return [text(result.refused!)];
    ctx.identities.invalidate();
    const moved = result.moved ? `，之前的 ${result.moved} 条消息已并入其互动记录` : "";
    return [text(`已将 ${account} 登记为 ${partner.name}（${partner.code}）的联系人 ${result.contact.name}${moved}。`)];
  },
};
