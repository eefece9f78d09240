// Slack through the real @slack/bolt: signed requests into Bolt's HTTPReceiver on the hub's server,
// Bolt's WebClient answering to a local fake Web API.
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSlackAdapter } from "../../adapters/slack/index.ts";
import { importPartners } from "../../src/partners/transfer.ts";
import { addStaff } from "../../src/staff/store.ts";
import { slackHeaders, startFakeSlack, type FakeSlack } from "../fakes/slack-api.ts";
import { REPLY_RETRY_MS } from "../../src/outbox/worker.ts";
import { capturingLogger, pacedDaytimeClock, startPlatformHub, until } from "../helpers/platform-hub.ts";

const SECRET = "test-signing-secret";
const EXAMPLE = path.resolve(import.meta.dirname, "../../examples/partners.csv");

let slack: FakeSlack;
let hub: Awaited<ReturnType<typeof startPlatformHub>>;
let seq = 0;

async function post(body: string, contentType: string, extra: Record<string, string> = {}, secret = SECRET, timestamp?: number) {
  return fetch(`${hub.url}/slack/events`, {
    method: "POST",
    headers: { "content-type": contentType, ...(await slackHeaders(secret, body, timestamp)), ...extra },
    body,
  });
}

function messageEvent(event: Record<string, unknown>, eventId = `Ev${++seq}`) {
  return JSON.stringify({ type: "event_callback", team_id: "T1", api_app_id: "A1", event_id: eventId, event_time: 1, event: { type: "message", channel_type: "channel", ...event } });
}

const slashCommand = (user: string, command: string, text: string, channel = "D_STAFF") =>
  new URLSearchParams({ token: "x", team_id: "T1", channel_id: channel, channel_name: "directmessage", user_id: user, user_name: user.toLowerCase(), command, text, trigger_id: `trig-${++seq}`, response_url: "http://127.0.0.1:9/r" }).toString();

const logged = capturingLogger();
const refusals = () => logged.logs.filter((l) => l.msg === "slack webhook refused");

const posted = (method: string, pred: (a: Record<string, unknown>) => boolean = () => true) => slack.calls.filter((c) => c.method === method && pred(c.args));

/** The hub's clock: daytime, moved by pacing waits and by the tests' retries. */
const paced = pacedDaytimeClock();

beforeAll(async () => {
  slack = await startFakeSlack({ now: () => paced.clock.now().getTime() });
  slack.users.U_ZHANG = { name: "zhangwei", real_name: "张伟" };
  const adapter = createSlackAdapter({ botToken: "xoxb-test", signingSecret: SECRET, apiUrl: slack.url, logger: logged.logger, retries: 1 });
  hub = await startPlatformHub([adapter], { logged, paced });
  await importPartners(hub.db, EXAMPLE);
  await addStaff(hub.db, "周敏", "MANAGER", ["slack:U_STAFF"]);
  await hub.db.chat.create({ data: { platform: "slack", externalChatId: "C_HZ", kind: "group", partnerId: (await hub.db.partner.findUniqueOrThrow({ where: { code: "HZ001" } })).id } });
  await hub.db.chat.create({ data: { platform: "slack", externalChatId: "C_STAFF", kind: "group", internal: true } });
});
afterAll(async () => {
  await hub.close();
  await slack.close();
});

