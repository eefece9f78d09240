// A whole hub over the console adapter, with a hand-moved clock, for end-to-end tests.
import { createConsoleAdapter, type ConsoleOutput } from "../../adapters/console/index.ts";
import type { LanguageModel } from "../../adapters/contract.ts";
import { loadConfig } from "../../src/config.ts";
import { ManualClock } from "../../src/lib/clock.ts";
import { createLogger } from "../../src/lib/logger.ts";
import { createApp } from "../../src/main.ts";
import { addStaff } from "../../src/staff/store.ts";
import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { importKb } from "../../src/answer/kb-import.ts";
import { sqliteUrl } from "./databases.ts";

export async function startTestHub(opts: { databaseUrl?: string; env?: Record<string, string>; now?: string; llm?: LanguageModel } = {}) {
  const clock = new ManualClock(opts.now ?? "2026-11-20T02:00:00Z");
  const outputs: ConsoleOutput[] = [];
  const adapter = createConsoleAdapter({ output: (o) => outputs.push(o), now: () => clock.now() });
  const databaseUrl = opts.databaseUrl ?? sqliteUrl();
  const config = loadConfig({ DATABASE_URL: databaseUrl, ...opts.env });
  // The outbox waits for rate-limit slots by moving the test's clock, never by sleeping.
  const sleep = async (ms: number) => clock.advance(ms);
  const app = await createApp({ config, logger: createLogger("silent"), adapters: [adapter], clock, llm: opts.llm, sleep });
  return {
    app,
    db: app.db,
    clock,
    databaseUrl,
    outputs,
    /**
     * Sends a message and returns the rendered replies it produced in that chat (what staff are told
     * elsewhere meanwhile, such as a hand-off, is in `outputs`).
     */
    async say(as: string, text: string, chat?: string): Promise<string[]> {
      const before = outputs.length;
      await adapter.say(as, text, chat);
      const where = chat ?? adapter.directChatId!(as.replace(/^console:/, ""));
      return outputs.slice(before).filter((o) => o.chatId === where).map((o) => o.rendered);
    },
    adapter,
    async addStaff(name: string, id: string, role: "ADMIN" | "MANAGER" | "AGENT" = "AGENT") {
      await addStaff(app.db, name, role, [`console:${id}`]);
      app.hub.forgetCaches();
    },
    close: () => app.close(),
  };
}

export type TestHub = Awaited<ReturnType<typeof startTestHub>>;

/** Imports knowledge-base entries as an operator would: a JSON file through `kb import`. */
export async function importKbEntries(db: TestHub["db"], entries: { id: string; question: string; answer: string; tags?: string[] }[]) {
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), "kb-")), "kb.json");
  writeFileSync(file, JSON.stringify(entries));
  return importKb(db, file);
}

/** A console message event as the adapter would hand it to the hub, for re-delivery tests. */
export function consoleEvent(messageId: string, text: string, from = "zhou", at = new Date("2026-11-20T02:00:00Z")) {
  return {
    type: "message" as const,
    platform: "console" as const,
    messageId,
    chat: { id: `dm:${from}`, kind: "direct" as const },
    sender: { id: from },
    at,
    text,
    contentType: "text" as const,
    mentioned: true,
  };
}
