// A local stand-in for Slack's Web API (POST {base}/api/<method>), recording what the real
// @slack/web-api client sends. Answers follow docs.slack.dev's documented shapes.
import http from "node:http";
import type { AddressInfo } from "node:net";

export interface SlackCall {
  method: string;
  args: Record<string, unknown>;
  token?: string;
  at: number;
}

export interface FakeSlack {
  url: string;
  calls: SlackCall[];
  /** Requests answered with an injected failure. */
  failed: { method: string; status: number; at: number }[];
  /** Make the next n calls to a method fail with an HTTP status (and Retry-After for 429). */
  failNext(method: string, status: number, times?: number, retryAfterSeconds?: number): void;
  /** The next call to a method is carried out, but the connection drops before the answer (a lost response). */
  dropNext(method: string): void;
  users: Record<string, { name: string; real_name?: string }>;
  close(): Promise<void>;
}

function parseBody(raw: string, type: string | undefined): Record<string, unknown> {
  if (type?.includes("application/json")) return JSON.parse(raw || "{}");
  const out: Record<string, unknown> = {};
  for (const [k, v] of new URLSearchParams(raw)) {
    out[k] = k === "blocks" || k === "attachments" ? JSON.parse(v) : v;
  }
  return out;
}

/** `now` stamps each call (tests pass the hub's clock to check pacing). */
export async function startFakeSlack(opts: { now?: () => number } = {}): Promise<FakeSlack> {
  const now = opts.now ?? Date.now;
  const calls: SlackCall[] = [];
  const failed: FakeSlack["failed"] = [];
  const failures = new Map<string, { status: number; times: number; retryAfter: number }>();
  const drops = new Set<string>();
  const users: FakeSlack["users"] = {};
  /** Posted messages per channel, newest last, as conversations.history returns them (newest first). */
  const history = new Map<string, { ts: string; text: unknown; thread_ts?: string; metadata?: unknown }[]>();
  let seq = 0;
  /** Slack's ts: the posting time in seconds, unique within the workspace. */
  const nextTs = () => `${Math.floor(now() / 1000)}.${String(++seq).padStart(6, "0")}`;
  const server = http.createServer((req, res) => {
    let raw = "";
    req.on("data", (c) => (raw += c));
    req.on("end", () => {
      const method = (req.url ?? "").replace(/^\/api\//, "").split("?")[0];
      const fail = failures.get(method);
      if (fail && fail.times > 0) {
        fail.times--;
        failed.push({ method, status: fail.status, at: now() });
        res.writeHead(fail.status, { "content-type": "application/json", ...(fail.status === 429 ? { "retry-after": String(fail.retryAfter) } : {}) });
        res.end(JSON.stringify({ ok: false, error: fail.status === 429 ? "ratelimited" : "internal_error" }));
        return;
      }
      const args = parseBody(raw, req.headers["content-type"]);
      calls.push({ method, args, token: req.headers.authorization?.replace(/^Bearer /, ""), at: now() });
      const ok = (body: object) => {
        if (drops.delete(method)) {
          req.socket.destroy();
          return;
        }
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify({ ok: true, ...body }));
      };
      switch (method) {
        case "auth.test":
          return ok({ user_id: "UBOT", bot_id: "BBOT", team_id: "T1", user: "partnerhub" });
        case "users.info": {
          const id = String(args.user);
          const u = users[id] ?? { name: id.toLowerCase() };
          return ok({ user: { id, name: u.name, real_name: u.real_name ?? u.name, profile: { display_name: u.real_name ?? u.name, real_name: u.real_name ?? u.name } } });
        }
        case "chat.postMessage": {
          // Posting to a user id goes to the DM with them, a D… channel, as Slack does.
          if (/^[UW]/.test(String(args.channel))) args.channel = `D${String(args.channel).slice(1)}`;
          const message = { ts: nextTs(), ...(args.thread_ts ? { thread_ts: String(args.thread_ts) } : {}), text: args.text, ...(args.metadata ? { metadata: typeof args.metadata === "string" ? JSON.parse(args.metadata) : args.metadata } : {}) };
          history.set(String(args.channel), [...(history.get(String(args.channel)) ?? []), message]);
          return ok({ channel: args.channel, ts: message.ts, message });
        }
        case "conversations.open":
          return ok({ channel: { id: `D${String(args.users).slice(1)}` } });
        case "conversations.history":
        case "conversations.replies": {
          // history: the channel's top-level messages; replies: one thread's. As Slack, neither shows the other.
          const oldest = Number(args.oldest ?? 0);
          const all = String(args.include_all_metadata) === "true";
          const thread = method === "conversations.replies" ? String(args.ts) : undefined;
          const messages = (history.get(String(args.channel)) ?? [])
            .filter((m) => Number(m.ts) > oldest && (thread ? m.thread_ts === thread : !m.thread_ts))
            .reverse()
            .map((m) => (all ? m : { ts: m.ts, text: m.text }));
          return ok({ messages, has_more: false, response_metadata: { next_cursor: "" } });
        }
        case "chat.postEphemeral":
          return ok({ message_ts: nextTs() });
        default:
          return ok({});
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/api/`,
    calls,
    failed,
    users,
    failNext(method, status, times = 1, retryAfterSeconds = 0) {
      failures.set(method, { status, times, retryAfter: retryAfterSeconds });
    },
    dropNext(method) {
      drops.add(method);
    },
    close: () => new Promise((r) => server.close(() => r())),
  };
}

/** Headers Slack puts on a request: v0 HMAC-SHA256 of "v0:{ts}:{body}" (docs.slack.dev, verifying requests). */
export async function slackHeaders(secret: string, body: string, timestamp = Math.floor(Date.now() / 1000)) {
  const { createHmac } = await import("node:crypto");
  const sig = createHmac("sha256", secret).update(`v0:${timestamp}:${body}`).digest("hex");
  return { "x-slack-request-timestamp": String(timestamp), "x-slack-signature": `v0=${sig}` };
}
