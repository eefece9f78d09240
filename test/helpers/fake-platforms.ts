// The real Slack and Lark SDK adapters against local fake APIs that stamp each request with the test's
// clock, and an outbox worker over them: what the outbox tests are built on.
import type { Adapter } from "../../adapters/contract.ts";
import { createLarkAdapter } from "../../adapters/lark/index.ts";
import { platformCapabilities } from "../../adapters/platforms.ts";
import { createSlackAdapter } from "../../adapters/slack/index.ts";
import type { Db } from "../../src/db/client.ts";
import { InteractionLog } from "../../src/history/log.ts";
import type { ManualClock } from "../../src/lib/clock.ts";
import { createLogger } from "../../src/lib/logger.ts";
import { parseQuietHours } from "../../src/outbox/quiet-hours.ts";
import { limitsOf } from "../../src/outbox/rate-limit.ts";
import { OutboxWorker, type WorkerOptions } from "../../src/outbox/worker.ts";
import { startFakeLark } from "../fakes/lark-api.ts";
import { startFakeSlack } from "../fakes/slack-api.ts";

const logger = createLogger("silent");

export async function startFakePlatforms(clock: ManualClock) {
  const slack = await startFakeSlack({ now: () => clock.now().getTime() });
  const lark = await startFakeLark({ now: () => clock.now().getTime() });
  // The SDKs' own retries are off: retrying is the outbox's job.
  const slackAdapter = createSlackAdapter({ botToken: "xoxb-test", signingSecret: "s", apiUrl: slack.url, logger, retries: 0 });
  const larkAdapter = createLarkAdapter({ appId: "cli_a1", appSecret: "secret", encryptKey: "k", domain: lark.url, mode: "webhook", logger });
  await larkAdapter.start(async () => ({ handled: Promise.resolve() }));
  return {
    slack,
    lark,
    slackAdapter,
    larkAdapter,
    async close() {
      await slack.close();
      await lark.close();
    },
  };
}

/** A worker on `db`, quiet hours off; by default it waits for rate-limit slots by moving the manual clock. */
export function testWorker(db: Db, clock: ManualClock, adapters: Adapter[], extra: Partial<WorkerOptions> = {}): OutboxWorker {
  return new OutboxWorker({
    db,
    adapters: new Map(adapters.map((a) => [a.platform, a])),
    log: new InteractionLog(db),
    clock,
    logger,
    limits: limitsOf(platformCapabilities()),
    quietHours: parseQuietHours("off"),
    sleep: async (ms) => clock.advance(ms),
    ...extra,
  });
}
