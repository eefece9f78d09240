// A question's choices through each platform's real inbound path (signed Slack requests into Bolt, encrypted
// Lark events, a wechaty mock room): Slack and Lark show them as buttons and a press answers with that entry,
// cited, under the question; a Slack retry of the press is answered and logged once; a press by someone other
// than the asker picks nothing (told privately on Slack); Lark's 都不是 reaches the staff chat with the choices
// listed; WeChat shows a numbered list that the asker's number answers and another member's number does not.
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PuppetMock, mock } from "wechaty-puppet-mock";
import type { Adapter } from "../../adapters/contract.ts";
import { createLarkAdapter } from "../../adapters/lark/index.ts";
import { createSlackAdapter } from "../../adapters/slack/index.ts";
import { createWechatAdapter } from "../../adapters/wechat/index.ts";
import { CHOICES_QUESTION, NONE_FITS } from "../../src/answer/choices.ts";
import { NOT_YOUR_CHOICES } from "../../src/hub/routes/pick.ts";
import { HANDOFF_POST_AFTER_MS } from "../../src/hub/routes/question.ts";
import { createLogger } from "../../src/lib/logger.ts";
import { importPartners } from "../../src/partners/transfer.ts";
import { addStaff } from "../../src/staff/store.ts";
import { encryptedRequest, startFakeLark, type FakeLark } from "../fakes/lark-api.ts";
import { slackHeaders, startFakeSlack, type FakeSlack } from "../fakes/slack-api.ts";
import { importKbEntries } from "../helpers/hub.ts";
import { pacedDaytimeClock, startPlatformHub, until } from "../helpers/platform-hub.ts";
import { WARRANTIES } from "../helpers/warranties.ts";

const EXAMPLE = path.resolve(import.meta.dirname, "../../examples/partners.csv");
/** As test/answer/choices.test.ts: "保修期多久" is close to three entries, sure of none. */
const WARRANTY_QUESTIONS = WARRANTIES.slice(0, 3).map((e) => e.question);
/** What a partner reads under their question once they picked `id`. */
const answerOf = (id: string) => {
  const e = WARRANTIES.find((w) => w.id === id)!;
  return `${e.answer}\n——出自知识库「${e.question}」（${id}）`;
};
const silent = createLogger("silent");
const nowSeconds = () => Math.floor(Date.now() / 1000);

type Hub = Awaited<ReturnType<typeof startPlatformHub>>;

/** A hub on one platform, HZ001's group bound on it, 周敏 its staff, the warranty entries in the knowledge base. */
async function hubWith(adapter: Adapter, paced: ReturnType<typeof pacedDaytimeClock>, staffId: string, groupId: string, env: Record<string, string> = {}) {
  const hub = await startPlatformHub([adapter], { paced, env });
  await importPartners(hub.db, EXAMPLE);
  await importKbEntries(hub.db, WARRANTIES);
  await addStaff(hub.db, "周敏", "MANAGER", [`${adapter.platform}:${staffId}`]);
  const partner = await hub.db.partner.findUniqueOrThrow({ where: { code: "HZ001" } });
  await hub.db.chat.create({ data: { platform: adapter.platform, externalChatId: groupId, kind: "group", partnerId: partner.id } });
  hub.app.hub.forgetCaches();
  return hub;
}

const promptOf = (hub: Hub, addressee: string) => until(() => hub.db.prompt.findFirst({ where: { addressee } }), `${addressee}'s choices`);

