// Drives hub processes from outside as Slack would: signed event deliveries over HTTP, a 200 counted as
// the platform's "kept", kill -9 in the middle of a burst, a restart, Slack's retries of what got no 200.
// Shared by the kill test (test/hub/kill.test.ts) and `npm run bench -- ingest`.
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { createInterface } from "node:readline";
import { openDatabase } from "../../src/db/client.ts";
import { upsertPartners } from "../../src/partners/store.ts";
import { fakePartners } from "../bench/fixtures.ts";
import { slackHeaders, startFakeSlack, type FakeSlack } from "../fakes/slack-api.ts";

const ROOT = path.resolve(import.meta.dirname, "../..");
const SECRET = "burst-signing-secret";
/** Partners (and their 2 contacts each) the burst's Slack users belong to. */
const PARTNERS = 100;
const QUESTIONS = ["请问这个月的返利什么时候到账？", "门锁保修几年？", "下周培训在哪里报名？", "账期能不能延长到60天？", "新品的价格表在哪里看？", "发票开错了怎么重开？"];
const KB = [
  { id: "b-1", question: "季度返利什么时候到账？", answer: "季度结束后次月20日前发放到返利账户。" },
  { id: "b-2", question: "智能门锁保修几年？", answer: "整机保修2年。" },
  { id: "b-3", question: "产品培训在哪里报名？", answer: "在经销商后台「培训中心」报名。" },
  { id: "b-4", question: "账期可以延长吗？", answer: "金牌经销商可申请延长到60天。" },
];

export interface HubProcess {
  port: number;
  proc: ChildProcess;
  kill(): Promise<void>;
  stop(): Promise<void>;
}

/** Seeds a database with partners, their Slack identities and a small knowledge base. Returns the user ids. */
export async function seedBurstDatabase(url: string): Promise<string[]> {
  const { db, close } = await openDatabase(url);
  try {
    await upsertPartners(db, fakePartners(PARTNERS));
    const contacts = await db.contact.findMany({ select: { id: true }, orderBy: { id: "asc" } });
    await db.identity.createMany({ data: contacts.map((c) => ({ platform: "slack", externalId: `U${c.id}`, contactId: c.id })) });
    await db.kbEntry.createMany({ data: KB.map((e) => ({ ...e, tags: "[]", variants: "[]" })) });
    return contacts.map((c) => `U${c.id}`);
  } finally {
    await close();
  }
}

export async function startHubProcess(databaseUrl: string, slack: FakeSlack, opts: { clockOffsetMs?: number } = {}): Promise<HubProcess> {
  const proc = spawn(process.execPath, ["--import", "tsx", path.join(ROOT, "test/procs/hub-process.ts")], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      DATABASE_URL: databaseUrl,
      SLACK_BOT_TOKEN: "xoxb-burst",
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: slack.url,
      PORT: "0",
      LOG_LEVEL: process.env.HUB_PROCESS_LOG_LEVEL ?? "error",
      HUB_TEST_CLOCK_OFFSET_MS: String(opts.clockOffsetMs ?? 0),
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  proc.stderr!.on("data", (c) => (stderr = (stderr + c).slice(-4000)));
  if (process.env.HUB_PROCESS_LOG_LEVEL) proc.stderr!.on("data", (c) => process.stderr.write(c));
  const exited = new Promise<void>((r) => proc.once("exit", () => r()));
  const port = await new Promise<number>((resolve, reject) => {
    const lines = createInterface({ input: proc.stdout! });
    lines.on("line", (line) => {
      try {
        const ready = (JSON.parse(line) as { ready?: number }).ready;
        if (ready) resolve(ready);
      } catch {
        // a log line
      }
    });
    proc.once("exit", (code) => reject(new Error(`hub process exited (${code}) before it was ready:\n${stderr}`)));
  });
  return {
    port,
    proc,
    async kill() {
      proc.kill("SIGKILL");
      await exited;
    },
    async stop() {
      proc.kill("SIGTERM");
      await exited;
    },
  };
}

/** Message times start at this run's start, as a live burst's would. */
const BASE_TS = Math.floor(Date.now() / 1000);

/** Every so often a bad event, as probing found them: a `ts` that is not a time, a NUL in the text. */
const badTime = (i: number) => i % 50 === 7;
const nulInText = (i: number) => i % 50 === 32;
export const isBadEvent = (i: number) => badTime(i) || nulInText(i);

/** One Slack direct message: from one of the seeded users, in their DM channel, asking a question. */
export function slackDm(i: number, users: string[]) {
  const user = users[i % users.length];
  const channel = `D${user.slice(1)}`;
  const ts = badTime(i) ? `abc${i}` : `${BASE_TS + Math.floor(i / 1000)}.${String(i % 1000).padStart(6, "0")}`;
  const nul = nulInText(i) ? "\u0000" : "";
  const body = JSON.stringify({
    type: "event_callback",
    team_id: "T1",
    api_app_id: "A1",
    event_id: `EvBurst${i}`,
    event_time: BASE_TS,
    event: { type: "message", channel_type: "im", channel, user, text: `${QUESTIONS[i % QUESTIONS.length]}${nul}（${i}）`, ts },
  });
  return { body, messageId: `${channel}:${ts}` };
}

/** Posts one event; true when the hub answered 200 (Slack counts it as delivered and never sends it again). */
export async function deliver(port: number, body: string, retry = 0): Promise<boolean> {
  try {
    const res = await fetch(`http://127.0.0.1:${port}/slack/events`, {
      method: "POST",
      headers: { "content-type": "application/json", ...(await slackHeaders(SECRET, body)), ...(retry ? { "x-slack-retry-num": String(retry), "x-slack-retry-reason": "http_error" } : {}) },
      body,
    });
    await res.arrayBuffer();
    return res.status === 200;
  } catch {
    return false; // connection refused or reset: the hub is gone, Slack will retry
  }
}

/**
 * Sends `count` events spread over the hubs, `concurrency` at a time. With `killAfterAcks`, every hub is
 * killed (SIGKILL) as soon as that many were acknowledged; what was in flight then simply fails.
 */
export async function burst(hubs: HubProcess[], users: string[], count: number, concurrency: number, killAfterAcks?: number) {
  const acked = new Set<number>();
  let next = 0;
  let killed = false;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count && !killed) {
        const i = next++;
        if (await deliver(hubs[i % hubs.length].port, slackDm(i, users).body)) acked.add(i);
        if (killAfterAcks !== undefined && !killed && acked.size >= killAfterAcks) {
          killed = true;
          await Promise.all(hubs.map((h) => h.kill()));
        }
      }
    }),
  );
  return { acked, seconds: (performance.now() - t0) / 1000 };
}

