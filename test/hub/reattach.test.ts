// Re-attachment rules the WeChat end-to-end test does not reach: stable ids, rows made for a new id
// before re-attachment ran, a marker two contacts carry, remarks the account wrote itself.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { SessionDirectory } from "../../adapters/contract.ts";
import { openDatabase } from "../../src/db/client.ts";
import { reattach, remarkWith } from "../../src/hub/reattach.ts";
import { afterLogin } from "../../src/hub/sessions.ts";
import { ManualClock } from "../../src/lib/clock.ts";
import { createLogger } from "../../src/lib/logger.ts";
import { sqliteUrl } from "../helpers/databases.ts";

let database: Awaited<ReturnType<typeof openDatabase>>;
let db: typeof database.db;
let partnerId: number;
let contactId: number;

beforeEach(async () => {
  database = await openDatabase(sqliteUrl());
  db = database.db;
  partnerId = (await db.partner.create({ data: { code: "HZ001", name: "杭州云帆", city: "杭州", tier: "KEY", searchKey: "hz001" } })).id;
  contactId = (await db.contact.create({ data: { partnerId, name: "张伟" } })).id;
});
afterEach(() => database.close());

const room = (id: string, topic: string, memberIds: string[] = []) => ({ id, topic, memberIds });

describe("reattach", () => {
  it("leaves everything alone when the puppet kept its ids (puppet-service, WeCom-backed puppets)", async () => {
    const chat = await db.chat.create({ data: { platform: "wechat", externalChatId: "R1", kind: "group", title: "云帆群", partnerId } });
    await db.identity.create({ data: { platform: "wechat", externalId: "U1", contactId } });
    const r = await reattach(db, "wechat", { rooms: [room("R1", "云帆群", ["U1"])], contacts: [{ id: "U1", name: "张伟" }] });
    expect(r.moved).toEqual({});
    expect(r.rooms.kept).toBe(1);
    expect(r.accounts.kept).toBe(1);
    expect((await db.chat.findUniqueOrThrow({ where: { id: chat.id } })).externalChatId).toBe("R1");
  });

  it("merges the row a first message made for the new id into the bound one, history included", async () => {
    const bound = await db.chat.create({ data: { platform: "wechat", externalChatId: "old-R", kind: "group", title: "云帆群", partnerId } });
    const early = await db.chat.create({ data: { platform: "wechat", externalChatId: "new-R", kind: "group", title: "云帆群" } });
    await db.interaction.create({ data: { platform: "wechat", direction: "IN", kind: "message", text: "在吗", chatId: early.id, createdAt: new Date() } });
    const linked = await db.identity.create({ data: { platform: "wechat", externalId: "old-U", contactId } });
    await db.identity.create({ data: { platform: "wechat", externalId: "new-U" } }); // a stranger row for the same person
    const direct = await db.chat.create({ data: { platform: "wechat", externalChatId: "old-U", kind: "direct", contactId } });
    const dir: SessionDirectory = { rooms: [room("new-R", "云帆群", ["new-U"])], contacts: [{ id: "new-U", name: "张伟", alias: `PH:${linked.id}` }] };
    const r = await reattach(db, "wechat", dir);
    expect(r.moved).toEqual({ "old-R": "new-R", "old-U": "new-U" });
    expect(await db.chat.findUnique({ where: { id: early.id } })).toBeNull();
    expect((await db.chat.findUniqueOrThrow({ where: { id: bound.id } })).externalChatId).toBe("new-R");
    expect(await db.interaction.count({ where: { chatId: bound.id } })).toBe(1);
    expect((await db.identity.findUniqueOrThrow({ where: { id: linked.id } })).externalId).toBe("new-U");
    expect((await db.chat.findUniqueOrThrow({ where: { id: direct.id } })).externalChatId).toBe("new-U"); // greetings reach them privately
  });

  it("attaches an account to nobody when two contacts carry its marker", async () => {
    const staff = await db.staff.create({ data: { name: "周敏", role: "ADMIN" } });
    const account = await db.identity.create({ data: { platform: "wechat", externalId: "old-Z", staffId: staff.id } });
    const dir = { rooms: [], contacts: [{ id: "A", name: "周敏", alias: `PH:${account.id}` }, { id: "B", name: "周敏", alias: `周敏 PH:${account.id}` }] };
    const r = await reattach(db, "wechat", dir);
    expect(r.missingAccounts).toEqual([account.id]);
    expect((await db.identity.findUniqueOrThrow({ where: { id: account.id } })).externalId).toBe("old-Z");
  });

  it("sends the answer to an open question to the group's new id", async () => {
    await db.chat.create({ data: { platform: "wechat", externalChatId: "old-R", kind: "group", title: "云帆群", partnerId } });
    const q = await db.question.create({ data: { platform: "wechat", externalChatId: "old-R", text: "返利？", askedAt: new Date(), partnerId } });
    await reattach(db, "wechat", { rooms: [room("new-R", "云帆群")], contacts: [] });
    expect((await db.question.findUniqueOrThrow({ where: { id: q.id } })).externalChatId).toBe("new-R");
  });

  it("tells staff about a lost group once, not again at every later login", async () => {
    await db.chat.create({ data: { platform: "wechat", externalChatId: "gone", kind: "group", title: "老客户群", partnerId } });
    const posts: string[] = [];
    const deps = { db, adapters: new Map(), logger: createLogger("silent"), clock: new ManualClock("2026-11-20T02:00:00Z"), notifyStaff: async (_k: string, t: string) => posts.push(t) };
    const session = { onLogin() {}, directory: async () => ({ rooms: [], contacts: [] }), mark: async () => true };
    await afterLogin(deps, "wechat", session, { rooms: [], contacts: [] });
    await afterLogin(deps, "wechat", session, { rooms: [], contacts: [] });
    expect(posts).toHaveLength(1);
    expect(posts[0]).toContain("群「老客户群」（绑定 杭州云帆（HZ001））");
  });

  it("keeps what the account wrote in a remark and replaces only the hub's marker", () => {
    expect(remarkWith(undefined, 7)).toBe("PH:7");
    expect(remarkWith("张总 杭州", 7)).toBe("张总 杭州 PH:7");
    expect(remarkWith("张总 PH:3", 7)).toBe("张总 PH:7");
  });
});