describe("Slack inbound", () => {
  it("logs a partner's channel message against the bound partner, with the sender's Slack name", async () => {
    const res = await post(messageEvent({ user: "U_ZHANG", text: "返利什么时候到账？", ts: "1763600000.000100", channel: "C_HZ" }), "application/json");
    expect(res.status).toBe(200);
    const row = await until(() => hub.db.interaction.findFirst({ where: { platform: "slack", text: "返利什么时候到账？" }, include: { contact: true } }), "the message row");
    expect(row.externalMessageId).toBe("C_HZ:1763600000.000100");
    expect(row.contact?.name).toBe("张伟（slack:U_ZHANG）");
    expect(row.partnerId).not.toBeNull();
  });

  it("answers a staff slash command privately, and refuses the same command from a partner", async () => {
    const res = await post(slashCommand("U_STAFF", "/client", "hzyf"), "application/x-www-form-urlencoded");
    expect(res.status).toBe(200);
    const reply = await until(() => posted("chat.postEphemeral", (a) => a.user === "U_STAFF" && String(a.text).includes("HZ007"))[0], "the private answer");
    expect(reply.args.text).toContain("找到 2 个客户");
    expect(reply.token).toBe("xoxb-test");

    await post(slashCommand("U_ZHANG", "/client", "SH002", "C_HZ"), "application/x-www-form-urlencoded");
    const refusal = await until(() => posted("chat.postEphemeral", (a) => a.user === "U_ZHANG")[0], "the refusal");
    expect(refusal.args.text).toContain("仅限员工使用");
    expect(await hub.db.auditLog.count({ where: { actor: "slack:U_ZHANG", allowed: false } })).toBe(1);
  });

  it("posts a shared answer in the channel when asked with 公开, as a Block Kit card", async () => {
    await post(slashCommand("U_STAFF", "/client", "SH002 公开", "C_STAFF"), "application/x-www-form-urlencoded");
    const card = await until(() => posted("chat.postMessage", (a) => a.channel === "C_STAFF")[0], "the card");
    expect(card.args.text).toContain("上海申达电器贸易有限公司（SH002）");
    const blocks = card.args.blocks as { type: string }[];
    expect(blocks[0].type).toBe("header");
    expect(blocks.some((b) => b.type === "section")).toBe(true);
  });

  it("replies in the thread a text command was asked in", async () => {
    await post(messageEvent({ user: "U_STAFF", text: "<@UBOT> /whoami", ts: "1763600100.000200", thread_ts: "1763600000.000100", channel: "C_STAFF" }), "application/json");
    const reply = await until(() => posted("chat.postMessage", (a) => String(a.text).includes("您是员工 周敏"))[0], "the threaded reply");
    expect(reply.args.thread_ts).toBe("1763600000.000100");
  });

  it("stores a retried event once and answers it once", async () => {
    const body = messageEvent({ user: "U_STAFF", text: "/help", ts: "1763600200.000300", channel: "D_STAFF", channel_type: "im" }, "EvRetry");
    await post(body, "application/json");
    await post(body, "application/json", { "x-slack-retry-num": "1", "x-slack-retry-reason": "http_timeout" });
    await until(() => posted("chat.postMessage", (a) => String(a.text).startsWith("员工可用的命令")).length, "the help answer");
    await until(() => hub.logs.find((l) => l.msg === "duplicate event ignored" && l.messageId === "D_STAFF:1763600200.000300"), "the retry recognised");
    await hub.app.log.flush();
    expect(await hub.db.interaction.count({ where: { externalMessageId: "D_STAFF:1763600200.000300" } })).toBe(1);
    expect(posted("chat.postMessage", (a) => String(a.text).startsWith("员工可用的命令"))).toHaveLength(1);
  });

  it("refuses forged and stale signatures, and logs nothing from them", async () => {
    await hub.app.worker.drain(); // earlier tests' replies are booked first
    const before = await hub.db.interaction.count();
    const forged = await post(messageEvent({ user: "U_ZHANG", text: "伪造", ts: "1763600300.000400", channel: "C_HZ" }), "application/json", {}, "wrong-secret");
    expect(forged.status).toBe(401);
    const stale = await post(messageEvent({ user: "U_ZHANG", text: "过期", ts: "1763600301.000400", channel: "C_HZ" }), "application/json", {}, SECRET, Math.floor(Date.now() / 1000) - 600);
    expect(stale.status).toBe(401);
    expect(refusals().filter((l) => l.kind === "bad_signature" && l.status === 401)).toHaveLength(2);
    await hub.app.log.flush();
    expect(await hub.db.interaction.count()).toBe(before);
  });

  it("answers a signed body that is not an object with 400 and a one-line log, and keeps running", async () => {
    const before = refusals().length;
    // A signed JSON null once killed the hub (Bolt read null.ssl_check in a promise nobody awaited).
    for (const body of ["null", "[]", '"text"', "42", "true"]) {
      const res = await post(body, "application/json");
      expect(res.status, body).toBe(400);
    }
    for (const payload of ["null", "[]", "7"]) expect((await post(new URLSearchParams({ payload }).toString(), "application/x-www-form-urlencoded")).status).toBe(400);
    expect((await fetch(`${hub.url}/healthz`)).status).toBe(200);
    const lines = refusals().slice(before);
    expect(lines).toHaveLength(8);
    for (const l of lines) expect(l).toMatchObject({ kind: "not_an_object", path: "/slack/events", status: 400 });
  });

  it("answers a signed body without the fields Slack always sends with 400, at once and without a 500", async () => {
    const before = refusals().length;
    const bodies: [string, string][] = [
      ["{}", "application/json"], // Bolt left it unacknowledged for 3 s, then 404
      [JSON.stringify({ type: "event_callback", event_id: "EvNo" }), "application/json"], // an event without its event
      [JSON.stringify({ type: "event_callback", event: null }), "application/json"],
      [messageEvent({ user: "U_ZHANG", text: "没有频道的消息", ts: "1763600700.000700" }), "application/json"],
      [messageEvent({ user: ["U_ZHANG"], text: "x", ts: "1763600701.000700", channel: "C_HZ" }), "application/json"],
      [JSON.stringify({ type: "event_callback", event: { type: "member_joined_channel", channel: "C_HZ" } }), "application/json"],
      // block_actions without a user, or with an empty action: Bolt answered 500
      [new URLSearchParams({ payload: JSON.stringify({ type: "block_actions", actions: [{}] }) }).toString(), "application/x-www-form-urlencoded"],
      [new URLSearchParams({ payload: JSON.stringify({ type: "block_actions", user: { id: "U_ZHANG" }, actions: [null] }) }).toString(), "application/x-www-form-urlencoded"],
      // a slash command without its channel: our listener threw after the ack
      [new URLSearchParams({ command: "/whoami", user_id: "U_STAFF", trigger_id: "t-1" }).toString(), "application/x-www-form-urlencoded"],
    ];
    for (const [body, type] of bodies) {
      const started = Date.now();
      const res = await post(body, type);
      expect(res.status, body).toBe(400);
      expect(Date.now() - started).toBeLessThan(1000);
    }
    expect((await fetch(`${hub.url}/healthz`)).status).toBe(200);
    const lines = refusals().slice(before);
    expect(lines.map((l) => l.status)).toEqual(bodies.map(() => 400));
    expect(JSON.stringify(lines)).not.toContain("没有频道的消息");
    await hub.app.log.flush();
    expect(await hub.db.interaction.count({ where: { text: { in: ["没有频道的消息", "x"] } } })).toBe(0);
    expect(logged.logs.some((l) => l.msg === "slack listener error" || l.msg === "slack event not handled")).toBe(false);
  });

  it("still acknowledges an event type it does not listen to, and Slack's SSL check", async () => {
    const body = JSON.stringify({ type: "event_callback", event_id: "EvReaction", event: { type: "reaction_added", user: "U_ZHANG", reaction: "thumbsup", item: { type: "message", channel: "C_HZ", ts: "1763600000.000100" } } });
    expect((await post(body, "application/json")).status).toBe(200);
    // Slack's SSL check comes unsigned; Bolt answers it, and what is smuggled with it is dropped.
    const ssl = await fetch(`${hub.url}/slack/events`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "ssl_check=1&payload=null" });
    expect(ssl.status).toBe(200);
  });

  it("records a button press from block_actions", async () => {
    const payload = JSON.stringify({
      type: "block_actions",
      trigger_id: "trig-action-1",
      user: { id: "U_ZHANG", name: "zhangwei" },
      channel: { id: "C_HZ", name: "hz" },
      team: { id: "T1" },
      container: { type: "message", message_ts: "1763600000.000100", channel_id: "C_HZ" },
      actions: [{ type: "button", action_id: "poll:7:4", block_id: "poll:7", value: "4", action_ts: "1763600400.000000" }],
    });
    const res = await post(new URLSearchParams({ payload }).toString(), "application/x-www-form-urlencoded");
    expect(res.status).toBe(200);
    const row = await until(() => hub.db.interaction.findFirst({ where: { platform: "slack", kind: "action" } }), "the action row");
    expect(row.text).toBe("[操作] poll:7:4=4");
    expect(row.partnerId).not.toBeNull();
  });

  it("keeps a shared file as a placeholder message, not dropped", async () => {
    await post(messageEvent({ user: "U_ZHANG", subtype: "file_share", text: "", ts: "1763600500.000500", channel: "C_HZ", files: [{ mimetype: "image/png", name: "a.png" }] }), "application/json");
    const row = await until(() => hub.db.interaction.findFirst({ where: { externalMessageId: "C_HZ:1763600500.000500" } }), "the file row");
    expect(row.text).toBe("[图片]");
    expect(JSON.parse(row.meta!)).toMatchObject({ contentType: "image" });
  });

  it("ignores its own messages and message edits", async () => {
    const before = await hub.db.interaction.count();
    await post(messageEvent({ user: "UBOT", bot_id: "BBOT", text: "我自己说的", ts: "1763600600.000600", channel: "C_HZ" }), "application/json");
    await post(messageEvent({ subtype: "message_changed", ts: "1763600601.000600", channel: "C_HZ" }), "application/json");
    // Both are dropped without waiting on anything (Bolt's ignoreSelf, then our subtype check); a later
    // message that does wait (a users.info lookup) being stored means they were passed over, not pending.
    await post(messageEvent({ user: "U_LATER", text: "哨兵", ts: "1763600602.000600", channel: "C_HZ" }), "application/json");
    await until(() => hub.db.interaction.findFirst({ where: { text: "哨兵" } }), "the sentinel");
    expect(await hub.db.interaction.count()).toBe(before + 1);
  });
});

