// Where every command test starts: the example client files, a manager (周敏) and an agent (小陈), and
// 杭州云帆's group (hz-group) bound, where the partner's people talk. Commands are typed on the console
// channel, as staff and partners type them in any chat.
import path from "node:path";
import { importPartners } from "../../src/partners/transfer.ts";
import { startTestHub, type TestHub } from "./hub.ts";

export const EXAMPLE_PARTNERS = path.resolve(import.meta.dirname, "../../examples/partners.csv");

/** A console account in 杭州云帆's group: to the hub, one of the partner's people. */
export const PARTNER = "zhangwei";

export async function startStaffHub(opts: Parameters<typeof startTestHub>[0] = {}): Promise<TestHub> {
  const hub = await startTestHub({ ...opts, env: { HUB_STAFF_CHAT: "console:staff-room", ...opts.env } });
  await importPartners(hub.db, EXAMPLE_PARTNERS);
  await hub.addStaff("周敏", "zhou", "MANAGER");
  await hub.addStaff("小陈", "chen", "AGENT");
  await hub.say("zhou", "/bind HZ001", "hz-group");
  hub.outputs.length = 0;
  return hub;
}

/** The audit rows one command left, oldest first, as a reviewer reads them. */
export async function audited(hub: TestHub, command: string) {
  return hub.db.auditLog.findMany({ where: { action: `command:${command}` }, orderBy: { id: "asc" }, select: { actor: true, detail: true, allowed: true } });
}

/** What a partner's person gets for typing a staff command in their own group. */
export const STAFF_ONLY = (command: string) => `抱歉，/${command} 仅限员工使用。有问题可以直接在这里提问，我们会尽快回复您。`;
