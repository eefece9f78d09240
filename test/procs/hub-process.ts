// A hub in a process of its own, wired as `partner-hub start` wires it (platform adapters from the
// environment, the one HTTP server, recovery of unanswered events, the outbox worker), so tests and the
// bench can kill it with SIGKILL. Prints one line `{"ready":PORT}` when it listens.
// HUB_TEST_CLOCK_OFFSET_MS moves its clock ahead: a restart "later", without waiting for leases to run out.
import { createPlatformAdapters } from "../../adapters/platforms.ts";
import { loadConfig, platformSettings } from "../../src/config.ts";
import { startHttpServer } from "../../src/http/server.ts";
import { createLogger } from "../../src/lib/logger.ts";
import { createApp } from "../../src/main.ts";

const config = loadConfig();
const logger = createLogger(config.LOG_LEVEL);
const offset = Number(process.env.HUB_TEST_CLOCK_OFFSET_MS ?? 0);
const clock = { now: () => new Date(Date.now() + offset) };
const app = await createApp({ config, logger, adapters: await createPlatformAdapters(platformSettings(config), logger), clock });
const server = await startHttpServer(app.adapters.values(), config.PORT, logger, "127.0.0.1");
await app.hub.recover();
app.worker.start();
const recovery = setInterval(() => void app.hub.recover().catch((err) => logger.error({ err }, "recovery failed")), 1000);
process.stdout.write(`${JSON.stringify({ ready: server.port })}\n`);
process.once("SIGTERM", async () => {
  clearInterval(recovery);
  await server.close();
  await app.close();
  process.exit(0);
});