/** Which of the events are stored, by their message ids. */
export async function storedEvents(databaseUrl: string, users: string[], indexes: Iterable<number>): Promise<Set<number>> {
  const wanted = new Map([...indexes].map((i) => [slackDm(i, users).messageId, i]));
  const { db, close } = await openDatabase(databaseUrl);
  try {
    const rows = await db.interaction.findMany({ where: { platform: "slack", direction: "IN" }, select: { externalMessageId: true } });
    return new Set(rows.map((r) => wanted.get(r.externalMessageId ?? "")).filter((i): i is number => i !== undefined));
  } finally {
    await close();
  }
}

/** Replies posted per inbound message, read from the delivery key each post carries as message metadata. */
export function repliesPerMessage(slack: FakeSlack): Map<string, number> {
  const counts = new Map<string, number>();
  for (const c of slack.calls) {
    if (c.method !== "chat.postMessage" || !c.args.metadata) continue;
    const meta = typeof c.args.metadata === "string" ? JSON.parse(c.args.metadata) : c.args.metadata;
    const parts = String((meta as { event_payload?: { key?: string } }).event_payload?.key ?? "").split(":");
    if (parts[0] !== "reply") continue;
    const messageId = `${parts[3]}:${parts[4]}`;
    counts.set(messageId, (counts.get(messageId) ?? 0) + 1);
  }
  return counts;
}

export interface FaultRun {
  sent: number;
  acked: number;
  storedOfAcked: number;
  lost: number;
  /** After the restart and Slack's retries: events answered more than once, and never. */
  answeredTwice: number;
  unanswered: number;
}

/**
 * The whole fault scenario: a burst killed mid-way, a restart (clock moved past the leases), Slack's
 * retries of every event that got no 200 plus a repeat of some that did, then every event answered once.
 */
export async function faultRun(databaseUrls: string[], count: number, killAfterAcks: number, opts: { concurrency?: number; answerTimeoutMs?: number } = {}): Promise<FaultRun> {
  const slack = await startFakeSlack();
  try {
    const users = await seedBurstDatabase(databaseUrls[0]);
    let hubs = await Promise.all(databaseUrls.map((u) => startHubProcess(u, slack)));
    const { acked } = await burst(hubs, users, count, opts.concurrency ?? 32, killAfterAcks);
    const stored = await storedEvents(databaseUrls[0], users, acked);
    // Restarted later (its clock past the dead instances' leases), and Slack retries what got no 200.
    hubs = await Promise.all(databaseUrls.map((u) => startHubProcess(u, slack, { clockOffsetMs: 5 * 60_000 })));
    try {
      const retry = Array.from({ length: count }, (_, i) => i).filter((i) => !acked.has(i) || i % 10 === 0);
      let k = 0;
      await Promise.all(
        Array.from({ length: 16 }, async () => {
          while (k < retry.length) {
            const i = retry[k++];
            await deliver(hubs[i % hubs.length].port, slackDm(i, users).body, 1);
          }
        }),
      );
      const ids = Array.from({ length: count }, (_, i) => slackDm(i, users).messageId);
      const deadline = Date.now() + (opts.answerTimeoutMs ?? 60_000);
      let replies = repliesPerMessage(slack);
      while (ids.some((id) => !replies.has(id)) && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 200));
        replies = repliesPerMessage(slack);
      }
      await new Promise((r) => setTimeout(r, 500)); // a late second answer would show by now
      replies = repliesPerMessage(slack);
      return {
        sent: count,
        acked: acked.size,
        storedOfAcked: stored.size,
        lost: acked.size - stored.size,
        answeredTwice: ids.filter((id) => (replies.get(id) ?? 0) > 1).length,
        unanswered: ids.filter((id) => !replies.has(id)).length,
      };
    } finally {
      await Promise.all(hubs.map((h) => h.stop()));
    }
  } finally {
    await slack.close();
  }
}
