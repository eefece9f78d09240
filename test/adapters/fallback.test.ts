// What people read where a platform cannot show a message as it is: the console and WeChat (no buttons or
// cards), a Lark card too big to send, Slack's notification text. One text form, the same everywhere.
import { describe, expect, it } from "vitest";
import type { OutboundMessage } from "../../adapters/contract.ts";
import { renderConsole } from "../../adapters/console/render.ts";
import { LARK_CARD_MAX_BYTES, renderLark } from "../../adapters/lark/render.ts";
import { renderSlack } from "../../adapters/slack/render.ts";
import { WECHAT_TEXT_MAX, renderWechat } from "../../adapters/wechat/render.ts";

const card: OutboundMessage = {
  type: "card",
  title: "发货确认",
  fields: [
    { label: "客户", value: "杭州云帆" },
    { label: "订单", value: "SO-2026-118" },
  ],
  text: "仓库已备好货，请确认发货时间。",
  buttons: [
    { id: "ship:today", label: "今天发货", value: "today" },
    { id: "ship:later", label: "改天再说", value: "later" },
  ],
};

const poll: OutboundMessage = {
  type: "poll",
  pollId: "sat-7",
  question: "本季度服务满意度？",
  options: [1, 2, 3, 4, 5].map((n) => ({ value: String(n), label: `${n} 分` })),
};

/** What a Lark text message says. */
const larkText = (content: string) => (JSON.parse(content) as { text: string }).text;

describe("a message without buttons or cards", () => {
  it("a card's buttons read as numbered choices, the same on the console and on WeChat", () => {
    const expected = ["【发货确认】", "客户：杭州云帆", "订单：SO-2026-118", "仓库已备好货，请确认发货时间。", "1. 今天发货", "2. 改天再说", "请直接回复数字 1-2"].join("\n");
    expect(renderConsole(card)).toBe(expected);
    expect(renderWechat(card)).toEqual([expected]);
  });

  it("a poll reads as numbered choices, the same on the console and on WeChat", () => {
    const expected = ["本季度服务满意度？", "1. 1 分", "2. 2 分", "3. 3 分", "4. 4 分", "5. 5 分", "请直接回复数字 1-5"].join("\n");
    expect(renderConsole(poll)).toBe(expected);
    expect(renderWechat(poll)).toEqual([expected]);
  });

  it("a card without buttons asks for no reply", () => {
    const notice: OutboundMessage = { type: "card", title: "放假通知", text: "12 月 1 日仓库盘点，暂停发货一天。" };
    expect(renderConsole(notice)).toBe("【放假通知】\n12 月 1 日仓库盘点，暂停发货一天。");
    expect(renderWechat(notice)).toEqual(["【放假通知】\n12 月 1 日仓库盘点，暂停发货一天。"]);
  });
});

describe("WeChat's long text", () => {
  it("is split at line breaks into messages within the limit, nothing lost", () => {
    const lines = Array.from({ length: 120 }, (_, i) => `第 ${i + 1} 条：${"返利政策说明".repeat(5)}`);
    const text = lines.join("\n");
    expect(text.length).toBeGreaterThan(WECHAT_TEXT_MAX);
    const parts = renderWechat({ type: "text", text });
    expect(parts.length).toBeGreaterThan(1);
    for (const part of parts) {
      expect(part.length).toBeLessThanOrEqual(WECHAT_TEXT_MAX);
      // Each message holds whole lines: none starts or ends in the middle of one.
      for (const line of part.split("\n")) expect(lines).toContain(line);
    }
    expect(parts.join("\n")).toBe(text);
  });

  it("a single line longer than the limit is cut inside it, within the limit", () => {
    const text = `开头\n${"很".repeat(WECHAT_TEXT_MAX + 500)}\n结尾`;
    const parts = renderWechat({ type: "text", text });
    for (const part of parts) expect(part.length).toBeLessThanOrEqual(WECHAT_TEXT_MAX);
    expect(parts.join("").replace(/\n/g, "")).toBe(text.replace(/\n/g, ""));
  });

  it("a long poll keeps its numbered choices, split like any text", () => {
    const big: OutboundMessage = { ...poll, question: "请先阅读以下说明。\n" + "说明文字。".repeat(500) };
    const parts = renderWechat(big);
    expect(parts.length).toBeGreaterThan(1);
    expect(parts.at(-1)).toContain("请直接回复数字 1-5");
  });
});

describe("a Lark message too big for a card", () => {
  it("a card becomes readable text: its title, fields, text and numbered buttons, never JSON", () => {
    const big = { ...card, text: "订单明细：\n" + "智能门锁 X2 × 10\n".repeat(3000) } as OutboundMessage & { type: "card" };
    const out = renderLark(big);
    expect(out.msg_type).toBe("text");
    const text = larkText(out.content);
    expect(text.startsWith("【发货确认】\n客户：杭州云帆\n订单：SO-2026-118\n订单明细：")).toBe(true);
    expect(text.endsWith("1. 今天发货\n2. 改天再说\n请直接回复数字 1-2")).toBe(true);
    expect(text).not.toMatch(/[{}]|"type"|ship:today/);
  });

  it("a poll becomes its question and numbered options, never JSON", () => {
    const big: OutboundMessage = {
      type: "poll",
      pollId: "sat-8",
      question: "您最常用的型号？",
      options: Array.from({ length: 60 }, (_, i) => ({ value: `m${i + 1}`, label: `型号 ${i + 1}：${"智能门锁".repeat(60)}` })),
    };
    expect(Buffer.byteLength(renderLark({ ...big, options: big.options.slice(0, 1) }).content)).toBeLessThan(LARK_CARD_MAX_BYTES);
    const out = renderLark(big);
    expect(out.msg_type).toBe("text");
    const text = larkText(out.content);
    expect(text.split("\n").slice(0, 2)).toEqual(["您最常用的型号？", `1. 型号 1：${"智能门锁".repeat(60)}`]);
    expect(text.endsWith("请直接回复数字 1-60")).toBe(true);
    expect(text).not.toMatch(/[{}]|pollId|sat-8|"value"/);
  });

  it("a card that fits stays a card with buttons", () => {
    const out = renderLark(card);
    expect(out.msg_type).toBe("interactive");
    expect(out.content).toContain("ship:today");
  });

  it("the text form cannot @everyone in the chat", () => {
    const big: OutboundMessage = { type: "card", title: "转述", text: `<at user_id="all"></at> ${"说明".repeat(20_000)}` };
    const text = larkText(renderLark(big).content);
    expect(text).not.toMatch(/<at\b/);
  });
});

describe("Slack's notification text", () => {
  it("says what the card says, without numbered choices (its buttons are in the blocks)", () => {
    const { text, blocks } = renderSlack(card);
    expect(text).toBe("【发货确认】\n客户：杭州云帆\n订单：SO-2026-118\n仓库已备好货，请确认发货时间。");
    expect(JSON.stringify(blocks)).toContain("ship:today");
  });
});
