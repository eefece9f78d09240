// One contract, every adapter: the same behaviour through the console, Slack, Lark and WeChat, each
// driven through its real SDK path (signed HTTP, encrypted webhook, mock puppet).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PuppetMock, mock } from "wechaty-puppet-mock";
import { createConsoleAdapter, type ConsoleOutput } from "../../adapters/console/index.ts";
import type { Adapter, ChatRef, OutboundMessage, Platform } from "../../adapters/contract.ts";
import { createLarkAdapter } from "../../adapters/lark/index.ts";
import { createSlackAdapter } from "../../adapters/slack/index.ts";
import { createWechatAdapter } from "../../adapters/wechat/index.ts";
import { createLogger } from "../../src/lib/logger.ts";
import { addStaff } from "../../src/staff/store.ts";
import { encryptedRequest, startFakeLark } from "../fakes/lark-api.ts";
import { slackHeaders, startFakeSlack } from "../fakes/slack-api.ts";
import { startPlatformHub, until } from "../helpers/platform-hub.ts";

interface Driver {
  platform: Platform;
  adapter: Adapter;
  /** Account ids on the platform for a staff member and a partner's contact. */
  staff: string;
  partner: string;
  group: ChatRef;
  direct(of: string): ChatRef;
  /** Everything the bot has said so far, as text. */
  said(): string[];
  say(from: string, text: string, chat: ChatRef): Promise<void>;
  /** What a poll looks like on this platform (rendered by the adapter, seen at the fake). */
  seenPoll(): Promise<string>;
  /** Answer option n (carrying value) of a poll the way this platform lets people answer. */
  vote?(from: string, pollId: string, n: number, value: string): Promise<void>;
  close(): Promise<void>;
}

const silent = createLogger("silent");
let seq = 0;

async function consoleDriver(): Promise<Driver> {
  const out: ConsoleOutput[] = [];
  const adapter = createConsoleAdapter({ output: (o) => out.push(o) });
  return {
    platform: "console",
    adapter,
    staff: "zhou",
    partner: "zhang",
    group: { id: "grp", kind: "group" },
    direct: (of) => ({ id: `dm:${of}`, kind: "direct" }),
    said: () => out.map((o) => o.rendered),
    say: (from, text, chat) => adapter.say(from, text, chat.kind === "group" ? chat.id : undefined),
    async seenPoll() {
      return out.at(-1)!.rendered;
    },
    close: async () => {},
  };
}

async function slackDriver(): Promise<Driver> {
  const slack = await startFakeSlack();
  const adapter = createSlackAdapter({ botToken: "xoxb-c", signingSecret: "s", apiUrl: slack.url, logger: silent });
  let url = "";
  const post = async (body: string, type: string) => {
    await fetch(`${url}/slack/events`, { method: "POST", headers: { "content-type": type, ...(await slackHeaders("s", body)) }, body });
  };
  const posts = () => slack.calls.filter((c) => c.method.startsWith("chat.post"));
  return {
    platform: "slack",
    adapter,
    staff: "U_STAFF",
    partner: "U_ZHANG",
    group: { id: "C_GRP", kind: "group" },
    direct: (of) => ({ id: `D_${of}`, kind: "direct" }),
    said: () => posts().map((c) => String(c.args.text)),
    async say(from, text, chat) {
      const ts = `17636${String(++seq).padStart(5, "0")}.000100`;
      const event = { type: "message", channel: chat.id, channel_type: chat.kind === "direct" ? "im" : "channel", user: from, text, ts };
      await post(JSON.stringify({ type: "event_callback", event_id: `Ev${seq}`, team_id: "T1", event }), "application/json");
    },
    async seenPoll() {
      return JSON.stringify(posts().at(-1)!.args.blocks);
    },
    async vote(from, pollId, n, value) {
      const payload = { type: "block_actions", trigger_id: `t${++seq}`, user: { id: from }, channel: { id: "C_GRP" }, team: { id: "T1" }, actions: [{ action_id: `poll:${pollId}:${n}`, value, action_ts: "1763600000.1" }] };
      await post(new URLSearchParams({ payload: JSON.stringify(payload) }).toString(), "application/x-www-form-urlencoded");
    },
    set url(u: string) {
      url = u;
    },
    close: () => slack.close(),
  } as Driver & { url: string };
}

