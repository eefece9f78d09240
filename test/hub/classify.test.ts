// Where each kind of inbound event goes, from plain objects: no database, no adapter.
import { describe, expect, it } from "vitest";
import type { InboundEvent, InboundMessage } from "../../adapters/contract.ts";
import { classify, type Facts } from "../../src/hub/classify.ts";
import type { Actor, ResolvedChat } from "../../src/types/identity.ts";

const at = new Date("2026-11-20T02:00:00Z");
const base = { platform: "wechat" as const, messageId: "m1", sender: { id: "wxid_1", name: "张伟" }, at };
const partnerGroup: ResolvedChat = { id: 7, platform: "wechat", externalId: "g@chatroom", kind: "group", partnerId: 3, internal: false, contactId: null };
const staffGroup: ResolvedChat = { ...partnerGroup, id: 8, partnerId: null, internal: true };
const direct: ResolvedChat = { ...partnerGroup, id: 9, externalId: "wxid_1", kind: "direct", partnerId: null, contactId: 11 };
const contact: Actor = { kind: "contact", identityId: 1, contactId: 11, name: "张伟", partnerId: 3, unidentified: false };
const staff: Actor = { kind: "staff", identityId: 2, staffId: 5, name: "周敏", role: "AGENT" };
const stranger: Actor = { kind: "stranger", identityId: 3 };

const inGroup = (text: string, more: Partial<InboundMessage> = {}): InboundMessage => ({
  ...base, type: "message", chat: { id: "g@chatroom", kind: "group" }, text, contentType: "text", mentioned: false, ...more,
});
const inPrivate = (text: string): InboundMessage => ({ ...base, type: "message", chat: { id: "wxid_1", kind: "direct" }, text, contentType: "text", mentioned: true });

/** Facts as the hub would have looked them up: a partner's contact in the partner's WeChat group. */
function facts(event: InboundEvent, more: Partial<Omit<Facts, "event">> = {}): Facts {
  return { event, actor: contact, chat: partnerGroup, command: null, numbered: null, tooLong: false, capabilities: { buttons: false, ephemeral: false }, ...more };
}
const slack = { buttons: true, ephemeral: true };
const poll = { id: 1, kind: "POLL" as const, ref: "sat-4" };
const slash = (name: string, args: string): InboundEvent => ({ ...base, platform: "slack", type: "command", chat: { id: "C1", kind: "group" }, name, args });

