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
    expect(reply).toBe("HZ001 由同事周敏负责，你没有查看这家客户资料的权限。如需查看，请联系经理。");
  });
});
