// The interaction log keeps what the hub looks rows up by in columns of their own: the event an answer
// answers, and the poll a message carried.
import { afterEach, describe, expect, it } from "vitest";
import { messageMeta } from "../../src/history/summary.ts";
import { pollMessage } from "../../src/outreach/polls.ts";
import { addStaff } from "../../src/staff/store.ts";
import { consoleEvent, startTestHub, type TestHub } from "../helpers/hub.ts";

let hub: TestHub;
afterEach(() => hub?.close());

describe("the interaction log's lookup columns", () => {
  it("stores a reply with the event it answers", async () => {
    hub = await startTestHub();
    await addStaff(hub.db, "周敏", "MANAGER", ["console:zhou"]);
    await hub.say("zhou", "/whoami");
    await hub.app.log.flush();
    const asked = await hub.db.interaction.findFirstOrThrow({ where: { direction: "IN" } });
    const answered = await hub.db.interaction.findFirstOrThrow({ where: { direction: "OUT" } });
    expect(answered).toMatchObject({ inReplyTo: asked.externalMessageId, chatId: asked.chatId, pollId: null });
    expect(JSON.parse(answered.meta!)).toMatchObject({ inReplyTo: asked.externalMessageId }); // meta still says it too
  });

  it("stores a poll with its poll id, from the form the outbox records; other messages have none", async () => {
    hub = await startTestHub();
    const at = hub.clock.now();
    const row = { platform: "console", direction: "OUT" as const, text: "x", createdAt: at };
    await hub.app.log.record({ ...row, kind: "poll", externalMessageId: "p1", meta: messageMeta(pollMessage(3, "请打分")) });
    await hub.app.log.record({ ...row, kind: "notice", externalMessageId: "t1", meta: messageMeta({ type: "text", text: "通知" }) });
    await hub.app.log.record({ ...row, kind: "notice", externalMessageId: "t2", meta: { type: "text", pollId: "sat-9" } });
    const rows = await hub.db.interaction.findMany({ select: { externalMessageId: true, pollId: true }, orderBy: { id: "asc" } });
    expect(rows).toEqual([{ externalMessageId: "p1", pollId: "sat-3" }, { externalMessageId: "t1", pollId: null }, { externalMessageId: "t2", pollId: null }]);
  });

  it("an event whose answer is in the history is not answered again after a stop: the answer's column says so", async () => {
    hub = await startTestHub();
    await addStaff(hub.db, "周敏", "MANAGER", ["console:zhou"]);
    await hub.say("zhou", "/whoami");
    hub.outputs.length = 0;
    const { chatId } = await hub.db.interaction.findFirstOrThrow({ where: { direction: "IN" } });
    // A hub stored this event and its answer, then stopped before marking it handled.
    const event = consoleEvent("orphan-done", "/whoami", "zhou", hub.clock.now());
    await hub.app.log.record({
      platform: "console", direction: "IN", kind: "command", text: "/whoami", externalMessageId: "orphan-done", chatId, createdAt: event.at,
      pending: { event: JSON.stringify(event), leaseUntil: hub.clock.now() },
    });
    await hub.app.log.record({ platform: "console", direction: "OUT", kind: "reply", text: "您是周敏", chatId, externalMessageId: "out-1", inReplyTo: "orphan-done", createdAt: event.at, meta: { type: "text" } });
    hub.clock.advance(2 * 60_000);
    expect(await hub.app.hub.recover()).toBe(1);
    await hub.app.worker.drain();
    expect(hub.outputs).toEqual([]);
    expect((await hub.db.interaction.findFirstOrThrow({ where: { externalMessageId: "orphan-done" } })).handledAt).not.toBeNull();
  });
});
