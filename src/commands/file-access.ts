// Who may open a client file (seed 003 客户保密): managers and admins every partner's, an agent only those
// they own (the partner's 负责人). A refusal is audited like any refused command.
import type { CommandContext } from "./types.ts";

/** Null when the caller may open this partner's file; else what they are told. */
export async function fileRefusal(ctx: CommandContext, partner: { id: number; code: string }): Promise<string | null> {
  if (ctx.actor.kind !== "staff") return "客户资料仅限员工查看。";
  if (ctx.actor.role === "MANAGER" || ctx.actor.role === "ADMIN") return null;
  const { ownerName } = await ctx.db.partner.findUniqueOrThrow({ where: { id: partner.id }, select: { ownerName: true } });
  if (ownerName === ctx.actor.name) return null;
  await ctx.db.auditLog.create({
    data: { actor: `${ctx.platform}:${ctx.actor.name}`, staffId: ctx.actor.staffId, action: "file", detail: `${partner.code} (refused: not the owner)`, allowed: false, createdAt: ctx.clock.now() },
  });
  return `${partner.code} 由${ownerName ? `同事${ownerName}` : "其他同事"}负责，你没有查看这家客户资料的权限。如需查看，请联系经理。`;
}