async function larkDriver(): Promise<Driver> {
  const lark = await startFakeLark();
  const key = "k";
  const adapter = createLarkAdapter({ appId: "cli_a1b2c3d4e5f60718", appSecret: "s", encryptKey: key, domain: lark.url, mode: "webhook", logger: silent });
  let url = "";
  const deliver = async (event: object) => {
    const { body, headers } = encryptedRequest(event, key);
    await fetch(`${url}/lark/events`, { method: "POST", headers, body });
  };
  const text = (c: string) => {
    const parsed = JSON.parse(c);
    return parsed.text ?? JSON.stringify(parsed);
  };
  return {
    platform: "lark",
    adapter,
    staff: "ou_staff",
    partner: "ou_zhang",
    group: { id: "oc_grp", kind: "group" },
    direct: (of) => ({ id: `oc_dm_${of}`, kind: "direct" }),
    said: () => lark.sent.map((s) => text(s.body.content)),
    async say(from, t, chat) {
      const n = ++seq;
      const message = { message_id: `om_in_${n}`, chat_id: chat.id, chat_type: chat.kind === "direct" ? "p2p" : "group", message_type: "text", content: JSON.stringify({ text: `@_user_1 ${t}` }), mentions: [{ key: "@_user_1", id: { open_id: "ou_bot" }, name: "伙伴通" }] };
      await deliver({ schema: "2.0", header: { event_id: `ev_${n}`, event_type: "im.message.receive_v1" }, event: { sender: { sender_id: { open_id: from }, sender_type: "user" }, message } });
    },
    async seenPoll() {
      return lark.sent.at(-1)!.body.content;
    },
    async vote(from, pollId, n, value) {
      await deliver({ schema: "2.0", header: { event_id: `ev_v${++seq}`, event_type: "card.action.trigger" }, event: { operator: { open_id: from }, action: { value: { actionId: `poll:${pollId}:${n}`, value } }, context: { open_message_id: "om_p", open_chat_id: "oc_grp" } } });
    },
    set url(u: string) {
      url = u;
    },
    close: () => lark.close(),
  } as Driver & { url: string };
}

async function wechatDriver(): Promise<Driver> {
  const mocker = new mock.Mocker();
  const puppet = new PuppetMock({ mocker });
  const said: string[] = [];
  const adapter = createWechatAdapter({ puppet, logger: silent, drawQr: () => {} });
  const me = mocker.createContact({ name: "伙伴通" });
  const people = { zhou: mocker.createContact({ name: "周敏" }), zhang: mocker.createContact({ name: "张伟" }) };
  puppet.on("message", async ({ messageId }) => {
    const m = await puppet.messagePayload(messageId);
    if (m.talkerId === me.id) said.push(m.text ?? "");
  });
  let room: mock.RoomMock;
  const byId = (id: string) => Object.values(people).find((p) => p.id === id)!;
  return {
    platform: "wechat",
    adapter,
    get staff() {
      return people.zhou.id;
    },
    get partner() {
      return people.zhang.id;
    },
    get group() {
      room ??= mocker.createRoom({ topic: "服务群", memberIdList: [me.id, people.zhou.id, people.zhang.id] });
      return { id: room.id, kind: "group" as const };
    },
    direct: (of) => ({ id: of, kind: "direct" }),
    said: () => said,
    async say(from, text, chat) {
      if (!puppet.isLoggedIn) {
        mocker.login(me);
        puppet.emit("ready", { data: "contacts loaded" }); // real puppets say so once contacts are loaded
      }
      if (chat.kind === "group") byId(from).say(text, [me]).to(room);
      else byId(from).say(text).to(me);
    },
    async seenPoll() {
      return said.at(-1)!;
    },
    close: async () => {},
  };
}

const DRIVERS = { console: consoleDriver, slack: slackDriver, lark: larkDriver, wechat: wechatDriver };


