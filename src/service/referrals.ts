// 转介绍 (seed 000 第18条): a partner refers another company. It becomes a 潜在 (POTENTIAL) partner in the
// client files, linked to the referrer and followed up by the referrer's owner, who hears of it with the
// staff chats; the referrer's card lists its referrals and how far each has come.
import type { Db } from "../db/client.ts";
import { normalizeText } from "../text/normalize.ts";
import type { Outreach } from "../outreach/service.ts";
import { partnerSearchKey } from "../partners/search-key.ts";
import { UserError } from "../lib/errors.ts";

export interface ReferralInput {
  referrerId: number;
  company: string;
  contact: string;
  phone: string;
  city: string | null;
  at: Date;
}

/** As kb and client imports accept a phone: digits, +, brackets, spaces or dashes, an extension after 转. */
const PHONE = /^\+?[\d()]{5,20}(转\d+)?$/;
/** Referred partners' codes: REF001, REF002, … (an imported file may use any other). */
const CODE_PREFIX = "REF";
const CODE_ATTEMPTS = 5;

export function checkReferral(company: string, contact: string, phone: string) {
  if ([...company.trim()].length < 2) throw new UserError("请写上被推荐公司的名称，例如：/referral 宁波安家电器有限公司 王磊 13900001111", "referral_company");
  if (!contact.trim()) throw new UserError("请写上对方联系人的姓名和电话。", "referral_contact");
  if (!PHONE.test(normalizeText(phone).replace(/[\s-]/g, ""))) throw new UserError(`电话「${phone}」看起来不对，请写手机号或座机号。`, "referral_phone");
}

/** What came of a referral, for the referrer and for staff filing it for them. */
export interface Referred {
  /** Told to the partner who referred. */
  toReferrer: string;
  /** Told to staff who filed it for the partner. */
  toStaff: string;
}

/** The new potential partner (or the one already in the files by that name), and what each side is told. */
export async function fileReferral(db: Db, outreach: Pick<Outreach, "notifyStaff" | "notifyPerson">, r: ReferralInput): Promise<Referred> {
  checkReferral(r.company, r.contact, r.phone);
  const referrer = await db.partner.findUniqueOrThrow({ where: { id: r.referrerId }, select: { id: true, name: true, code: true, ownerName: true } });
  const name = r.company.trim();
  const known = await db.partner.findFirst({ where: { name }, select: { code: true, referredById: true } });
  if (known) {
    // Whether another company is a client is not the referrer's to learn: only their own referral is confirmed.
    const toReferrer = known.referredById === referrer.id ? `${name} 已登记为贵公司推荐的客户（${known.code}），我们正在跟进，谢谢！` : "谢谢您的推荐！我们会核实后联系对方。";
    return { toReferrer, toStaff: `${name} 已在客户档案里（${known.code}），没有重复登记。` };
  }
  const owner = referrer.ownerName && (await db.staff.findUnique({ where: { name: referrer.ownerName } })) ? referrer.ownerName : null;
  const city = r.city?.trim() || "待补充";
  const created = await createWithCode(db, async (code) =>
    db.partner.create({
      data: {
        code, name, city, tier: "POTENTIAL", ownerName: owner, referredById: referrer.id, notes: `由 ${referrer.name}（${referrer.code}）转介绍`, createdAt: r.at,
        searchKey: partnerSearchKey({ code, name, city }), contacts: { create: { name: r.contact.trim(), phone: normalizeText(r.phone).replace(/\s+/g, "") } },
      },
    }),
  );
  const post = `【转介绍】${referrer.name}（${referrer.code}）推荐了 ${name}（${created.code}，${city}），联系人 ${r.contact.trim()}。负责人：${owner ?? "未指定，请经理指派"}。客户档案：/client ${created.code}`;
  await outreach.notifyStaff(`referral:${created.id}`, post, "referral");
  if (owner) await outreach.notifyPerson(owner, `referral:${created.id}`, post);
  return {
    toReferrer: `谢谢您的推荐！已登记 ${name}（编号 ${created.code}），${owner ? `负责您的同事${owner}` : "我们的同事"}会尽快联系对方，有进展会告诉您。`,
    toStaff: `已登记 ${name}（${created.code}，潜在客户），推荐人 ${referrer.name}，负责人 ${owner ?? "未指定"}。`,
  };
}

/** The next free REFnnn code; a code taken meanwhile by another instance is tried again. */
async function createWithCode<T>(db: Db, create: (code: string) => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    const taken = await db.partner.findMany({ where: { code: { startsWith: CODE_PREFIX } }, select: { code: true } });
    const next = Math.max(0, ...taken.map((p) => Number(p.code.slice(CODE_PREFIX.length)) || 0)) + 1;
    try {
      return await create(`${CODE_PREFIX}${String(next).padStart(3, "0")}`);
    } catch (err) {
      if (attempt + 1 >= CODE_ATTEMPTS || (err as { code?: string }).code !== "P2002") throw err;
    }
  }
}
