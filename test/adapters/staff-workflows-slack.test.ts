// Issue 13's staff workflows through the real @slack/bolt (signed requests in, a fake Web API out): a
// complaint said in a partner's channel, resolved with a native slash command and rated with a button only
// the person who complained may press; 回访 planned by a method and confirmed, then closed with its result;
// a key partner's care plan edited and read — each answer private to the staff member who asked.
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSlackAdapter } from "../../adapters/slack/index.ts";
import { NOT_YOUR_RATING } from "../../src/hub/routes/rate.ts";
import { createLogger } from "../../src/lib/logger.ts";
import { importPartners } from "../../src/partners/transfer.ts";
import { addStaff } from "../../src/staff/store.ts";
import { slackHeaders, startFakeSlack, type FakeSlack } from "../fakes/slack-api.ts";
import { pacedDaytimeClock, startPlatformHub, until } from "../helpers/platform-hub.ts";

const SECRET = "workflow-secret";
const EXAMPLE = path.resolve(import.meta.dirname, "../../examples/partners.csv");
const nowSeconds = () => Math.floor(Date.now() / 1000);

describe("staff workflows on Slack", () => {
  const paced = pacedDaytimeClock();
  let slack: FakeSlack;
  let hub: Awaited<ReturnType<typeof startPlatformHub>>;
  let seq = 0;
  const post = async (body: string, type: string) => fetch(`${hub.url}/slack/events`, { method: "POST", headers: { "content-type": type, ...(await slackHeaders(SECRET, body)) }, body });
  const say = (user: string, text: string, channel: string, channelType = "channel") =>
    post(JSON.stringify({ type: "event_callback", team_id: "T1", event_id: `Ev${++seq}`, event: { type: "message", channel, channel_type: channelType, user, text, ts: `${nowSeconds()}.${String(++seq).padStart(6, "0")}` } }), "application/json");
  const slash = (command: string, text: string) =>
    post(new URLSearchParams({ token: "x", team_id: "T1", channel_id: "D_STAFF", channel_name: "directmessage", user_id: "U_STAFF", user_name: "zhou", command, text, trigger_id: `trig-${++seq}`, response_url: "http://127.0.0.1:9/r" }).toString(), "application/x-www-form-urlencoded");
  const press = (user: string, actionId: string, value: string) =>
    post(new URLSearchParams({ payload: JSON.stringify({ type: "block_actions", trigger_id: `trig-${++seq}`, user: { id: user }, channel: { id: "C_HZ" }, team: { id: "T1" }, container: { type: "message", channel_id: "C_HZ", message_ts: "1.000001" }, actions: [{ type: "button", action_id: actionId, block_id: "b", value, action_ts: `${nowSeconds()}.000200` }] }) }).toString(), "application/x-www-form-urlencoded");
  const calls = (method: string, pred: (a: Record<string, unknown>) => boolean) => slack.calls.filter((c) => c.method === method && pred(c.args));
  /** What the staff member was told privately, containing `part`. */
  const privately = (part: string) => until(() => calls("chat.postEphemeral", (a) => a.user === "U_STAFF" && String(a.text).includes(part))[0], `the private answer with ${part}`);

  beforeAll(async () => {
    slack = await startFakeSlack({ now: () => paced.clock.now().getTime() });
    hub = await startPlatformHub([createSlackAdapter({ botToken: "xoxb-test", signingSecret: SECRET, apiUrl: slack.url, logger: createLogger("silent"), retries: 0 })], { paced });
    await importPartners(hub.db, EXAMPLE);
    await addStaff(hub.db, "周敏", "MANAGER", ["slack:U_STAFF"]);
    const partner = await hub.db.partner.findUniqueOrThrow({ where: { code: "HZ001" } });
    await hub.db.chat.create({ data: { platform: "slack", externalChatId: "C_HZ", kind: "group", partnerId: partner.id } });
    hub.app.hub.forgetCaches();
  });
  afterAll(async () => {
    await hub.close();
    await slack.close();
  });

  it("a complaint: acknowledged in the channel, resolved by slash command, rated by the complainant's button only", async () => {
    await say("U_ZHANG", "投诉：上周的门锁到货少了两箱", "C_HZ");
    const ack = await until(() => calls("chat.postMessage", (a) => a.channel === "C_HZ" && String(a.text).startsWith("很抱歉给您带来不便"))[0], "the acknowledgement");
    expect(ack.args.text).toMatch(/^很抱歉给您带来不便，您的投诉已受理，编号 #1。负责处理的是周敏/);
    await slash("/complaint", "resolve 1 已补发两箱，今天到货");
    expect((await privately("已标记为已解决")).args.text).toMatch(/^投诉 #1 已标记为已解决，处理结果已告诉客户。已请.+在群里为处理打分/);
    const ask = await until(() => calls("chat.postMessage", (a) => a.channel === "C_HZ" && Array.isArray(a.blocks) && String(a.text).includes("请为这次处理打个分"))[0], "the rating with buttons");
    const buttons = (ask.args.blocks as { elements?: { action_id: string; value: string }[] }[]).flatMap((b) => b.elements ?? []);
    const prompt = await hub.db.prompt.findFirstOrThrow({ where: { kind: "RATING" } });
    expect(buttons.map((b) => b.action_id)).toEqual([1, 2, 3, 4, 5].map((n) => `poll:${prompt.ref}:${n}`));
    await press("U_LI", buttons[0].action_id, buttons[0].value);
    expect((await until(() => calls("chat.postEphemeral", (a) => a.user === "U_LI")[0], "the notice to someone else")).args.text).toBe(NOT_YOUR_RATING);
    await press("U_ZHANG", buttons[3].action_id, buttons[3].value);
    await until(() => calls("chat.postEphemeral", (a) => a.user === "U_ZHANG" && String(a.text).startsWith("谢谢您的评分（4 分）"))[0], "the thanks, privately");
    expect(await hub.db.complaint.findUniqueOrThrow({ where: { id: 1 } })).toMatchObject({ status: "CLOSED", rating: 4 });
  });

  it("回访: planned by a method, confirmed, and closed with its result in the partner's history", async () => {
    await slash("/followup", "plan 随机 杭州 1 情感");
    expect((await privately("随机")).args.text).toMatch(/确认/);
    await say("U_STAFF", "确认", "D_STAFF", "im");
    const planned = await until(() => hub.db.followUp.findFirst({ where: { method: "RANDOM" } }), "the planned visit");
    expect(planned).toMatchObject({ kind: "VISIT", form: "CARE", assigneeName: "周敏" });
    await slash("/followup", `done ${planned.id} 上门拜访，聊了新品铺货`);
    await privately(`已记录回访 #${planned.id} 的结果`);
    await slash("/history", `${(await hub.db.partner.findUniqueOrThrow({ where: { id: planned.partnerId } })).code}`);
    expect((await privately("上门拜访，聊了新品铺货")).args.text).toContain("员工 周敏");
  });

  it("a key partner's care plan: edited one field at a time and shown on request", async () => {
    await slash("/care", "HZ001 目标 成为华东第一大经销商");
    await privately("成为华东第一大经销商");
    await slash("/care", "HZ001 下一步 12月拜访总经理");
    await slash("/care", "HZ001");
    const plan = await until(() => calls("chat.postEphemeral", (a) => String(a.text).includes("12月拜访总经理") && String(a.text).includes("成为华东第一大经销商"))[0], "the plan");
    expect(plan.args.user).toBe("U_STAFF");
  });
});
