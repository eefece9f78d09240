// The one cron table. Ticks only look for work and hand it to the outbox (Hub.sendTo); they never
// talk to a platform themselves. Job logic lives in plain functions that take a clock, tested directly.
import cron from "node-cron";
import type { Logger } from "../lib/logger.ts";

export interface Job {
  name: string;
  /** Five-field cron expression in the hub's time zone. */
  schedule: string;
  run(): Promise<unknown>;
}

export function startSchedules(jobs: Job[], timeZone: string, logger: Logger): { stop(): void; nextRuns(): Record<string, Date | null> } {
  const tasks = jobs.map((job) =>
    cron.schedule(
      job.schedule,
      async () => {
        try {
          await job.run();
        } catch (err) {
          logger.error({ err, job: job.name }, "scheduled job failed");
        }
      },
      { name: job.name, timezone: timeZone, noOverlap: true },
    ),
  );
  return {
    stop: () => tasks.forEach((t) => t.destroy()),
    nextRuns: () => Object.fromEntries(tasks.map((t, i) => [jobs[i].name, t.getNextRun()])),
  };
}