describe("classify", () => {
  it("refuses what is too long before anything else, even a command, privately where a slash command was typed", () => {
    expect(classify(facts(inGroup("很长……"), { tooLong: true, command: { name: "client", args: "x" } }))).toEqual({ kind: "too_long", privately: false });
    expect(classify(facts(slash("client", "x"), { tooLong: true, capabilities: slack }))).toEqual({ kind: "too_long", privately: true });
  });

  it("runs a typed command in the chat for everyone to read", () => {
    expect(classify(facts(inGroup("/client 杭州"), { actor: staff, command: { name: "client", args: "杭州" } }))).toEqual({
      kind: "command", command: { name: "client", args: "杭州" }, privately: false,
    });
  });

  it("answers a native slash command privately, unless it ends with 公开 / --share, which is not passed on", () => {
    expect(classify(facts(slash("client", "HZ001"), { actor: staff, command: { name: "client", args: "HZ001" }, capabilities: slack }))).toMatchObject({ kind: "command", privately: true });
    const shared = classify(facts(slash("client", "HZ001 公开"), { actor: staff, command: { name: "client", args: "HZ001 公开" }, capabilities: slack }));
    expect(shared).toEqual({ kind: "command", command: { name: "client", args: "HZ001" }, privately: false });
    expect(classify(facts(slash("client", "HZ001 --share"), { actor: staff, command: { name: "client", args: "HZ001 --share" }, capabilities: slack }))).toMatchObject({ command: { args: "HZ001" } });
    // A platform that cannot show a message to one person only: the answer is in the chat.
    expect(classify(facts(slash("client", "HZ001"), { actor: staff, command: { name: "client", args: "HZ001" } }))).toMatchObject({ privately: false });
  });

  it("takes a staff member's bare 确认 for the command the lookup found, not for a question", () => {
    expect(classify(facts(inGroup("确认", { mentioned: true }), { actor: staff, chat: staffGroup, command: { name: "confirm", args: "" } }))).toMatchObject({ kind: "command", command: { name: "confirm" } });
  });

  it("welcomes people joining a group", () => {
    expect(classify(facts({ ...base, type: "member_joined", chat: { id: "g@chatroom", kind: "group" }, members: [{ id: "wxid_2", name: "李娜" }] }))).toEqual({ kind: "join" });
  });

  it("counts a poll button as a vote, answered privately where the platform can", () => {
    const press: InboundEvent = { ...base, platform: "slack", type: "action", chat: { id: "C1", kind: "group" }, actionId: "poll:sat-4:2", value: "2" };
    expect(classify(facts(press, { capabilities: slack }))).toEqual({ kind: "vote", answer: { pollId: "sat-4", value: "2", replaces: true }, numbered: null, privately: true });
    expect(classify(facts(press))).toMatchObject({ kind: "vote", privately: false });
  });

  it("counts a bare number answering the chat's latest poll as a vote, with what was said after it", () => {
    const numbered = { prompt: poll, option: 3, value: "3", comment: "发货慢" };
    expect(classify(facts(inGroup("3，发货慢"), { numbered }))).toEqual({ kind: "vote", answer: { pollId: "sat-4", value: "3", comment: "发货慢", replaces: false }, numbered, privately: false });
    expect(classify(facts(inGroup("5"), { actor: stranger, numbered: { prompt: poll, option: 5, value: "5" } }))).toMatchObject({ kind: "vote", answer: { value: "5" } });
  });

  it("takes a bare number answering the sender's open choices for a pick, 0 included", () => {
    const choices = { id: 9, kind: "CHOICES" as const, ref: "q-9" };
    expect(classify(facts(inGroup("2"), { numbered: { prompt: choices, option: 2, value: "kb-7" } }))).toEqual({ kind: "pick", promptId: 9, option: 2, value: "kb-7", numbered: true, privately: false });
    expect(classify(facts(inGroup("0"), { numbered: { prompt: choices, option: 0, value: "0" } }))).toMatchObject({ kind: "pick", option: 0 });
  });

  it("takes a choices button for a pick and a poll button for a vote", () => {
    const button = (actionId: string, value: string): InboundEvent => ({ ...base, platform: "slack", type: "action", chat: { id: "C1", kind: "group" }, actionId, value });
    expect(classify(facts(button("poll:q-12:3", "kb-5"), { capabilities: slack }))).toEqual({ kind: "pick", promptId: 12, option: 3, value: "kb-5", numbered: false, privately: true });
    expect(classify(facts(button("poll:sat-4:5", "5"), { capabilities: slack }))).toMatchObject({ kind: "vote", answer: { pollId: "sat-4", value: "5" } });
  });

  it("does not take a staff member's number for a vote or a pick: staff are not surveyed", () => {
    expect(classify(facts(inGroup("2"), { actor: staff, numbered: { prompt: poll, option: 2, value: "2" } }))).toEqual({ kind: "chatter" });
  });

  it("answers a question in a partner's group, anything said to the bot privately or by @, and a hello in private", () => {
    expect(classify(facts(inGroup("返利什么时候到账?")))).toEqual({ kind: "question" });
    expect(classify(facts(inGroup("发票开好了没", { mentioned: true })))).toEqual({ kind: "question" });
    expect(classify(facts(inPrivate("你好"), { chat: direct }))).toEqual({ kind: "question" });
    expect(classify(facts(inPrivate("下周的货帮我留一下"), { chat: direct }))).toEqual({ kind: "question" });
  });

  it("leaves chatter alone: thanks, talk among people, staff talking to each other, an internal group, an image", () => {
    const quiet = { kind: "chatter" };
    expect(classify(facts(inGroup("好的，谢谢！")))).toEqual(quiet);
    expect(classify(facts(inGroup("明天下午三点开会")))).toEqual(quiet); // not a question, not to the bot
    expect(classify(facts(inGroup("老王，返利什么时候到账?", { mentions: [{ id: "wxid_9", name: "老王" }] })))).toEqual(quiet);
    expect(classify(facts(inGroup("这个客户什么时候回款?"), { actor: staff }))).toEqual(quiet);
    expect(classify(facts(inGroup("返利什么时候到账?", { mentioned: true }), { chat: staffGroup }))).toEqual(quiet);
    expect(classify(facts(inGroup("[图片]", { contentType: "image", mentioned: true })))).toEqual(quiet);
  });

  it("says nothing to a button that is not a poll's, nor to a native command that parses as none", () => {
    expect(classify(facts({ ...base, platform: "slack", type: "action", chat: { id: "C1", kind: "group" }, actionId: "open_card", value: "x" }, { capabilities: slack }))).toEqual({ kind: "chatter" });
    expect(classify(facts(slash("", ""), { capabilities: slack }))).toEqual({ kind: "chatter" });
  });
});