describe.each(Object.entries(DRIVERS))("adapter contract: %s", (_name, make) => {
  let d: Driver & { url?: string };
  let hub: Awaited<ReturnType<typeof startPlatformHub>>;

  beforeAll(async () => {
    d = await make();
    hub = await startPlatformHub([d.adapter]); // daytime, and pacing waits move the clock
    if ("url" in d) d.url = hub.url;
    const partner = await hub.db.partner.create({ data: { code: "C1", name: "契约测试客户", city: "杭州", tier: "KEY", searchKey: "契约测试客户|c1", ownerName: "周敏" } });
    await addStaff(hub.db, "周敏", "AGENT", [`${d.platform}:${d.staff}`]);
    await hub.db.chat.create({ data: { platform: d.platform, externalChatId: d.group.id, kind: "group", partnerId: partner.id } });
  });
  afterAll(async () => {
    await hub.close();
    await d.close();
  });

  it("inbound message -> Interaction row in the partner's history", async () => {
    await d.say(d.partner, "请问新品什么时候上市", d.group);
    const row = await until(() => hub.db.interaction.findFirst({ where: { platform: d.platform, text: { contains: "请问新品什么时候上市" } } }), "the row");
    expect(row.direction).toBe("IN");
    expect(row.partnerId).not.toBeNull();
  });

  it("a staff command is answered, and the answer is logged", async () => {
    await d.say(d.staff, "/whoami", d.direct(d.staff));
    await until(() => d.said().find((t) => t.includes("您是员工 周敏")), "the answer");
    // The platform has it; the history gets it right after the send returns.
    const logged = () => hub.db.interaction.count({ where: { platform: d.platform, direction: "OUT", text: { contains: "您是员工 周敏" } } });
    await until(async () => (await logged()) > 0, "the logged answer");
    expect(await logged()).toBe(1);
  });

  it("the same command from a partner is refused", async () => {
    await d.say(d.partner, "/client C1", d.group);
    await until(() => d.said().find((t) => t.includes("仅限员工使用")), "the refusal");
  });

  it("a poll is rendered the platform's way", async () => {
    const poll: OutboundMessage = { type: "poll", pollId: "42", question: "本季度服务满意度？", options: [1, 2, 3, 4, 5].map((n) => ({ value: String(n), label: `${n} 分` })) };
    await d.adapter.send({ chatId: d.group.id }, poll);
    const seen = await until(() => d.seenPoll().catch(() => ""), "the poll");
    if (d.adapter.capabilities.buttons) expect(seen).toContain("poll:42:5");
    else expect(seen).toContain("请直接回复数字 1-5");
  });

  it("a vote (button, or numbered reply) is recorded in the partner's history", async () => {
    await hub.app.hub.sendTo(d.platform, d.group.id, { type: "poll", pollId: "42", question: "本季度服务满意度？", options: [1, 2, 3, 4, 5].map((n) => ({ value: `score-${n}`, label: `${n} 分` })) });
    if (d.vote) await d.vote(d.partner, "42", 4, "score-4");
    else await d.say(d.partner, "4", d.group);
    const row = await until(() => hub.db.interaction.findFirst({ where: { platform: d.platform, kind: "action" } }), "the vote");
    expect(row.text).toBe("[操作] poll:42:4=score-4");
    expect(row.partnerId).not.toBeNull();
  });

  it("a satisfaction poll from the outbox: one answer per person (改成 replaces it), a low score opens a mediation follow-up", async () => {
    const { campaign } = await hub.app.outreach.launch("poll", { title: "季度满意度", audience: {} });
    expect((await hub.app.worker.drain()).sent).toBe(1);
    const pollId = `sat-${campaign.id}`;
    // A score alone: a button where there are buttons, else the number. With a comment: typed, everywhere.
    const answer = async (n: number, comment?: string) => {
      if (d.vote && !comment) await d.vote(d.partner, pollId, n, String(n));
      else await d.say(d.partner, comment ? `${n}，${comment}` : String(n), d.group);
    };
    const response = (score: number) => until(() => hub.db.pollResponse.findFirst({ where: { campaignId: campaign.id, score } }), `the ${score}-point answer`);
    await answer(4);
    await response(4);
    await until(() => hub.db.interaction.findFirst({ where: { platform: d.platform, direction: "OUT", text: "收到您的评分（4 分），谢谢您的反馈！" } }), "the thanks");
    // A typed number after an answer replaces it only when said so (a bare one may be meant for something else).
    await d.say(d.partner, "改成 2 分，发货太慢", d.group);
    const low = await response(2);
    expect(await hub.db.pollResponse.count({ where: { campaignId: campaign.id } })).toBe(1);
    expect(low.comment).toBe("发货太慢");
    const followUp = await until(() => hub.db.followUp.findFirst({ where: { kind: "MEDIATION" } }), "the mediation follow-up");
    expect(followUp.assigneeName).toBe("周敏");
    expect(followUp.reason).toContain("打了 2 分");
    await until(() => hub.db.interaction.findFirst({ where: { platform: d.platform, direction: "OUT", text: { contains: "很抱歉让您不满意。我们已请周敏尽快联系您" } } }), "the apology");
  });
});
