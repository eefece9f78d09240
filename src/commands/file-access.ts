// Who may open a client file (seed 003 客户保密): managers and admins every partner's, an agent only those
// they own (the partner's 负责人), and those whose complaint they were handed while it is not closed. A refusal is audited like any refused command.
import type { CommandContext } from "./types.ts";

/** Null when the caller may open this partner's file; else what they are told. */
export async function fileRefusal(ctx: CommandContext, partner: { id: number; code: string }): Promise<string | null> {
  if (ctx.actor.kind !== "staff") return "客户资料仅限员工查看。";
  if (ctx.actor.role === "MANAGER" || ctx.actor.role === "ADMIN") return null;
  const { ownerName } = await ctx.db.partner.findUniqueOrThrow({ where: { id: partner.id }, select: { ownerName: true } });
  if (ownerName === ctx.actor.name) return null;
  // A complaint handed to them needs the file (whom to call, what was said before).
  if (await ctx.db.complaint.count({ where: { partnerId: partner.id, ownerName: ctx.actor.name, status: { in: ["RECEIVED", "INVESTIGATING", "REOPENED", "RESOLVED"] } } })) return null;
  // The actor as the registry audits it: the account, platform:externalId.
  const account = (await ctx.db.identity.findUniqueOrThrow({ where: { id: ctx.actor.identityId }, select: { externalId: true } })).externalId;
  await ctx.db.auditLog.create({
    data: { actor: `${ctx.platform}:${account}`, staffId: ctx.actor.staffId, action: "file", detail: `${partner.code} (refused: not the owner)`, allowed: false, createdAt: ctx.clock.now() },
  });
  return `${partner.code} 由${ownerName ? `同事${ownerName}` : "其他同事"}负责，您没有查看这家客户资料的权限。如需查看，请联系经理。`;
}

/**
 * The partners whose data this staff member may list or act on: every partner's for managers and admins
 * (null), an agent's own (a Prisma filter on Partner). Lists of questions, proposals, follow-ups and
 * referrals go by it, as the client file does.
 */
export function ownPartners(ctx: CommandContext): { ownerName: string } | null {
  if (ctx.actor.kind !== "staff") return { ownerName: "\u0000" };
  return ctx.actor.role === "MANAGER" || ctx.actor.role === "ADMIN" ? null : { ownerName: ctx.actor.name };
}

/** The ids of the partners ownPartners allows, or null for all. */
export async function ownPartnerIds(ctx: CommandContext): Promise<number[] | null> {
  const scope = ownPartners(ctx);
  if (!scope) return null;
  return (await ctx.db.partner.findMany({ where: scope, select: { id: true } })).map((p) => p.id);
}

/** Refused, with what to say, when an agent acts on a partner that is not theirs. */
export async function notYours(ctx: CommandContext, partnerId: number | null): Promise<string | null> {
  const ids = await ownPartnerIds(ctx);
  if (ids === null || (partnerId !== null && ids.includes(partnerId))) return null;
  return "这家客户不由您负责，您没有权限查看或处理。如需处理，请联系经理。";
}
