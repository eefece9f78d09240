// Several instances on one PostgreSQL compare inbound leases with their own clocks (src/hub/inbound-state.ts):
// a clock far from the others' could hand one event to two of them. The database's clock is the common one.
import type { Db } from "./client.ts";
import type { Clock } from "../lib/clock.ts";
import type { Logger } from "../lib/logger.ts";

/** Logs a warning when this instance's clock and the database's differ by more than `warnMs`. Returns the skew. */
export async function checkClockSkew(db: Db, clock: Clock, logger: Logger, warnMs: number): Promise<number> {
  const before = clock.now().getTime();
  const [{ now }] = await db.$queryRaw<{ now: Date }[]>`SELECT now() AS "now"`;
  const ours = (before + clock.now().getTime()) / 2;
  const skewMs = Math.round(ours - new Date(now).getTime());
  if (Math.abs(skewMs) > warnMs) {
    logger.warn({ skewMs, allowedMs: warnMs }, "this instance's clock differs from PostgreSQL's; keep the instances' clocks in sync (NTP), or an event may be answered twice");
  }
  return skewMs;
}
