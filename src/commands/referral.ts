// /referral: a partner refers another company (转介绍): `/referral <公司> <联系人> <电话> [城市]` files it as a
// 潜在 partner linked to them. Staff file one for a partner (`/referral add <推荐人客户编号> <公司> <联系人> <电话>
// [城市]`) and list them (`/referral list [客户编号]`).
import { fileReferral } from "../service/referrals.ts";
import { TIERS, type Tier } from "../partners/fields.ts";
import { ownPartnerIds } from "./file-access.ts";
import { text, UsageError, type Command, type CommandContext } from "./types.ts";

const USAGE_HINT = "请按「公司 联系人 电话 [城市]」写，例如：/referral 宁波安家电器有限公司 王磊 13900001111 宁波";

export const referralCommand: Command = {
  name: "referral",
  aliases: ["推荐", "转介绍"],
  usage: "/referral <公司> <联系人> <电话> [城市]  ·  员工：/referral add <推荐人客户编号> <公司> <联系人> <电话> [城市] · /referral list [客户编号]",
  summary: "推荐新的渠道客户（转介绍）；员工代客户登记、查看推荐",
  staffOnly: false,
  async run(ctx) {
    const words = ctx.args.split(/\s+/).filter(Boolean);
    if (ctx.actor.kind === "staff") return staffRun(ctx, words);
    const referrerId = ctx.chat.partnerId ?? (ctx.actor.kind === "contact" ? ctx.actor.partnerId : null);
    if (referrerId === null) return [text("您的账号还没有登记为客户的联系人，暂时不能登记推荐。请联系负责您的客户经理。")];
    const [company, contact, ...rest] = words;
    if (!company || !contact || !rest.length) throw new UsageError(USAGE_HINT);
    const { phone, city } = phoneAndCity(rest);
    return [text((await fileReferral(ctx.db, ctx.outreach, { referrerId, company, contact, phone, city, at: ctx.clock.now() })).toReferrer)];
  },
};

/** "139 0000 1111 宁波": a phone typed with spaces is the digit groups before the city. */
function phoneAndCity(words: string[]): { phone: string; city: string | null } {
  const digits = (w: string) => /^[+\d()０-９＋（）-]+(转\d+)?$/.test(w);
  let n = 0;
  while (n < words.length && digits(words[n])) n++;
  if (n === 0) n = 1; // not digits: checkReferral says what is wrong with it
  return { phone: words.slice(0, n).join(" "), city: words.slice(n).join(" ") || null };
}

async function staffRun(ctx: CommandContext, [verb = "", ...rest]: string[]) {
  switch (verb.toLowerCase()) {
    case "add":
    case "登记": {
      const [code, company, contact, ...tail] = rest;
      const { phone, city } = phoneAndCity(tail);
      if (!code || !company || !contact || !phone) throw new UsageError("请写推荐人客户编号和被推荐公司，例如 /referral add HZ001 宁波安家电器有限公司 王磊 13900001111 宁波");
      const referrer = await ctx.db.partner.findUnique({ where: { code: code.toUpperCase() }, select: { id: true } });
      if (!referrer) return [text(`没有编号为 ${code} 的客户，可以用 /client 查找。`)];
      return [text((await fileReferral(ctx.db, ctx.outreach, { referrerId: referrer.id, company, contact, phone, city: city ?? null, at: ctx.clock.now() })).toStaff)];
    }
    case "list":
    case "列表": {
      // Other partners' names and contacts: not where a partner reads along.
      if (ctx.chat.kind === "group" && !ctx.chat.internal && !ctx.native) return [text("推荐记录不能在客户群里查看，请私聊我，或在内部员工群里使用。")];
      const code = rest[0]?.toUpperCase();
      const referrer = code ? await ctx.db.partner.findUnique({ where: { code }, select: { id: true } }) : null;
      if (code && !referrer) return [text(`没有编号为 ${code} 的客户。`)];
      const ids = await ownPartnerIds(ctx);
      // An agent: referrals they follow up, or made by partners they own.
      const mine = ids === null || ctx.actor.kind !== "staff" ? {} : { OR: [{ ownerName: ctx.actor.name }, { referredById: { in: ids } }] };
      const rows = await ctx.db.partner.findMany({ where: { ...(referrer ? { referredById: referrer.id } : { referredById: { not: null } }), ...mine }, orderBy: { id: "desc" }, take: 50 });
      if (!rows.length) return [text("还没有转介绍的客户。")];
      const by = new Map((await ctx.db.partner.findMany({ where: { id: { in: rows.map((r) => r.referredById!) } }, select: { id: true, name: true } })).map((p) => [p.id, p.name]));
      return [text(`转介绍的客户 ${rows.length} 个（新的在前）：\n${rows.map((r) => `· ${r.code} ${r.name}（${TIERS[r.tier as Tier] ?? r.tier}，负责人 ${r.ownerName ?? "未指定"}）← ${by.get(r.referredById!)}`).join("\n")}`)];
    }
    default:
      throw new UsageError("员工用法：/referral add <推荐人客户编号> <公司> <联系人> <电话> [城市]、/referral list [客户编号]");
  }
}
