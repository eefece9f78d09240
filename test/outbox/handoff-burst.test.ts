// A burst of hand-offs through the one send path: fifty partners ask within a second, the bot is sure of
// none, and every question is posted to one Lark staff group. The real Lark SDK talks to the local fake,
// which stamps each message with the hub's clock (moved by the outbox's pacing waits, never slept on).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLarkAdapter } from "../../adapters/lark/index.ts";
import { createLogger } from "../../src/lib/logger.ts";
import { encryptedRequest, startFakeLark, type FakeLark } from "../fakes/lark-api.ts";
import { pacedDaytimeClock, startPlatformHub, until } from "../helpers/platform-hub.ts";

const ENCRYPT_KEY = "burst-key";
const STAFF_GROUP = "oc_staff";
const PARTNERS = 50;

const paced = pacedDaytimeClock();
let lark: FakeLark;
let hub: Awaited<ReturnType<typeof startPlatformHub>>;

function question(i: number, n = i) {
  return {
    schema: "2.0",
    header: { event_id: `ev_burst_${n}`, event_type: "im.message.receive_v1", create_time: String(Date.now()), app_id: "cli_a1b2c3d4e5f60718", tenant_key: "tk" },
    event: {
      sender: { sender_id: { open_id: `ou_p${i}`, union_id: `on_p${i}`, user_id: `p${i}` }, sender_type: "user", tenant_key: "tk" },
      message: {
        message_id: `om_burst_${i}`,
        chat_id: `oc_p${i}`,
        chat_type: "p2p",
        message_type: "text",
        content: JSON.stringify({ text: `第 ${i} 号经销商：贵司的冷链仓储可以代管吗？` }),
        mentions: [],
        create_time: String(Date.now()),
      },
    },
  };
}

const deliver = (event: unknown) => {
  const { body, headers } = encryptedRequest(event, ENCRYPT_KEY);
  return fetch(`${hub.url}/lark/events`, { method: "POST", headers, body });
};

const textOf = (s: FakeLark["sent"][number]) => JSON.parse(String(s.body.content)).text as string;
const staffPosts = () => lark.sent.filter((s) => s.body.receive_id === STAFF_GROUP);

beforeAll(async () => {
  lark = await startFakeLark({ now: () => paced.clock.now().getTime() });
  const adapter = createLarkAdapter({ appId: "cli_a1b2c3d4e5f60718", appSecret: "secret", encryptKey: ENCRYPT_KEY, domain: lark.url, mode: "webhook", logger: createLogger("silent") });
  hub = await startPlatformHub([adapter], { paced, env: { HUB_STAFF_CHAT: `lark:${STAFF_GROUP}`, HUB_WELCOME_MESSAGE: "off" } });
});
afterAll(async () => {
  await hub.close();
  await lark.close();
});

describe("a burst of hand-offs to one Lark staff group", () => {
  it("reaches the group at Lark's 5 a second, every one of them, none twice; each partner is told at once", async () => {
    const answers = await Promise.all(Array.from({ length: PARTNERS }, (_, i) => deliver(question(i))));
    expect(answers.every((r) => r.status === 200)).toBe(true);
    // Lark delivers some events again (no 200 seen in time): they are the same questions, not new ones.
    await Promise.all(Array.from({ length: 10 }, (_, i) => deliver(question(i * 5, i * 5))));

    await until(() => staffPosts().length >= PARTNERS, "every hand-off in the staff group", 20_000);
    await hub.app.worker.drain();
    const posts = staffPosts();
    expect(posts).toHaveLength(PARTNERS);
    const numbers = posts.map((p) => /【待回答 #(\d+)】/.exec(textOf(p))?.[1]);
    expect(new Set(numbers).size).toBe(PARTNERS);
    // Never faster than Lark's five a second into one group (open.feishu.cn: 5 QPS per group).
    const at = posts.map((p) => p.at);
    for (let i = 1; i < at.length; i++) expect(at[i] - at[i - 1]).toBeGreaterThanOrEqual(200);
    expect(at[at.length - 1] - at[0]).toBeGreaterThanOrEqual((PARTNERS - 1) * 200);

    // Each partner got its one answer (who follows up), not held behind the staff group's queue.
    for (let i = 0; i < PARTNERS; i++) {
      const told = lark.sent.filter((s) => s.body.receive_id === `oc_p${i}`);
      expect(told).toHaveLength(1);
      expect(textOf(told[0])).toContain("同事");
    }
    const lastPartnerAnswer = Math.max(...lark.sent.filter((s) => s.body.receive_id !== STAFF_GROUP).map((s) => s.at));
    expect(lastPartnerAnswer - at[0]).toBeLessThan(2_000);
    // Every post is in the outbox, sent, and the staff chat's history.
    expect(await hub.db.delivery.count({ where: { externalChatId: STAFF_GROUP, status: "SENT", kind: "handoff" } })).toBe(PARTNERS);
  });
});