describe("choices on Slack: buttons", () => {
  const SECRET = "choices-secret";
  const Q_TS = `${nowSeconds()}.000100`;
  const paced = pacedDaytimeClock();
  let slack: FakeSlack;
  let hub: Hub;
  let seq = 0;
  /** The choices message's ts (the pressed buttons' container) and its buttons, as Slack received them. */
  let choicesTs = "";
  let buttons: { action_id: string; value: string; text: { text: string } }[] = [];
  const post = async (body: string, type: string, extra: Record<string, string> = {}) =>
    fetch(`${hub.url}/slack/events`, { method: "POST", headers: { "content-type": type, ...(await slackHeaders(SECRET, body)), ...extra }, body });
  /** A block_actions payload: `user` pressing the choices message's button `actionId` (its trigger_id names the press). */
  const press = (user: string, actionId: string, value: string, triggerId = `trig-${++seq}`) =>
    new URLSearchParams({
      payload: JSON.stringify({
        type: "block_actions", trigger_id: triggerId, user: { id: user }, channel: { id: "C_HZ" }, team: { id: "T1" },
        container: { type: "message", channel_id: "C_HZ", message_ts: choicesTs },
        actions: [{ type: "button", action_id: actionId, block_id: actionId.replace(/:\d+$/, ""), value, action_ts: `${nowSeconds()}.000200` }],
      }),
    }).toString();
  const posts = (pred: (a: Record<string, unknown>) => boolean) => slack.calls.filter((c) => c.method === "chat.postMessage" && pred(c.args));

  beforeAll(async () => {
    slack = await startFakeSlack({ now: () => paced.clock.now().getTime() });
    hub = await hubWith(createSlackAdapter({ botToken: "xoxb-test", signingSecret: SECRET, apiUrl: slack.url, logger: silent, retries: 0 }), paced, "U_STAFF", "C_HZ");
  });
  afterAll(async () => {
    await hub.close();
    await slack.close();
  });

  it("offers the closest entries as buttons poll:q-<id>:1.. with 都不是 as :0", async () => {
    const event = { type: "message", channel: "C_HZ", channel_type: "channel", user: "U_ZHANG", text: "保修期多久", ts: Q_TS };
    expect((await post(JSON.stringify({ type: "event_callback", team_id: "T1", event_id: "EvQ1", event }), "application/json")).status).toBe(200);
    const offer = await until(() => posts((a) => a.channel === "C_HZ" && Array.isArray(a.blocks))[0], "the choices");
    const prompt = await promptOf(hub, "slack:U_ZHANG");
    expect(offer.args.text).toBe(CHOICES_QUESTION);
    buttons = (offer.args.blocks as { elements?: typeof buttons }[]).flatMap((b) => b.elements ?? []);
    expect(buttons.map((b) => b.action_id)).toEqual([1, 2, 3, 0].map((n) => `poll:q-${prompt.id}:${n}`));
    expect(buttons.map((b) => b.text.text).sort()).toEqual([...WARRANTY_QUESTIONS, NONE_FITS].sort());
    expect(buttons.at(-1)!.text.text).toBe(NONE_FITS);
    await hub.app.worker.drain();
    choicesTs = (await hub.db.interaction.findFirstOrThrow({ where: { direction: "OUT", kind: "choices" } })).externalMessageId!.split(":")[1];
  });

  it("tells someone else pressing the asker's button, privately, that the choices are not theirs, and picks nothing", async () => {
    const [, second] = buttons;
    expect((await post(press("U_LI", second.action_id, second.value), "application/x-www-form-urlencoded")).status).toBe(200);
    const told = await until(() => slack.calls.find((c) => c.method === "chat.postEphemeral" && c.args.user === "U_LI"), "the private notice");
    expect(told.args).toMatchObject({ channel: "C_HZ", text: NOT_YOUR_CHOICES });
    expect(posts((a) => String(a.text).includes("——出自知识库"))).toHaveLength(0);
    expect(await hub.db.prompt.findFirstOrThrow({ where: { addressee: "slack:U_ZHANG" } })).toMatchObject({ status: "OPEN", pickedEntryId: null });
  });

  it("answers the asker's press of option 2 in the question's thread, once and logged once when Slack delivers it again", async () => {
    const [, second] = buttons;
    const body = press("U_ZHANG", second.action_id, second.value, "trig-pick");
    expect((await post(body, "application/x-www-form-urlencoded")).status).toBe(200);
    expect((await post(body, "application/x-www-form-urlencoded", { "x-slack-retry-num": "1", "x-slack-retry-reason": "http_timeout" })).status).toBe(200);
    const answer = await until(() => posts((a) => String(a.text).includes("——出自知识库"))[0], "the answer");
    expect(answer.args).toMatchObject({ channel: "C_HZ", thread_ts: Q_TS, text: answerOf(second.value) });
    expect(answer.args.text).toContain(`「${second.text.text}」`);
    await until(() => hub.logs.find((l) => l.msg === "duplicate event ignored" && l.messageId === "act:trig-pick"), "the retry recognised");
    await hub.app.worker.drain();
    await hub.app.log.flush();
    expect(posts((a) => String(a.text).includes("——出自知识库"))).toHaveLength(1);
    const pressed = await hub.db.interaction.findMany({ where: { externalMessageId: "act:trig-pick" } });
    expect(pressed.map((r) => [r.direction, r.kind, r.text])).toEqual([["IN", "action", `[操作] ${second.action_id}=${second.value}`]]);
    const answered = await hub.db.interaction.findMany({ where: { inReplyTo: "act:trig-pick" } });
    // Filed as "picked", apart from direct answers (src/hub/routes/pick.ts: the morning digest counts each).
    expect(answered.map((r) => [r.direction, r.kind, r.text])).toEqual([["OUT", "picked", answerOf(second.value)]]);
    expect(await hub.db.prompt.findFirstOrThrow({ where: { addressee: "slack:U_ZHANG" } })).toMatchObject({ status: "PICKED", pickedEntryId: second.value });
  });
});