describe("a handed-off question on Slack", () => {
  it("is answered later under the question, as a thread reply", async () => {
    await post(messageEvent({ user: "U_ZHANG", text: "下个月的经销商大会在哪里开？", ts: "1763600900.000900", channel: "C_HZ" }), "application/json");
    await until(() => posted("chat.postMessage", (a) => String(a.text).includes("这个问题我请同事")).length, "the hand-off notice");
    const q = await until(() => hub.db.question.findFirst({ where: { text: "下个月的经销商大会在哪里开？" } }), "the question");
    await post(slashCommand("U_STAFF", "/answer", `${q.id} 12月20日在杭州`), "application/x-www-form-urlencoded");
    const answer = await until(() => posted("chat.postMessage", (a) => String(a.text).includes("12月20日在杭州"))[0], "the answer");
    expect(answer.args).toMatchObject({ channel: "C_HZ", thread_ts: "1763600900.000900" });
  });
});

describe("Slack outbound failures", () => {
  it("a reply Slack rate-limits waits in the outbox as long as Retry-After says, then goes", async () => {
    await hub.app.worker.drain(); // what earlier tests planned (a hand-off's private note to 周敏) goes first
    slack.failNext("chat.postMessage", 429, 1, 30);
    await post(messageEvent({ user: "U_STAFF", text: "/whoami", ts: "1763600700.000700", channel: "D_STAFF", channel_type: "im" }), "application/json");
    const queued = await until(() => hub.db.delivery.findFirst({ where: { kind: "reply", externalChatId: "D_STAFF", lastError: { not: null } } }), "the reply waiting in the outbox");
    expect(queued.lastError).toMatch(/^rate_limited/);
    expect(queued.notBefore.getTime() - queued.createdAt.getTime()).toBeGreaterThanOrEqual(30_000);
    paced.advance(30_000);
    await hub.app.worker.drain();
    const sent = posted("chat.postMessage", (a) => a.channel === "D_STAFF" && String(a.text).includes("您是员工"));
    expect(sent).toHaveLength(1);
    // Not before Retry-After, by the hub's clock, as Slack saw the two requests.
    expect(sent[0].at - slack.failed.find((f) => f.status === 429)!.at).toBeGreaterThanOrEqual(30_000);
  });

  it("a reply Slack fails is retried from the outbox a few seconds later, and the hub keeps working", async () => {
    slack.failNext("chat.postMessage", 503, 1); // posting never retries inside the SDK: the outbox does
    await post(messageEvent({ user: "U_STAFF", text: "/help", ts: "1763600800.000800", channel: "D_STAFF2", channel_type: "im" }), "application/json");
    const retry = await until(() => hub.logs.find((l) => l.msg === "delivery will be retried" && String(l.delivery).includes("D_STAFF2")), "the logged retry");
    expect(retry).toMatchObject({ code: "transient", attempt: 1, retryInMs: REPLY_RETRY_MS });
    expect(slack.failed.filter((f) => f.status === 503)).toHaveLength(1);
    await post(messageEvent({ user: "U_STAFF", text: "/whoami", ts: "1763600801.000800", channel: "D_STAFF3", channel_type: "im" }), "application/json");
    await until(() => posted("chat.postMessage", (a) => a.channel === "D_STAFF3").length, "the next reply");
    expect(posted("chat.postMessage", (a) => a.channel === "D_STAFF2")).toHaveLength(0);
    paced.advance(REPLY_RETRY_MS);
    await hub.app.worker.drain();
    expect(posted("chat.postMessage", (a) => a.channel === "D_STAFF2" && String(a.text).includes("员工可用的命令"))).toHaveLength(1);
    const logged = await hub.db.interaction.findFirstOrThrow({ where: { platform: "slack", direction: "OUT", text: { contains: "员工可用的命令" }, chat: { externalChatId: "D_STAFF2" } } });
    expect(logged.kind).toBe("reply");
  });
});

describe("slack-manifest.yaml", () => {
  it("declares every hub command as a slash command, on the events URL", async () => {
    const { readFileSync } = await import("node:fs");
    const { BUILTIN_COMMANDS } = await import("../../src/commands/registry.ts");
    const manifest = readFileSync(path.resolve(import.meta.dirname, "../../adapters/slack/slack-manifest.yaml"), "utf8");
    const declared = [...manifest.matchAll(/- command: \/(\S+)\n\s+url: https:\/\/YOUR-HOST\/slack\/events/g)].map((m) => m[1]);
    expect(declared.sort()).toEqual(BUILTIN_COMMANDS.map((c) => c.name).sort());
  });
});
