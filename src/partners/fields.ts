// The client file's columns as companies keep them (seeds 000 第9条, 004 客户资料卡), and the
// Chinese names of the coded values. One place, so import, export and the client card agree.

export const TIERS = { STRATEGIC: "战略", KEY: "重点", GENERAL: "一般", POTENTIAL: "潜在" } as const;
export type Tier = keyof typeof TIERS;
export const TIER_ORDER: Tier[] = ["STRATEGIC", "KEY", "GENERAL", "POTENTIAL"];

export const RELATIONSHIPS = { TRANSACTIONAL: "买卖", PREFERRED: "供应", PARTNER: "合作伙伴", ALLIANCE: "战略联盟" } as const;
export type Relationship = keyof typeof RELATIONSHIPS;

export const STAFF_ROLES = { ADMIN: "管理员", MANAGER: "经理", AGENT: "客服" } as const;
export type StaffRole = keyof typeof STAFF_ROLES;

/** Chinese label -> code, accepting the code itself too (STRATEGIC, strategic). */
export function codeOf<T extends Record<string, string>>(labels: T, text: string): keyof T | undefined {
  const t = text.trim();
  for (const [code, label] of Object.entries(labels)) {
    if (label === t || code === t.toUpperCase()) return code as keyof T;
  }
  // "战略客户", "重点客户", "合作伙伴关系": the label with a common suffix.
  for (const [code, label] of Object.entries(labels)) {
    if (t === `${label}客户` || t === `${label}关系` || t === `${label}型`) return code as keyof T;
  }
  return undefined;
}

export type ColumnKey =
  | "code" | "name" | "city" | "region" | "address" | "industry" | "size" | "creditLimit" | "tier"
  | "relationship" | "isKeyAccount" | "contactEveryDays" | "ownerName" | "partnerSince" | "notes" | "tags" | "timeZone"
  | "contactName" | "contactTitle" | "phone" | "email" | "birthday" | "wedding";

export interface Column {
  key: ColumnKey;
  header: string;
  /** Other headers people use for the same column (compared after normalizing). */
  aliases?: string[];
  required?: boolean;
  /** Partner columns must agree across the rows of one 客户编号; contact columns are per row. */
  scope: "partner" | "contact";
}

export const COLUMNS: Column[] = [
  { key: "code", header: "客户编号", aliases: ["编号", "客户代码"], required: true, scope: "partner" },
  { key: "name", header: "客户名称", aliases: ["客户名", "公司名称", "单位名称"], required: true, scope: "partner" },
  { key: "city", header: "城市", aliases: ["所属城市", "所在城市"], required: true, scope: "partner" },
  { key: "region", header: "区域", aliases: ["大区", "地区"], scope: "partner" },
  { key: "address", header: "地址", aliases: ["联系地址", "公司地址"], scope: "partner" },
  { key: "industry", header: "行业", aliases: ["所属行业"], scope: "partner" },
  { key: "size", header: "规模", aliases: ["企业规模"], scope: "partner" },
  { key: "creditLimit", header: "信用额度", scope: "partner" },
  { key: "tier", header: "客户等级", aliases: ["等级", "客户级别"], required: true, scope: "partner" },
  { key: "relationship", header: "关系层级", aliases: ["关系级别", "合作关系"], scope: "partner" },
  { key: "isKeyAccount", header: "重点客户", aliases: ["是否重点客户"], scope: "partner" },
  { key: "contactEveryDays", header: "联系频率（天）", aliases: ["联系频率", "联系周期（天）"], scope: "partner" },
  { key: "ownerName", header: "负责人", aliases: ["客户经理", "业务负责人"], scope: "partner" },
  { key: "partnerSince", header: "合作开始日期", aliases: ["合作日期", "合作开始时间"], scope: "partner" },
  { key: "notes", header: "备注", scope: "partner" },
  { key: "tags", header: "标签", aliases: ["客户标签"], scope: "partner" },
  { key: "timeZone", header: "时区", scope: "partner" },
  { key: "contactName", header: "联系人", aliases: ["联系人姓名"], scope: "contact" },
  { key: "contactTitle", header: "职务", aliases: ["职位"], scope: "contact" },
  { key: "phone", header: "电话", aliases: ["手机", "联系电话", "手机号"], scope: "contact" },
  { key: "email", header: "邮箱", aliases: ["电子邮箱", "email", "e-mail"], scope: "contact" },
  { key: "birthday", header: "生日", aliases: ["出生日期"], scope: "contact" },
  { key: "wedding", header: "结婚纪念日", scope: "contact" },
];
