// People joined a partner's group: welcomed with HUB_WELCOME_MESSAGE, naming them and the partner.
import type { Handler } from "./types.ts";

export const answerJoin: Handler<"join"> = async ({ facts }, { db, welcome }) => {
  const { event, chat } = facts;
  if (event.type !== "member_joined" || !welcome || chat.partnerId === null) return null;
  const partner = await db.partner.findUnique({ where: { id: chat.partnerId }, select: { name: true } });
  const names = event.members.map((m) => m.name ?? "新朋友").join("、");
  return [{ type: "text", text: welcome.replaceAll("{成员}", names).replaceAll("{客户}", partner?.name ?? "") }];
};
