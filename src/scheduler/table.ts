// The one cron table: every job the hub runs on a schedule is listed in jobTable, with when and why
// (README, "Scheduled jobs", says the same). Ticks only look for work and hand it to the outbox; they
// never talk to a platform themselves. Job logic lives in plain functions that take a clock, tested directly.
import cron from "node-cron";
import type { Logger } from "../lib/logger.ts";
import type { Outreach } from "../outreach/service.ts";
import { handOffUnpicked, type ChoiceTimeoutDeps } from "../service/choice-timeout.ts";
import { escalateOverdue, type EscalationDeps } from "../service/sla-escalation.ts";
import { escalateOverdueComplaints } from "../service/complaint-escalation.ts";
import type { ComplaintDesk } from "../service/complaints.ts";
import { planNewPartnerVisits, type NewPartnerVisitDeps } from "../service/visit-plans.ts";
import { inviteAttendees, reportUnanswered, type TrainingJobDeps } from "../service/training-followup.ts";

export interface Job {
  name: string;
  /** Five-field cron expression in the hub's time zone. */
  schedule: string;
  run(): Promise<unknown>;
}

export interface JobDeps {
  /** Hub.recover: answers what a stopped instance stored and acknowledged but never handled. */
  recoverInbound(): Promise<unknown>;
  /** What followSessions (src/hub/sessions.ts) returned: its jobs need the login watchers it registers. */
  sessionJobs: Job[];
  outreach: Pick<Outreach, "planDay" | "today" | "pollAfterTrainings" | "scheduledPoll">;
  training: TrainingJobDeps;
  escalation: EscalationDeps;
  choiceTimeout: ChoiceTimeoutDeps;
  newPartnerVisits: NewPartnerVisitDeps;
  complaints: ComplaintDesk;
  /** HUB_SATISFACTION_POLL_CRON, null when off (settings.ts). */
  satisfactionPollCron: string | null;
}

export function jobTable(d: JobDeps): Job[] {
  return [
    // A hub stopped mid-burst left events stored and acknowledged but unanswered (also run once at start).
    { name: "recover-inbound", schedule: "* * * * *", run: () => d.recoverInbound() },
    // `<platform>-mark-accounts` every 10 minutes, for each adapter whose ids change at a re-login (WeChat):
    // marks accounts linked since the last login so that the next re-login finds them.
    ...d.sessionJobs,
    // Planning is keyed, so a restart or a second instance plans nothing twice.
    // The day's greetings, gift reminders and poll reminders, just after midnight (also run at start).
    { name: "plan-outreach", schedule: "5 0 * * *", run: () => d.outreach.planDay(d.outreach.today()) },
    // The satisfaction poll to yesterday's training attendees, once the working day is over.
    { name: "training-poll", schedule: "30 18 * * *", run: () => d.outreach.pollAfterTrainings() },
    // The quarterly satisfaction poll, when the operator has not turned it off.
    ...(d.satisfactionPollCron === null ? [] : [{ name: "satisfaction-poll", schedule: d.satisfactionPollCron, run: () => d.outreach.scheduledPoll() }]),
    // The day after a training, its attendees' groups are invited to ask, in the morning.
    { name: "training-invite", schedule: "0 10 * * *", run: () => inviteAttendees(d.training) },
    // When a training's window closes, the trainer hears which questions are still unanswered.
    { name: "training-report", schedule: "0 18 * * *", run: () => reportUnanswered(d.training) },
    // Choices nobody picked within HUB_CHOICE_TIMEOUT_MINUTES go to staff, once; a minute late at most.
    { name: "choice-timeouts", schedule: "* * * * *", run: () => handOffUnpicked(d.choiceTimeout) },
    // Partners new in the files (an import, a referral) get their 指导回访 planned within the hour.
    { name: "new-partner-visits", schedule: "15 * * * *", run: () => planNewPartnerVisits(d.newPartnerVisits) },
    // Questions past their SLA in working hours are raised again with a manager; minutes late at most.
    { name: "escalate-questions", schedule: "*/5 * * * *", run: () => escalateOverdue(d.escalation) },
    // Complaints past their first-response or resolution deadline go to the owner and a manager, once each.
    { name: "escalate-complaints", schedule: "*/5 * * * *", run: () => escalateOverdueComplaints(d.complaints) },
  ];
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
