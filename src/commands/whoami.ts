// /whoami: how the hub sees you, and this chat.
import { STAFF_ROLES, type StaffRole } from "../partners/fields.ts";
import { text, type Command } from "./types.ts";

export const whoamiCommand: Command = {
  name: "whoami",
  aliases: ["我是谁"],
  usage: "/whoami",
  summary: "查看我的身份",
  staffOnly: false,
  async run(ctx) {
    const { actor, chat, db } = ctx;
    const account = `${ctx.platform}:${(await db.identity.findUniqueOrThrow({ where: { id: actor.identityId } })).externalId}`;
    let who: string;
    if (actor.kind === "staff") who = `您是员工 ${actor.name}（${STAFF_ROLES[actor.role as StaffRole] ?? actor.role}），账号 ${account}。`;
    else if (actor.kind === "contact") {
      const partner = await db.partner.findUniqueOrThrow({ where: { id: actor.partnerId }, select: { name: true } });
      who = actor.unidentified
        ? `您在 ${partner.name} 的服务群里，账号 ${account} 还没有登记为贵公司的联系人。如需登记，请联系负责您的客户经理。`
        : `您是 ${partner.name} 的联系人 ${actor.name}（账号 ${account}）。`;
    } else who = `您的账号 ${account} 还没有登记。如需开通，请联系负责您的客户经理。`;
    if (chat.kind === "group" && actor.kind === "staff") {
      const bound = chat.partnerId ? await db.partner.findUnique({ where: { id: chat.partnerId }, select: { name: true, code: true } }) : null;
      if (bound) who += `\n本群已绑定客户 ${bound.name}（${bound.code}）。`;
      else if (chat.internal) who += "\n本群是内部员工群。";
      else who += "\n本群还没有绑定客户，可用 /bind 客户编号 绑定。";
      // The form HUB_STAFF_CHAT takes. Staff need it to find a group's id (a WeChat room's changes at
      // every wechat4u login); a partner's group is never offered as the staff chat, which shows
      // other partners' questions.
      const id = `${chat.platform}:${chat.externalId}`;
      who += bound ? `\n本群：${id}` : `\n本群：${id}（HUB_STAFF_CHAT 用这个）`;
    }
    return [text(who)];
  },
};