describe("choices on Lark: a card with buttons", () => {
  const KEY = "choices-encrypt-key";
  const paced = pacedDaytimeClock();
  let lark: FakeLark;
  let hub: Hub;
  const deliver = async (event: object) => {
    const { body, headers } = encryptedRequest(event, KEY);
    return fetch(`${hub.url}/lark/events`, { method: "POST", headers, body });
  };
  const ask = (from: string, text: string, messageId: string) =>
    deliver({
      schema: "2.0", header: { event_id: `ev_${messageId}`, event_type: "im.message.receive_v1" },
      event: { sender: { sender_id: { open_id: from }, sender_type: "user" }, message: { message_id: messageId, chat_id: "oc_hz", chat_type: "group", message_type: "text", content: JSON.stringify({ text }), mentions: [] } },
    });
  const press = (from: string, button: CardButton, cardId: string) =>
    deliver({
      schema: "2.0", header: { event_id: `ev_press_${from}_${button.value.actionId}`, event_type: "card.action.trigger" },
      event: { operator: { open_id: from }, action: { tag: "button", value: button.value }, context: { open_message_id: cardId, open_chat_id: "oc_hz" } },
    });
  type CardButton = { text: { content: string }; value: { actionId: string; value: string } };
  /** The card offered to `addressee`: its buttons, and the id Lark gave it. */
  async function cardFor(addressee: string) {
    const prompt = await promptOf(hub, addressee);
    const i = await until(() => { const n = lark.sent.findIndex((s) => s.body.msg_type === "interactive" && s.body.content.includes(`poll:${prompt.ref}:`)); return n >= 0 ? n + 1 : 0; }, `the card for ${addressee}`);
    const content = JSON.parse(lark.sent[i - 1].body.content);
    const buttons: CardButton[] = content.elements.flatMap((e: { actions?: CardButton[] }) => e.actions ?? []);
    return { prompt, content, buttons, cardId: `om_${i}` };
  }
  const sentText = () => lark.sent.filter((s) => s.body.msg_type === "text").map((s) => ({ ...s, text: JSON.parse(s.body.content).text as string }));

  beforeAll(async () => {
    lark = await startFakeLark({ now: () => paced.clock.now().getTime() });
    const adapter = createLarkAdapter({ appId: "cli_a1b2c3d4e5f60718", appSecret: "secret", encryptKey: KEY, domain: lark.url, mode: "webhook", logger: silent });
    hub = await hubWith(adapter, paced, "ou_staff", "oc_hz", { HUB_STAFF_CHAT: "lark:oc_staff" });
  });
  afterAll(async () => {
    await hub.close();
    await lark.close();
  });

  it("offers the choices as a card, and answers a pressed option as a reply to the question message", async () => {
    await ask("ou_zhang", "保修期多久", "om_q_zhang");
    const { prompt, content, buttons, cardId } = await cardFor("lark:ou_zhang");
    expect(JSON.stringify(content.elements)).toContain(CHOICES_QUESTION);
    expect(buttons.map((b) => b.value.actionId)).toEqual([1, 2, 3, 0].map((n) => `poll:${prompt.ref}:${n}`));
    expect(buttons.map((b) => b.text.content).sort()).toEqual([...WARRANTY_QUESTIONS, NONE_FITS].sort());
    const third = buttons[2];
    const res = await press("ou_zhang", third, cardId);
    expect(await res.json()).toMatchObject({ toast: { type: "success" } });
    const answer = await until(() => sentText().find((s) => s.text.includes("——出自知识库")), "the answer");
    expect(answer.text).toBe(answerOf(third.value.value));
    expect(answer.text).toContain(`「${third.text.content}」`);
    expect(answer.path).toBe("/open-apis/im/v1/messages/om_q_zhang/reply");
    expect(await hub.db.prompt.findUniqueOrThrow({ where: { id: prompt.id } })).toMatchObject({ status: "PICKED", pickedEntryId: third.value.value });
  });

  it("hands the question to the staff chat with the choices listed when 都不是 is pressed", async () => {
    await ask("ou_li", "保修几年", "om_q_li");
    const { prompt, buttons, cardId } = await cardFor("lark:ou_li");
    const none = buttons.at(-1)!;
    expect(none.text.content).toBe(NONE_FITS);
    await press("ou_li", none, cardId);
    const notice = await until(() => sentText().find((s) => s.path === "/open-apis/im/v1/messages/om_q_li/reply"), "the partner's notice");
    expect(notice.text).toMatch(/^这个问题我请同事周敏跟进，会尽快回复您（问题编号 #\d+）。$/);
    paced.advance(HANDOFF_POST_AFTER_MS);
    await hub.app.worker.drain();
    const staff = await until(() => sentText().find((s) => s.body.receive_id === "oc_staff"), "the staff post");
    const listed = JSON.parse(prompt.options).map((o: { value: string; label: string }) => `· ${o.value} ${o.label}`).join("\n");
    expect(staff.text).toContain("：保修几年\n");
    expect(staff.text).toContain(`已给客户这些选项，客户回答「都不是」：\n${listed}`);
    expect(await hub.db.question.findFirstOrThrow({ where: { text: "保修几年" } })).toMatchObject({ via: "NONE_FIT" });
    expect(sentText().filter((s) => s.body.receive_id === "oc_staff")).toHaveLength(1);
  });
});

describe("choices on WeChat: a numbered list", () => {
  const paced = pacedDaytimeClock();
  let hub: Hub;
  let mocker: mock.Mocker;
  let me: mock.ContactMock, zhang: mock.ContactMock, li: mock.ContactMock;
  let room: mock.RoomMock;
  const said: string[] = [];

  beforeAll(async () => {
    mocker = new mock.Mocker();
    const puppet = new PuppetMock({ mocker });
    puppet.on("message", async ({ messageId }) => {
      const m = await puppet.messagePayload(messageId);
      if (m.talkerId === me?.id) said.push(m.text ?? "");
    });
    me = mocker.createContact({ name: "伙伴通" });
    const zhou = mocker.createContact({ name: "周敏" });
    zhang = mocker.createContact({ name: "张伟" });
    li = mocker.createContact({ name: "李娜" });
    room = mocker.createRoom({ topic: "云帆 × 伙伴通 服务群", memberIdList: [me.id, zhou.id, zhang.id, li.id] });
    // A fast pace: the outbox's waits move the hub's clock, nothing sleeps.
    hub = await hubWith(createWechatAdapter({ puppet, logger: silent, drawQr: () => {} }), paced, zhou.id, room.id, { HUB_WECHAT_PER_MINUTE: "60" });
    mocker.login(me);
    puppet.emit("ready", { data: "contacts loaded" });
  });
  afterAll(() => hub.close());

  it("sends the numbered list; another member's number picks nothing; the asker's 1 is answered, cited", async () => {
    zhang.say("保修期多久", [me]).to(room);
    const list = await until(() => said.find((s) => s.startsWith(CHOICES_QUESTION)), "the numbered choices");
    const labels = list.split("\n").slice(1, 4).map((l) => l.replace(/^\d\. /, ""));
    expect(list).toMatch(new RegExp(`^${CHOICES_QUESTION}\\n1\\. .+\\n2\\. .+\\n3\\. .+\\n0\\. ${NONE_FITS}\\n回复数字即可$`));
    expect([...labels].sort()).toEqual([...WARRANTY_QUESTIONS].sort());
    const prompt = await promptOf(hub, `wechat:${zhang.id}`);

    li.say("2").to(room);
    await until(() => hub.db.interaction.findFirst({ where: { platform: "wechat", direction: "IN", text: "2" } }), "li's 2 stored");
    expect(await hub.db.prompt.findUniqueOrThrow({ where: { id: prompt.id } })).toMatchObject({ status: "OPEN", pickedEntryId: null });

    zhang.say("1").to(room);
    const first = WARRANTIES.find((w) => w.question === labels[0])!;
    await until(() => said.find((s) => s === answerOf(first.id)), "the answer to 1");
    await hub.app.worker.drain();
    expect(said.filter((s) => s.includes("——出自知识库"))).toEqual([answerOf(first.id)]);
    expect(await hub.db.prompt.findUniqueOrThrow({ where: { id: prompt.id } })).toMatchObject({ status: "PICKED", pickedEntryId: first.id });
  });
});
