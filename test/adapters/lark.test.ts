// Lark/Feishu through the real @larksuiteoapi/node-sdk: encrypted, signed events into the hub's
// webhook, the SDK Client sending to a local fake Open API.
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLarkAdapter } from "../../adapters/lark/index.ts";
import { importPartners } from "../../src/partners/transfer.ts";
import { addStaff } from "../../src/staff/store.ts";
import { checkLarkSignature } from "../../adapters/lark/verify.ts";
import { ConfigError, loadConfig } from "../../src/config.ts";
import { encryptedRequest, signedRequest, startFakeLark, type FakeLark, type SignOptions } from "../fakes/lark-api.ts";
import { PRIORITY } from "../../src/outbox/enqueue.ts";
import { backoffMs, MAX_ATTEMPTS, REPLY_RETRY_MS } from "../../src/outbox/worker.ts";
import { capturingLogger, pacedDaytimeClock, startPlatformHub, until } from "../helpers/platform-hub.ts";

const ENCRYPT_KEY = "test-encrypt-key";
const TOKEN = "test-verification-token";
const EXAMPLE = path.resolve(import.meta.dirname, "../../examples/partners.csv");

let lark: FakeLark;
let hub: Awaited<ReturnType<typeof startPlatformHub>>;
let seq = 0;
/** The hub's clock for request timestamps: real time plus what a test moves it by. */
let clockSkewMs = 0;

function messageEvent(from: string, chat: string, text: string, opts: { p2p?: boolean; mentionBot?: boolean; messageId?: string; eventId?: string; type?: string; content?: string } = {}) {
  const n = ++seq;
  return {
    schema: "2.0",
    header: { event_id: opts.eventId ?? `ev_${n}`, event_type: "im.message.receive_v1", create_time: String(Date.now()), token: TOKEN, app_id: "cli_a1b2c3d4e5f60718", tenant_key: "tk" },
    event: {
      sender: { sender_id: { open_id: from, union_id: `on_${from}`, user_id: from }, sender_type: "user", tenant_key: "tk" },
      message: {
        message_id: opts.messageId ?? `om_in_${n}`,
        chat_id: chat,
        chat_type: opts.p2p ? "p2p" : "group",
        message_type: opts.type ?? "text",
        content: opts.content ?? JSON.stringify({ text: opts.mentionBot ? `@_user_1 ${text}` : text }),
        mentions: opts.mentionBot ? [{ key: "@_user_1", id: { open_id: "ou_bot", union_id: "on_bot", user_id: "" }, name: "伙伴通", tenant_key: "tk" }] : [],
        create_time: String(Date.now()),
      },
    },
  };
}

async function deliver(event: unknown, opts: SignOptions = {}) {
  const { body, headers } = encryptedRequest(event, ENCRYPT_KEY, opts);
  return fetch(`${hub.url}/lark/events`, { method: "POST", headers, body });
}

async function postRaw(raw: string, opts: SignOptions = {}) {
  const { body, headers } = signedRequest(raw, ENCRYPT_KEY, opts);
  return fetch(`${hub.url}/lark/events`, { method: "POST", headers, body });
}

const refusals = () => logged.logs.filter((l) => l.msg === "lark webhook refused");

const sentText = (pred: (text: string) => boolean) =>
  lark.sent.filter((s) => s.body.msg_type === "text" && pred(JSON.parse(s.body.content).text as string));

const logged = capturingLogger();

/** The hub's clock: pacing waits and the test's retries move it. */
const paced = pacedDaytimeClock();

beforeAll(async () => {
  lark = await startFakeLark();
  const adapter = createLarkAdapter({
    appId: "cli_a1b2c3d4e5f60718",
    appSecret: "secret",
    encryptKey: ENCRYPT_KEY,
    verificationToken: TOKEN,
    domain: lark.url,
    mode: "webhook",
    logger: logged.logger,
    now: () => Date.now() + clockSkewMs,
  });
  hub = await startPlatformHub([adapter], { logged, paced });
  await importPartners(hub.db, EXAMPLE);
  await addStaff(hub.db, "周敏", "AGENT", ["lark:ou_staff"]);
});
afterAll(async () => {
  await hub.close();
  await lark.close();
});

