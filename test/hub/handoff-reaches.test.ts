// A hand-off reaches a person (issue 14): with HUB_STAFF_CHAT unset, as .env.example ships, the colleague the
// partner is told of hears of the question privately, on every platform they have an account on; with it
// set, privately and in the staff chat. The hub warns at start when no staff chat is set.
import { afterEach, describe, expect, it } from "vitest";
import { createConsoleAdapter } from "../../adapters/console/index.ts";
import { loadConfig } from "../../src/config.ts";
import { createApp } from "../../src/main.ts";
import { importPartners } from "../../src/partners/transfer.ts";
import { sqliteUrl } from "../helpers/databases.ts";
import { startTestHub, type TestHub } from "../helpers/hub.ts";
import { capturingLogger } from "../helpers/platform-hub.ts";
import { EXAMPLE_PARTNERS } from "../helpers/staff-hub.ts";

let hub: TestHub | null = null;
afterEach(async () => {
  await hub?.close();
  hub = null;
});

async function ask(env: Record<string, string> = {}) {
  hub = await startTestHub({ env });
  await importPartners(hub.db, EXAMPLE_PARTNERS);
  await hub.addStaff("周敏", "zhou", "MANAGER");
  await hub.say("zhou", "/bind HZ001", "hz-group");
  hub.outputs.length = 0;
  const told = await hub.say("zhangwei", "@bot 下个月的经销商大会在哪里开？", "hz-group");
  await hub.app.worker.drain();
  return { told, inChat: (chat: string) => hub!.outputs.filter((o) => o.chatId === chat).map((o) => o.rendered) };
}

describe("a hand-off", () => {
  it("with no staff chat set, reaches the colleague named privately", async () => {
    const { told, inChat } = await ask();
    expect(told).toEqual(["这个问题我请同事周敏跟进，会尽快回复您（问题编号 #1）。"]);
    expect(inChat("dm:zhou")).toEqual([expect.stringMatching(/^【待回答 #1】杭州云帆智能科技有限公司（HZ001） zhangwei.*：下个月的经销商大会在哪里开？\n负责人：周敏/)]);
  });

  it("with a staff chat, reaches both, once each", async () => {
    const { inChat } = await ask({ HUB_STAFF_CHAT: "console:staff-room" });
    expect(inChat("staff-room")).toHaveLength(1);
    expect(inChat("dm:zhou")).toHaveLength(1);
  });

  it("warns at start when no staff chat is set", async () => {
    const logged = capturingLogger();
    const app = await createApp({ config: loadConfig({ DATABASE_URL: sqliteUrl() }), logger: logged.logger, adapters: [createConsoleAdapter({ output: () => {} })] });
    await app.close();
    expect(logged.logs.some((l) => String(l.msg).startsWith("HUB_STAFF_CHAT is unset"))).toBe(true);
  });
});
