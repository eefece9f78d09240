// Who a notice or poll goes to: partners chosen by tier, relationship level, city or region, tags and
// key-account flag, reached in their bound groups. Staff write the filter in Chinese:
//   等级=战略,重点 关系=合作伙伴 城市=杭州,宁波 区域=华东 标签=新品 重点客户      (or 全部)
//   客户=HZ001,上海申达,王总      chosen partners, found as /client finds them (src/commands/partner-filter.ts)
import type { Platform } from "../../adapters/contract.ts";
import type { Db } from "../db/client.ts";
import { UserError } from "../lib/errors.ts";
import { codeOf, RELATIONSHIPS, TIERS, type Relationship, type Tier } from "../partners/fields.ts";
import { normalizeText } from "../text/normalize.ts";

export interface Audience {
  tiers?: Tier[];
  relationships?: Relationship[];
  /** Matches a partner's city or region. */
  places?: string[];
  tags?: string[];
  keyAccount?: boolean;
  /** Exactly these partners (a training's attendees, or 客户=…), and how they are named back. */
  partnerIds?: number[];
  partnerNames?: string[];
  /** 客户=… as typed: each is found as /client finds it before the audience is used. */
  partnerKeywords?: string[];
}

const KEYS: Record<string, keyof Audience> = {
  等级: "tiers", 客户等级: "tiers", tier: "tiers",
  关系: "relationships", 关系层级: "relationships", relationship: "relationships",
  城市: "places", 区域: "places", 地区: "places", 大区: "places", city: "places", region: "places",
  标签: "tags", tag: "tags", tags: "tags",
  客户: "partnerKeywords", 客户编号: "partnerKeywords", client: "partnerKeywords",
};

const list = (v: string) => v.split(/[,，、]/).map((s) => s.trim()).filter(Boolean);

/** Reads the filter; an unknown key or value is a Chinese error naming it. */
export function parseAudience(textIn: string): Audience {
  const a: Audience = {};
  for (const token of normalizeText(textIn).split(/\s+/).filter(Boolean)) {
    if (/^(全部|所有客户|所有|all)$/i.test(token)) continue;
    if (/^(重点客户|重点账户|key)$/i.test(token)) {
      a.keyAccount = true;
      continue;
    }
    const m = /^([^=:：]+)[=:：](.+)$/.exec(token);
    const field = m && KEYS[m[1].toLowerCase()];
    if (!m || !field) throw new UserError(`无法识别筛选条件「${token}」。可以用：等级=战略,重点 关系=合作伙伴 城市=杭州 区域=华东 标签=新品 客户=HZ001,上海申达 重点客户，或 全部。`);
    const values = list(m[2]);
    if (field === "tiers") {
      a.tiers = values.map((v) => codeOf(TIERS, v) ?? bad("客户等级", v, Object.values(TIERS)));
    } else if (field === "relationships") {
      a.relationships = values.map((v) => codeOf(RELATIONSHIPS, v) ?? bad("关系层级", v, Object.values(RELATIONSHIPS)));
    } else if (field === "places") a.places = [...(a.places ?? []), ...values];
    else if (field === "tags") a.tags = values;
    else if (field === "partnerKeywords") a.partnerKeywords = [...(a.partnerKeywords ?? []), ...values];
  }
  return a;
}

function bad(what: string, value: string, known: string[]): never {
  throw new UserError(`没有「${value}」这个${what}，可选：${known.join("、")}。`);
}

/** The filter as people read it back. */
export function describeAudience(a: Audience): string {
  const parts: string[] = [];
  if (a.partnerNames?.length) parts.push(`客户 ${a.partnerNames.join("、")}`);
  else if (a.partnerIds) parts.push(`指定的 ${a.partnerIds.length} 家客户`);
  if (a.tiers?.length) parts.push(`等级 ${a.tiers.map((t) => TIERS[t]).join("/")}`);
  if (a.relationships?.length) parts.push(`关系 ${a.relationships.map((r) => RELATIONSHIPS[r]).join("/")}`);
  if (a.places?.length) parts.push(`地区 ${a.places.join("/")}`);
  if (a.tags?.length) parts.push(`标签 ${a.tags.join("/")}`);
  if (a.keyAccount) parts.push("重点客户");
  return parts.length ? parts.join("，") : "全部客户";
}

export interface AudienceChat {
  partnerId: number;
  chatId: number;
  platform: Platform;
  externalChatId: string;
  timeZone: string | null;
}

export interface ResolvedAudience {
  partners: number;
  /** Partners with no bound group: the notice cannot reach them. */
  unreachable: number;
  chats: AudienceChat[];
}

/** The partners the filter selects and the bound groups they are reached in. */
export async function resolveAudience(db: Db, a: Audience): Promise<ResolvedAudience> {
  if (a.partnerKeywords?.length) throw new Error("客户= keywords must be resolved to partners first (src/commands/partner-filter.ts)");
  const partners = await db.partner.findMany({
    where: {
      status: "ACTIVE",
      ...(a.partnerIds ? { id: { in: a.partnerIds } } : {}),
      ...(a.tiers?.length ? { tier: { in: a.tiers } } : {}),
      ...(a.relationships?.length ? { relationship: { in: a.relationships } } : {}),
      ...(a.keyAccount ? { isKeyAccount: true } : {}),
      ...(a.places?.length ? { OR: a.places.flatMap((p) => [{ city: { contains: p } }, { region: { contains: p } }]) } : {}),
    },
    select: { id: true, tags: true, timeZone: true, chats: { where: { kind: "group", internal: false }, select: { id: true, platform: true, externalChatId: true } } },
  });
  const wanted = a.tags?.map((t) => normalizeText(t));
  const chosen = wanted?.length ? partners.filter((p) => list(normalizeText(p.tags ?? "")).some((t) => wanted.includes(t))) : partners;
  const chats = chosen.flatMap((p) => p.chats.map((c) => ({ partnerId: p.id, chatId: c.id, platform: c.platform as Platform, externalChatId: c.externalChatId, timeZone: p.timeZone })));
  return { partners: chosen.length, unreachable: chosen.filter((p) => !p.chats.length).length, chats };
}
