// The client card (客户资料卡) staff see for /client: the file, its people, and how the
// relationship is going (last contact against the agreed contact frequency, and src/partners/standing.ts).
import type { OutboundMessage } from "../../adapters/contract.ts";
import type { Db } from "../db/client.ts";
import { decodeAnnualDate, formatAnnualDate } from "./annual-date.ts";
import { RELATIONSHIPS, TIERS, type Relationship, type Tier } from "./fields.ts";
import type { FoundPartner } from "./search.ts";
import { cardFacts } from "./card-facts.ts";
import { standingFields } from "./standing.ts";
import { formatDateTime, wholeDaysBetween } from "../lib/time-format.ts";

export async function clientCard(db: Db, partnerId: number, now: Date, timeZone: string): Promise<OutboundMessage> {
  const facts = await cardFacts(db, partnerId);
  // Removed between being found and being read (forget partner, elsewhere).
  if (!facts) return { type: "text", text: "没有找到这个客户（可能刚被删除）。请重新查找。" };
  const p = facts.partner;
  const fields: { label: string; value: string }[] = [
    { label: "城市", value: [p.city, p.region].filter(Boolean).join(" · ") },
    { label: "等级", value: `${TIERS[p.tier as Tier] ?? p.tier}${p.isKeyAccount ? "（重点客户）" : ""}` },
  ];
  if (p.relationship) fields.push({ label: "关系层级", value: RELATIONSHIPS[p.relationship as Relationship] ?? p.relationship });
  // Named in the file but not registered as staff: nobody is told of this partner's hand-offs by that name.
  if (p.ownerName) fields.push({ label: "负责人", value: p.ownerRegistered ? p.ownerName : `${p.ownerName}（未登记为员工）` });
  if (p.industry || p.size) fields.push({ label: "行业/规模", value: [p.industry, p.size].filter(Boolean).join(" · ") });
  if (p.creditLimit !== null) fields.push({ label: "信用额度", value: `${p.creditLimit.toLocaleString("zh-CN")} 元` });
  if (p.partnerSince) {
    const years = Math.floor(wholeDaysBetween(p.partnerSince, now, timeZone) / 365.2425);
    // A date without a time, stored as UTC midnight: shown as written, whatever the zone.
    fields.push({ label: "合作开始", value: `${p.partnerSince.toISOString().slice(0, 10)}${years >= 1 ? `（${years} 年）` : ""}` });
  }
  fields.push({ label: "最近联系", value: lastContactText(facts.lastContact ?? undefined, p.contactEveryDays, now, timeZone) });
  if (p.openQuestions) fields.push({ label: "待回答问题", value: `${p.openQuestions} 个（/questions 查看）` });
  fields.push(...standingFields(facts, timeZone, now));
  for (const c of facts.contacts) {
    const bits = [c.title, c.phone, c.email].filter(Boolean);
    if (c.birthday) bits.push(`生日 ${formatAnnualDate(decodeAnnualDate(c.birthday))}`);
    fields.push({ label: "联系人", value: `${c.name}${bits.length ? `（${bits.join("，")}）` : ""}` });
  }
  if (p.address) fields.push({ label: "地址", value: p.address });
  if (p.notes) fields.push({ label: "备注", value: p.notes });
  return { type: "card", title: `${p.name}（${p.code}）`, fields };
}

function lastContactText(at: Date | undefined, everyDays: number | null, now: Date, timeZone: string): string {
  const plan = everyDays ? `，约定每 ${everyDays} 天联系一次` : "";
  if (!at) return `暂无记录${plan}`;
  const days = wholeDaysBetween(at, now, timeZone);
  const when = `${formatDateTime(at, timeZone)}（${days === 0 ? "今天" : `${days} 天前`}）`;
  if (everyDays && days > everyDays) return `${when}${plan}，已超期 ${days - everyDays} 天`;
  return when + plan;
}

export function pickList(partners: FoundPartner[], more: boolean, shown = 10): string {
  const lines = partners
    .slice(0, shown)
    .map((p, i) => `${i + 1}. ${p.code}  ${p.name} · ${p.city} · ${TIERS[p.tier as Tier] ?? p.tier}${p.why ? ` · ${p.why}` : ""}`);
  const count = more ? `${partners.length} 个以上` : `${partners.length} 个`;
  const rest = partners.length > shown || more ? "\n……还有更多，请输入更具体的关键词（如客户编号或全称）" : "";
  return `找到 ${count}客户，回复序号即可选择（10 分钟内有效），或用客户编号：\n${lines.join("\n")}${rest}`;
}