describe("Lark inbound", () => {
  it("answers the URL verification challenge", async () => {
    const res = await deliver({ challenge: "abc123", token: TOKEN, type: "url_verification" });
    expect(await res.json()).toEqual({ challenge: "abc123" });
  });

  it("answers the URL check as Lark sends it with an Encrypt Key set (encrypted, unsigned), and not in plaintext", async () => {
    const encrypted = await deliver({ challenge: "c-enc", token: TOKEN, type: "url_verification" }, { unsigned: true });
    expect(await encrypted.json()).toEqual({ challenge: "c-enc" });
    const plaintext = await postRaw(JSON.stringify({ challenge: "c-plain", token: TOKEN, type: "url_verification" }), { unsigned: true });
    expect(plaintext.status).toBe(401);
    const otherKey = encryptedRequest({ challenge: "c-other", token: TOKEN, type: "url_verification" }, "someone-elses-key", { unsigned: true });
    expect((await fetch(`${hub.url}/lark/events`, { method: "POST", ...otherKey })).status).toBe(401);
  });

  it("binds a group by text command and logs the partner's messages against it", async () => {
    await deliver(messageEvent("ou_staff", "oc_hz", "/bind HZ001", { mentionBot: true }));
    const reply = await until(() => sentText((t) => t.includes("已将本群绑定到"))[0], "the bind reply");
    expect(reply.query).toBe("receive_id_type=chat_id");
    expect(reply.body.receive_id).toBe("oc_hz");
    expect(reply.token).toMatch(/^t-\d+$/);
    await deliver(messageEvent("ou_zhang", "oc_hz", "帐期可以延长吗"));
    const row = await until(() => hub.db.interaction.findFirst({ where: { platform: "lark", text: "帐期可以延长吗" } }), "the message row");
    const partner = await hub.db.partner.findUniqueOrThrow({ where: { code: "HZ001" } });
    expect(row.partnerId).toBe(partner.id);
  });

  it("shows a client card to staff in a private chat as an interactive card", async () => {
    await deliver(messageEvent("ou_staff", "oc_dm_staff", "/client SH002", { p2p: true }));
    const card = await until(() => lark.sent.find((s) => s.body.msg_type === "interactive" && s.body.receive_id === "oc_dm_staff"), "the card");
    const content = JSON.parse(card.body.content);
    expect(content.header.title.content).toBe("上海申达电器贸易有限公司（SH002）");
    expect(JSON.stringify(content.elements)).toContain("王强");
  });

  it("refuses staff commands from a partner and never shows a file in a partner group", async () => {
    await deliver(messageEvent("ou_zhang", "oc_hz", "/client SH002", { mentionBot: true }));
    await until(() => sentText((t) => t.includes("仅限员工使用")).length, "the refusal");
    await deliver(messageEvent("ou_staff", "oc_hz", "/client SH002", { mentionBot: true }));
    await until(() => sentText((t) => t.includes("不能在客户群里使用")).length, "the confidentiality refusal");
    expect(lark.sent.filter((s) => s.body.receive_id === "oc_hz" && s.body.content.includes("上海申达"))).toHaveLength(0);
  });

  it("stores a re-delivered event once and answers once", async () => {
    const event = messageEvent("ou_staff", "oc_dm_staff", "/whoami", { p2p: true, messageId: "om_fixed", eventId: "ev_fixed" });
    await deliver(event);
    await deliver(event);
    await until(() => sentText((t) => t.includes("您是员工 周敏")).length, "the answer");
    await until(() => logged.logs.find((l) => l.msg === "duplicate event ignored" && l.messageId === "om_fixed"), "the re-delivery recognised");
    await hub.app.log.flush();
    expect(await hub.db.interaction.count({ where: { platform: "lark", externalMessageId: "om_fixed" } })).toBe(1);
    expect(sentText((t) => t.includes("您是员工 周敏"))).toHaveLength(1);
  });

  it("refuses a bad signature, logs the refusal and leaves no trace in the history", async () => {
    await hub.app.worker.drain(); // earlier tests' replies are booked first
    const before = await hub.db.interaction.count();
    const res = await deliver(messageEvent("ou_zhang", "oc_hz", "伪造的消息"), { badSignature: true });
    expect(res.status).toBe(401);
    expect(refusals().some((l) => l.kind === "bad_signature" && l.status === 401 && l.path === "/lark/events")).toBe(true);
    await hub.app.log.flush();
    expect(await hub.db.interaction.count()).toBe(before);
  });

  it("refuses a forged event that carries the verification token but no signature, and stores nothing", async () => {
    const before = await hub.db.interaction.count();
    const forged = messageEvent("ou_zhang", "oc_hz", "伪造的明文消息", { messageId: "om_forged_plain" });
    const plaintext = await postRaw(JSON.stringify(forged), { unsigned: true });
    expect(plaintext.status).toBe(401);
    // Signed over the plaintext with the key: still not what Lark sends once an Encrypt Key is set.
    expect((await postRaw(JSON.stringify(forged))).status).toBe(401);
    expect((await deliver(messageEvent("ou_zhang", "oc_hz", "伪造的密文消息", { messageId: "om_forged_enc" }), { unsigned: true })).status).toBe(401);
    await hub.app.log.flush();
    expect(await hub.db.interaction.count()).toBe(before);
    expect(await hub.db.interaction.count({ where: { externalMessageId: { in: ["om_forged_plain", "om_forged_enc"] } } })).toBe(0);
    expect(refusals().some((l) => l.kind === "not_encrypted" && l.status === 401)).toBe(true);
    expect(refusals().some((l) => l.kind === "unsigned" && l.status === 401)).toBe(true);
  });

  it("refuses a request whose timestamp is over 5 minutes from the hub's clock, and accepts one inside", async () => {
    try {
      clockSkewMs = 6 * 60_000; // the hub's clock is 6 minutes past Lark's timestamp
      const stale = await deliver(messageEvent("ou_zhang", "oc_hz", "六分钟前签的", { messageId: "om_stale" }));
      expect(stale.status).toBe(401);
      clockSkewMs = -6 * 60_000; // from the future
      expect((await deliver(messageEvent("ou_zhang", "oc_hz", "来自未来", { messageId: "om_future" }))).status).toBe(401);
      clockSkewMs = 4 * 60_000;
      const fresh = await deliver(messageEvent("ou_zhang", "oc_hz", "四分钟前签的", { messageId: "om_fresh" }));
      expect(fresh.status).toBe(200);
      await until(() => hub.db.interaction.findFirst({ where: { externalMessageId: "om_fresh" } }), "the fresh event stored");
      await hub.app.log.flush();
      expect(await hub.db.interaction.count({ where: { externalMessageId: { in: ["om_stale", "om_future"] } } })).toBe(0);
      expect(refusals().filter((l) => l.kind === "stale_timestamp")).toHaveLength(2);
    } finally {
      clockSkewMs = 0;
    }
  });

  it("answers any signed body that is not an event with 400 and a one-line log, and keeps running", async () => {
    const before = refusals().length;
    // The outer body, signed: not an object.
    for (const raw of ["null", "[]", '"text"', "42", "true"]) expect((await postRaw(raw)).status, raw).toBe(400);
    // Encrypted and signed, but no event inside.
    for (const inner of [null, [], "text", 42]) expect((await deliver(inner)).status, JSON.stringify(inner)).toBe(400);
    const header = { event_id: "ev_bad", event_type: "im.message.receive_v1", token: TOKEN };
    const sender = { sender_id: { open_id: "ou_zhang" }, sender_type: "user" };
    const bad = [
      { schema: "2.0", header, event: { sender } }, // without its message
      { schema: "2.0", header, event: null },
      { schema: "2.0", header, event: { sender, message: { chat_id: "oc_hz", content: "{}" } } },
      { schema: "2.0", header, event: { message: messageEvent("ou_zhang", "oc_hz", "无发送人").event.message } },
      { schema: "2.0", header: { ...header, event_type: "card.action.trigger" }, event: { action: {} } },
      { schema: "2.0", header: { ...header, event_type: "im.chat.member.user.added_v1" }, event: { chat_id: "oc_hz", users: [null] } },
      { schema: "2.0", header: "im.message.receive_v1", token: TOKEN, event: {} },
    ];
    for (const event of bad) expect((await deliver(event)).status, JSON.stringify(event)).toBe(400);
    expect((await fetch(`${hub.url}/healthz`)).status).toBe(200);
    const lines = refusals().slice(before);
    expect(lines).toHaveLength(5 + 4 + bad.length);
    for (const l of lines) {
      expect(l).toMatchObject({ path: "/lark/events", status: 400 });
      expect(typeof l.kind).toBe("string");
      expect(l.err).toBeUndefined();
    }
    expect(JSON.stringify(lines)).not.toContain("无发送人");
    expect(logged.logs.some((l) => l.msg === "webhook handler failed" || l.msg === "lark event not handled")).toBe(false);
  });

  it("refuses malformed JSON, a wrong content type and a huge body", async () => {
    const post = (body: string, type = "application/json") => fetch(`${hub.url}/lark/events`, { method: "POST", headers: { "content-type": type }, body });
    expect((await post("{not json")).status).toBe(400);
    expect((await post("a=b", "application/x-www-form-urlencoded")).status).toBe(415);
    expect((await post(JSON.stringify({ x: "y".repeat(2 * 1024 * 1024) }))).status).toBe(413);
  });

  it("acknowledges an event type it does not handle without failing", async () => {
    const event = { ...messageEvent("ou_zhang", "oc_hz", "x"), header: { event_id: "ev_other", event_type: "im.message.reaction.created_v1", token: TOKEN } };
    const res = await deliver(event);
    expect(res.status).toBe(200);
  });

  it("keeps an image as a placeholder message", async () => {
    await deliver(messageEvent("ou_zhang", "oc_hz", "", { type: "image", content: JSON.stringify({ image_key: "img_1" }), messageId: "om_img" }));
    const row = await until(() => hub.db.interaction.findFirst({ where: { externalMessageId: "om_img" } }), "the image row");
    expect(row.text).toBe("[图片]");
  });

  it("records a card button press", async () => {
    const event = {
      schema: "2.0",
      header: { event_id: "ev_card_1", event_type: "card.action.trigger", token: TOKEN, create_time: String(Date.now()) },
      event: { operator: { open_id: "ou_zhang" }, token: "c-1", action: { tag: "button", value: { actionId: "poll:9:5", value: "5" } }, context: { open_message_id: "om_poll", open_chat_id: "oc_hz" } },
    };
    const res = await deliver(event);
    expect(await res.json()).toMatchObject({ toast: { type: "success" } });
    const row = await until(() => hub.db.interaction.findFirst({ where: { platform: "lark", kind: "action" } }), "the action row");
    expect(row.text).toBe("[操作] poll:9:5=5");
  });

  it("welcomes people who join a bound group", async () => {
    const event = {
      schema: "2.0",
      header: { event_id: "ev_join_1", event_type: "im.chat.member.user.added_v1", token: TOKEN },
      event: { chat_id: "oc_hz", operator_id: { open_id: "ou_zhang" }, users: [{ name: "新同事", user_id: { open_id: "ou_new" } }] },
    };
    await deliver(event);
    await until(() => sentText((t) => t.startsWith("欢迎新同事加入")).length, "the welcome");
  });
});

