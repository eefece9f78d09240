// Inbound from outside: hub processes of their own taking signed Slack events over HTTP, on SQLite, one
// PostgreSQL instance and two instances on one PostgreSQL (a throwaway server, fsync on). Events stored
// per second (a 200 is only sent once the event is stored), and the fault figures of kill -9 mid-burst.
import { createDatabase, startPostgresServer } from "../helpers/postgres-server.ts";
import { burst, faultRun, seedBurstDatabase, startHubProcess, storedEvents, type FaultRun } from "../procs/inbound-burst.ts";
import { startFakeSlack } from "../fakes/slack-api.ts";
import { sqliteUrl } from "./temp.ts";

export const INBOUND_EVENTS = 2_000;
export const INBOUND_KILL_AFTER = 700;
export const INBOUND_CONCURRENCY = 64;

export interface InboundRate {
  mode: string;
  perSecond: number;
  acked: number;
  stored: number;
}

async function rate(mode: string, urls: string[]): Promise<InboundRate> {
  const slack = await startFakeSlack();
  try {
    const users = await seedBurstDatabase(urls[0]);
    const hubs = await Promise.all(urls.map((u) => startHubProcess(u, slack)));
    try {
      const { acked, seconds } = await burst(hubs, users, INBOUND_EVENTS, INBOUND_CONCURRENCY);
      const stored = await storedEvents(urls[0], users, acked);
      return { mode, perSecond: acked.size / seconds, acked: acked.size, stored: stored.size };
    } finally {
      await Promise.all(hubs.map((h) => h.stop()));
    }
  } finally {
    await slack.close();
  }
}

export async function benchInbound(): Promise<{ rates: InboundRate[]; faults: (FaultRun & { mode: string })[]; postgresSkipped: string | null }> {
  const rates: InboundRate[] = [await rate("SQLite, one process", [sqliteUrl()])];
  const faults: (FaultRun & { mode: string })[] = [{ mode: "SQLite", ...(await faultRun([sqliteUrl()], INBOUND_EVENTS, INBOUND_KILL_AFTER, { answerTimeoutMs: 120_000 })) }];
  const pg = await startPostgresServer({ fsync: true });
  if ("skipped" in pg) return { rates, faults, postgresSkipped: pg.skipped };
  try {
    let n = 0;
    const fresh = () => createDatabase(pg.url, `bench_inbound_${process.pid}_${n++}`);
    // One instance and two, taken in turns and the better of two rounds each: a busy 2-core machine
    // (the hub processes, PostgreSQL and this driver share it) would otherwise decide the comparison.
    const runs: InboundRate[] = [];
    for (let round = 0; round < 2; round++) {
      runs.push(await rate("PostgreSQL, one instance", [await fresh()]));
      const shared = await fresh();
      runs.push(await rate("PostgreSQL, two instances", [shared, shared]));
    }
    for (const mode of ["PostgreSQL, one instance", "PostgreSQL, two instances"]) {
      rates.push(runs.filter((r) => r.mode === mode).reduce((a, b) => (b.perSecond > a.perSecond ? b : a)));
    }
    const both = await fresh();
    faults.push({ mode: "PostgreSQL, two instances", ...(await faultRun([both, both], INBOUND_EVENTS, INBOUND_KILL_AFTER, { answerTimeoutMs: 120_000 })) });
    return { rates, faults, postgresSkipped: null };
  } finally {
    pg.stop();
  }
}
