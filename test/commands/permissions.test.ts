// Who may see what (seed 003 客户保密), as one table: role x command x own or another's partner. Managers and
// admins open every client file; an agent only the partners they own; a partner's people none. Every
// refusal is audited.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startStaffHub } from "../helpers/staff-hub.ts";
import type { TestHub } from "../helpers/hub.ts";

let hub: TestHub;
beforeAll(async () => {
  hub = await startStaffHub();
  await hub.addStaff("陈刚", "chengang", "AGENT"); // owner of GZ003, CD004, XA006 in the example files
  await hub.addStaff("王总", "wang", "ADMIN");
});
afterAll(() => hub.close());

// [who, their console id, may open their own partner's file, may open another's]
const ROLES = [
  ["admin", "wang", true, true],
  ["manager", "zhou", true, true],
  ["agent who owns it", "chengang", true, false],
  ["agent without partners", "chen", false, false],
  ["partner's contact", "zhangwei", false, false],
] as const;
// [command, what shows the file was opened]
const COMMANDS = [
  ["/client", (code: string) => `（${code}）】`],
  ["/history", (code: string) => `（${code}）`],
  ["/care", (code: string) => `（${code}）`],
] as const;
// GZ003 is 陈刚's; HZ001 is 周敏's, nobody else's among these.
const OWN = "GZ003";
const OTHER = "HZ001";

describe("who may open a client file", () => {
  for (const [who, id, own, other] of ROLES) {
    for (const [command, opened] of COMMANDS) {
      for (const [code, allowed] of [[OWN, own], [OTHER, other]] as const) {
        // "Own" means the agent's own partner; for managers and admins both codes are simply partners.
        it(`${who}: ${command} ${code} ${allowed ? "opens" : "is refused"}`, async () => {
          const before = await hub.db.auditLog.count({ where: { allowed: false } });
          const [reply] = await hub.say(id, `${command} ${code}`);
          expect(reply.includes(opened(code)) && !/权限|仅限员工/.test(reply), reply).toBe(allowed);
          if (!allowed) expect(await hub.db.auditLog.count({ where: { allowed: false } })).toBe(before + 1);
        });
      }
    }
  }

  it("never shows a refused agent the file's phones or birthdays", async () => {
    const [reply] = await hub.say("chengang", "/client HZ001");
    expect(reply).not.toMatch(/138\d{8}|生日/);
    expect(reply).toBe("HZ001 由同事周敏负责，您没有查看这家客户资料的权限。如需查看，请联系经理。");
  });
});

// The same table for complaint tickets: #1 is GZ003's (陈刚's), #2 HZ001's (周敏's).
describe("who may read and work a complaint", () => {
  beforeAll(async () => {
    await hub.say("zhou", "/complaint add GZ003 电话反映：到货少了两箱");
    await hub.say("zhou", "/complaint add HZ001 电话反映：门锁异响");
  });
  const COMPLAINT_COMMANDS = [
    ["/complaint show", (id: number) => `投诉 #${id} · `],
    ["/complaint note", (id: number) => `已记录投诉 #${id} 的进展`],
  ] as const;
  for (const [who, id, own, other] of ROLES) {
    for (const [command, opened] of COMPLAINT_COMMANDS) {
      for (const [n, allowed] of [[1, own], [2, other]] as const) {
        it(`${who}: ${command} #${n} ${allowed ? "works" : "is refused"}`, async () => {
          const [reply] = await hub.say(id, `${command} ${n}${command.endsWith("note") ? " 已联系客户" : ""}`);
          expect(reply.startsWith(opened(n)), reply).toBe(allowed);
          if (!allowed) expect(reply).toMatch(/不由您负责|员工的功能/);
        });
      }
    }
  }

  it("lets an agent work a complaint handed to them, and lists only theirs", async () => {
    expect((await hub.say("chen", "/complaint show 2"))[0]).toMatch(/不由您负责/);
    await hub.say("zhou", "/complaint assign 2 小陈");
    expect((await hub.say("chen", "/complaint show 2"))[0]).toMatch(/^投诉 #2 · /);
    // The file of the partner whose complaint they now handle, while it is open.
    expect((await hub.say("chen", "/client HZ001"))[0]).toContain("（HZ001）】");
    expect((await hub.say("chen", "/complaint list"))[0]).toMatch(/^未结案的投诉 1 条：\n· #2 /);
    expect((await hub.say("chengang", "/complaint list"))[0]).toMatch(/^未结案的投诉 1 条：\n· #1 /);
    expect((await hub.say("chengang", "/complaint add HZ001 又有异响"))[0]).toMatch(/不由您负责/);
    // A ticket handed to them gives the file while it is open, not the power to widen who sees it.
    expect((await hub.say("chen", "/complaint assign 2 陈刚"))[0]).toMatch(/不由您负责/);
    await hub.say("chen", "/complaint resolve 2 已处理");
    await hub.db.complaint.update({ where: { id: 2 }, data: { status: "CLOSED" } });
    expect((await hub.say("chen", "/client HZ001"))[0]).toMatch(/没有查看这家客户资料的权限/);
    expect((await hub.say("chen", "/complaint reopen 2 再看看"))[0]).toMatch(/不由您负责/);
  });
});