describe("Lark request signatures", () => {
  it("accept a timestamp up to 5 minutes either side of the clock given, and nothing further", () => {
    const at = 1_764_000_000;
    const { body, headers } = signedRequest('{"encrypt":"x"}', ENCRYPT_KEY, { timestamp: at });
    const check = (nowSeconds: number) => checkLarkSignature(headers, body, ENCRYPT_KEY, nowSeconds * 1000);
    expect([check(at), check(at + 300), check(at - 300)]).toEqual(["ok", "ok", "ok"]);
    expect([check(at + 301), check(at - 301)]).toEqual(["stale_timestamp", "stale_timestamp"]);
    expect(checkLarkSignature(headers, body.replace("x", "y"), ENCRYPT_KEY, at * 1000)).toBe("bad_signature");
    expect(checkLarkSignature({}, body, ENCRYPT_KEY, at * 1000)).toBe("unsigned");
  });
});

describe("Lark configuration", () => {
  const lark = { LARK_APP_ID: "cli_a1b2c3d4e5f60718", LARK_APP_SECRET: "secret", LARK_VERIFICATION_TOKEN: TOKEN };
  it("refuses webhook mode without an Encrypt Key, naming the variable in one line", () => {
    let err: unknown;
    try {
      loadConfig({ ...lark, LARK_MODE: "webhook" });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    const problem = (err as ConfigError).problems.find((p) => p.startsWith("LARK_ENCRYPT_KEY:"));
    expect(problem).toMatch(/webhook mode/);
    expect(problem).not.toContain("\n");
  });

  it("needs no Encrypt Key on the long connection, or when one is set", () => {
    expect(loadConfig({ ...lark, LARK_MODE: "ws" }).LARK_MODE).toBe("ws");
    expect(loadConfig({ ...lark, LARK_ENCRYPT_KEY: ENCRYPT_KEY }).LARK_ENCRYPT_KEY).toBe(ENCRYPT_KEY);
  });
});

describe("a handed-off question on Lark", () => {
  it("is answered later as a reply to the question message", async () => {
    await deliver(messageEvent("ou_zhang", "oc_hz", "下个月的经销商大会在哪里开？", { messageId: "om_q1" }));
    const q = await until(() => hub.db.question.findFirst({ where: { text: "下个月的经销商大会在哪里开？" } }), "the question");
    await deliver(messageEvent("ou_staff", "oc_dm_staff", `/answer ${q.id} 12月20日在杭州`, { p2p: true }));
    const answer = await until(() => lark.sent.find((s) => s.body.content.includes("12月20日在杭州")), "the answer");
    expect(answer.path).toBe("/open-apis/im/v1/messages/om_q1/reply");
    expect(answer.body.reply_in_thread).toBe(true);
    // Let every send of this exchange finish before the next test counts tokens.
    await until(() => sentText((t) => t.startsWith(`已回复问题 #${q.id}`)).length, "the staff confirmation");
  });
});

describe("Lark outbound failures", () => {
  it("fetches a new tenant token when Lark says the old one expired", async () => {
    const issued = lark.tokensIssued;
    lark.expireTokens();
    await deliver(messageEvent("ou_staff", "oc_dm_staff", "/help", { p2p: true }));
    const reply = await until(() => sentText((t) => t.startsWith("员工可用的命令"))[0], "the answer after refresh");
    expect(lark.tokensIssued).toBe(issued + 1);
    expect(reply.token).toBe(`t-${issued + 1}`);
  });

  it("a 5xx is retried by the outbox (not inside the adapter) and delivered once; one that persists fails with a logged reason", async () => {
    lark.failNext(1, { status: 503 });
    await deliver(messageEvent("ou_staff", "oc_dm_a", "/whoami", { p2p: true }));
    const queued = await until(() => hub.db.delivery.findFirst({ where: { externalChatId: "oc_dm_a", status: "PENDING", lastError: { not: null } } }), "the reply queued for a retry");
    expect(queued.lastError).toMatch(/^transient: Lark failing/);
    expect(lark.sent.filter((s) => s.body.receive_id === "oc_dm_a")).toHaveLength(0);
    paced.advance(REPLY_RETRY_MS);
    await hub.app.worker.drain();
    expect(lark.sent.filter((s) => s.body.receive_id === "oc_dm_a")).toHaveLength(1);

    lark.failNext(MAX_ATTEMPTS, { status: 500 });
    await deliver(messageEvent("ou_staff", "oc_dm_b", "/whoami", { p2p: true }));
    for (let attempt = 1; attempt < MAX_ATTEMPTS; attempt++) {
      await until(() => hub.db.delivery.findFirst({ where: { externalChatId: "oc_dm_b", status: "PENDING", attempts: attempt } }), `try ${attempt} failed`);
      paced.advance(backoffMs(attempt, PRIORITY.reply));
      await hub.app.worker.drain();
    }
    const failure = await until(() => hub.logs.find((l) => l.msg === "delivery failed" && String(l.delivery).includes("oc_dm_b")), "the logged failure");
    expect(failure).toMatchObject({ code: "transient", attempts: MAX_ATTEMPTS });
    expect(lark.sent.find((s) => s.body.receive_id === "oc_dm_b")).toBeUndefined();
    const history = await hub.db.interaction.findFirstOrThrow({ where: { kind: "send_failed", chat: { externalChatId: "oc_dm_b" } } });
    expect(history.direction).toBe("OUT");
  });
});
