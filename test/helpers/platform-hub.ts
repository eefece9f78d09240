// A hub with real platform adapters behind its real HTTP server, on 127.0.0.1.
import { Writable } from "node:stream";
import type { Adapter } from "../../adapters/contract.ts";
import { loadConfig } from "../../src/config.ts";
import { startHttpServer } from "../../src/http/server.ts";
import { ManualClock, systemClock, type Clock } from "../../src/lib/clock.ts";
import { createLogger } from "../../src/lib/logger.ts";
import { createApp } from "../../src/main.ts";
import { sqliteUrl } from "./databases.ts";

/** A logger whose lines (info and above) land, parsed, in `logs`. */
export function capturingLogger() {
  const logs: Record<string, unknown>[] = [];
  const sink = new Writable({ write: (chunk, _enc, done) => (logs.push(JSON.parse(String(chunk))), done()) });
  return { logger: createLogger("info", sink), logs };
}

/**
 * Real time, shifted whole hours so that the hub's day (Asia/Shanghai) reads 10 o'clock now: outreach sent
 * from these hubs is never held by quiet hours, whatever time of day the suite runs. The platforms' own
 * clocks (request signatures) stay real.
 */
export function daytimeClock(localHour = 10): Clock {
  const shanghaiHour = (new Date().getUTCHours() + 8) % 24;
  const shift = (((localHour - shanghaiHour) % 24) + 24) % 24 * 3_600_000;
  return { now: () => new Date(Date.now() + shift) };
}

/**
 * The daytime clock, standing still but for the outbox's pacing waits and what a test moves it by: a
 * WeChat send paced at 3 s costs the test nothing, and the fake platforms stamp sends with it exactly.
 */
export function pacedDaytimeClock(localHour = 10) {
  const clock = new ManualClock(daytimeClock(localHour).now());
  return { clock: clock as Clock, sleep: async (ms: number) => clock.advance(ms), advance: (ms: number) => clock.advance(ms) };
}

export async function startPlatformHub(
  adapters: Adapter[],
  opts: { env?: Record<string, string>; clock?: Clock; logged?: ReturnType<typeof capturingLogger>; sleep?: (ms: number) => Promise<void>; paced?: ReturnType<typeof pacedDaytimeClock> } = {},
) {
  const config = loadConfig({ DATABASE_URL: sqliteUrl(), ...opts.env });
  const { logger, logs } = opts.logged ?? capturingLogger();
  const paced = opts.paced ?? pacedDaytimeClock();
  const clock = opts.clock ?? (opts.sleep ? systemClock : paced.clock);
  const app = await createApp({ config, logger, adapters, clock, sleep: opts.sleep ?? (opts.clock ? undefined : paced.sleep) });
  const server = await startHttpServer(app.adapters.values(), 0, createLogger("silent"), "127.0.0.1");
  return {
    app,
    db: app.db,
    /** The hub's clock. */
    clock,
    url: `http://127.0.0.1:${server.port}`,
    /** What the hub logged (info and above), parsed. */
    logs,
    async close() {
      await server.close();
      await app.close();
    },
  };
}

/** Waits for a condition the system reaches on its own (an async reply), checking every 10 ms. */
export async function until<T>(probe: () => T | Promise<T>, what: string, timeoutMs = 5000): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
