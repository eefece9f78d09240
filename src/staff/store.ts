// Staff and their platform accounts: `partner-hub staff add 周敏 --role manager --as console:zhou`.
import { PLATFORMS, type Platform } from "../../adapters/contract.ts";
import type { Db } from "../db/client.ts";
import { UserError } from "../lib/errors.ts";
import { STAFF_ROLES, type StaffRole } from "../partners/fields.ts";

/** "lark:ou_123" -> { platform: "lark", externalId: "ou_123" } */
export function parseAccount(account: string): { platform: Platform; externalId: string } {
  const m = /^([a-z]+):(.+)$/.exec(account.trim());
  if (!m || !PLATFORMS.includes(m[1] as Platform)) {
    throw new UserError(`账号「${account}」格式不对，应写成 平台:账号，平台为 ${PLATFORMS.join("/")}，例如 console:zhou`);
  }
  return { platform: m[1] as Platform, externalId: m[2] };
}

export function parseRole(role: string): StaffRole {
  const upper = role.trim().toUpperCase();
  const byLabel = Object.entries(STAFF_ROLES).find(([, label]) => label === role.trim())?.[0];
  const code = (upper in STAFF_ROLES ? upper : byLabel) as StaffRole | undefined;
  if (!code) throw new UserError(`角色「${role}」无效，应为 admin、manager 或 agent`);
  return code;
}

/**
 * Adds a staff member and links the given accounts. A name already taken is refused unless `update`
 * says it is the same person (Chinese names repeat; two 周敏 must not become one).
 */
export async function addStaff(db: Db, name: string, role: StaffRole, accounts: string[], opts: { update?: boolean } = {}) {
  const trimmed = name.trim();
  if (!trimmed) throw new UserError("员工姓名不能为空");
  const parsed = accounts.map(parseAccount);
  return db.$transaction(async (tx) => {
    const existing = await tx.staff.findUnique({ where: { name: trimmed }, include: { identities: true } });
    if (existing && !opts.update) {
      const has = existing.identities.map((i) => `${i.platform}:${i.externalId}`).join("、") || "无账号";
      throw new UserError(
        `员工 ${trimmed} 已存在（${has}）。如果是同一个人，加 --update 更新角色并添加账号；如果是同名的另一位同事，请用能区分的名字，例如 ${trimmed}（华东）。`,
      );
    }
    const staff = existing ? await tx.staff.update({ where: { id: existing.id }, data: { role } }) : await tx.staff.create({ data: { name: trimmed, role } });
    for (const a of parsed) {
      const existing = await tx.identity.findUnique({ where: { platform_externalId: a }, include: { contact: true, staff: true } });
      if (existing?.staff && existing.staff.id !== staff.id) {
        throw new UserError(`账号 ${a.platform}:${a.externalId} 已属于员工 ${existing.staff.name}`);
      }
      if (existing?.contact && !existing.contact.unidentified) {
        throw new UserError(`账号 ${a.platform}:${a.externalId} 已登记为客户联系人 ${existing.contact.name}，不能同时作为员工`);
      }
      await tx.identity.upsert({
        where: { platform_externalId: a },
        create: { ...a, staffId: staff.id },
        update: { staffId: staff.id, contactId: null },
      });
    }
    return staff;
  });
}
