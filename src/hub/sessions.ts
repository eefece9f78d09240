// Wires re-attachment to the adapters that can lose their ids at a re-login (adapter.session): after each
// login the rows are matched to the new session (reattach.ts), what could not be is logged (kinds, counts,
// row ids) and told to staff through the outbox, and the hub's marker is put on every linked account the
// session shows, so the next re-login finds them.
import { createHash } from "node:crypto";
import type { Adapter, Platform, SessionDirectory, SessionWatch } from "../../adapters/contract.ts";
import type { Db } from "../db/client.ts";
import type { Clock } from "../lib/clock.ts";
import type { Logger } from "../lib/logger.ts";
import type { Job } from "../scheduler/table.ts";
import { markersIn, reattach, remarkWith, type ReattachResult } from "./reattach.ts";

/** AuditLog action: staff were told this row (detail chat:<id> / identity:<id>) could not be re-attached. */
const REPORTED = "reattach_unresolved";

export interface SessionDeps {
  db: Db;
  adapters: ReadonlyMap<Platform, Adapter>;
  logger: Logger;
  clock: Clock;
  /** Queues a post to the staff chats in the outbox (the key makes it one post); how many were queued. */
  notifyStaff(key: string, text: string): Promise<number>;
}

/** Registers the login listeners; returns the cron job that marks accounts linked since the last login. */
export function followSessions(deps: SessionDeps): Job[] {
  const jobs: Job[] = [];
  for (const adapter of deps.adapters.values()) {
    const session = adapter.session;
    if (!session) continue;
    session.onLogin((dir) => afterLogin(deps, adapter.platform, session, dir));
    jobs.push({ name: `${adapter.platform}-mark-accounts`, schedule: "*/10 * * * *", run: async () => void (await markAccounts(deps, adapter.platform, session, await session.directory())) });
  }
  return jobs;
}

export async function afterLogin(deps: SessionDeps, platform: Platform, session: SessionWatch, dir: SessionDirectory): Promise<Record<string, string>> {
  const { logger } = deps;
  let result: ReattachResult;
  try {
    result = await reattach(deps.db, platform, dir);
  } catch (err) {
    logger.error({ platform, err }, "re-attachment after login failed; bindings may point at the previous session");
    return {};
  }
  try {
    await report(deps, platform, result);
    const marked = await markAccounts(deps, platform, session, dir);
    if (marked.failed) logger.warn({ platform, marked: marked.done, failed: marked.failed }, "some accounts could not be marked for the next re-login");
  } catch (err) {
    logger.error({ platform, err }, "re-attachment done, but its report or the account marks failed");
  }
  return result.moved;
}

async function report(deps: SessionDeps, platform: Platform, result: ReattachResult): Promise<void> {
  const { logger } = deps;
  const problems = result.missingRooms.length + result.ambiguousRooms.length + result.missingAccounts.length;
  // Staff hear about each row once: a group lost for good would otherwise come back at every login.
  const keys = [...result.missingRooms, ...result.ambiguousRooms].map((id) => `chat:${id}`).concat(result.missingAccounts.map((id) => `identity:${id}`));
  const told = new Set(
    (await deps.db.auditLog.findMany({ where: { action: REPORTED, actor: `${platform}:hub`, detail: { in: keys } }, select: { detail: true } })).map((a) => a.detail),
  );
  const fresh = keys.filter((k) => !told.has(k));
  logger[problems ? "warn" : "info"](
    {
      kind: "reattach",
      platform,
      rooms: result.rooms,
      accounts: result.accounts,
      deliveries: result.deliveries,
      questions: result.questions,
      missingChatIds: result.missingRooms,
      ambiguousChatIds: result.ambiguousRooms,
      missingIdentityIds: result.missingAccounts,
      toldBefore: told.size,
    },
    problems ? "re-login: some bindings could not be re-attached" : "re-login: bindings re-attached",
  );
  if (fresh.length) {
    const only = (ids: number[], kind: string) => ids.filter((id) => fresh.includes(`${kind}:${id}`));
    const text = await staffReport(deps.db, { ...result, missingRooms: only(result.missingRooms, "chat"), ambiguousRooms: only(result.ambiguousRooms, "chat"), missingAccounts: only(result.missingAccounts, "identity") });
    const key = `reattach:${platform}:${createHash("sha256").update(fresh.join(",")).digest("hex").slice(0, 16)}`;
    if (!(await deps.notifyStaff(key, text))) {
      logger.warn({ platform, unresolved: fresh.length }, "nobody told about bindings lost at re-login: HUB_STAFF_CHAT is unset");
      return;
    }
    const at = deps.clock.now();
    await deps.db.auditLog.createMany({ data: fresh.map((detail) => ({ actor: `${platform}:hub`, action: REPORTED, detail, allowed: true, createdAt: at })) });
  }
}

/** Puts the hub's marker on staff accounts and partners' contacts the session shows without it. */
export async function markAccounts(deps: SessionDeps, platform: Platform, session: SessionWatch, dir: SessionDirectory): Promise<{ done: number; failed: number }> {
  const contacts = new Map(dir.contacts.map((c) => [c.id, c]));
  const rows = await deps.db.identity.findMany({
    where: { platform, externalId: { in: [...contacts.keys()] }, OR: [{ staffId: { not: null } }, { contact: { unidentified: false } }] },
    select: { id: true, externalId: true },
  });
  let done = 0;
  let failed = 0;
  for (const row of rows) {
    const c = contacts.get(row.externalId)!;
    const markers = markersIn(c.alias);
    if (markers.length === 1 && markers[0] === row.id) continue;
    const ok = await session.mark(row.externalId, remarkWith(c.alias, row.id)).catch(() => false);
    if (ok) done++;
    else failed++;
  }
  return { done, failed };
}

/** What staff read: which groups and accounts to bind or link again, and how. */
async function staffReport(db: Db, r: ReattachResult): Promise<string> {
  const lines = ["微信重新登录后，下面这些没能自动找回，请处理："];
  const chats = await db.chat.findMany({ where: { id: { in: [...r.missingRooms, ...r.ambiguousRooms] } }, include: { partner: { select: { name: true, code: true } } } });
  for (const id of [...r.ambiguousRooms, ...r.missingRooms]) {
    const c = chats.find((x) => x.id === id)!;
    const to = c.partner ? `${c.partner.name}（${c.partner.code}）` : "内部群";
    const rebind = c.partner ? `/bind ${c.partner.code}` : "/bind 内部";
    const why = r.ambiguousRooms.includes(id) ? "有几个同名的群，分不出是哪一个" : "新登录的微信里找不到这个群（可能改了群名，或机器人已不在群里）";
    lines.push(`· 群「${c.title ?? "未命名"}」（绑定 ${to}）：${why}。请在对应的群里 @机器人 发 ${rebind} 重新绑定。`);
  }
  const ids = await db.identity.findMany({
    where: { id: { in: r.missingAccounts } },
    include: { staff: { select: { name: true } }, contact: { select: { name: true, partner: { select: { name: true, code: true } } } } },
  });
  for (const i of ids) {
    if (i.staff) lines.push(`· 员工 ${i.staff.name} 的微信账号：没找到。请对方私聊机器人发 /whoami 查看新账号，再用 staff add 重新登记。`);
    else if (i.contact) lines.push(`· ${i.contact.partner.name}（${i.contact.partner.code}）的联系人 ${i.contact.name} 的微信账号：没找到。请在客户群里发 /link @对方 ${i.contact.partner.code} ${i.contact.name} 重新登记。`);
  }
  return lines.join("\n");
}
