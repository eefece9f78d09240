// The company's words for the same thing: a question typed one way finds the entry written another, related
// words count less than typed ones, and the operator's list is checked line by line at start.
import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { KbIndex, type KbDoc } from "../../src/answer/kb-index.ts";
import { cleanQuestion } from "../../src/answer/text.ts";
import { loadThesaurus, Thesaurus } from "../../src/answer/thesaurus.ts";

const doc = (id: string, question: string, answer: string): KbDoc => ({ id, question, answer, tags: [], variants: [] });
const ENTRIES = [
  doc("deposit", "经销商保证金是多少？什么时候退？", "合作保证金2万元，终止合作且无欠款的，30个工作日内退还。"),
  doc("stock-return", "经销商的库存商品可以退货吗？", "未拆封的库存商品，进货后90天内可申请退货。"),
  doc("promo", "门店搞促销活动需要报备吗？", "门店自行促销需提前3天在后台报备，价格不得低于限价。"),
  doc("hours", "渠道服务热线是多少？", "渠道服务热线400-820-6688，周一至周六9:00-18:00。"),
];
const LIST = Thesaurus.parse(
  ["# 财务", "= 保证金 押金 按金", "~ 促销 打折 优惠", "= 退货 退回", "= 服务热线 客服电话 客服", "~ 报 报名"].join("\n"),
  "test",
);
const related = (q: string) => Object.fromEntries(LIST.related(cleanQuestion(q)).map((r) => [r.phrase, r.weight]));

describe("the thesaurus", () => {
  it("gives the other words of each group a question uses, weaker for a looser link, none it already has", () => {
    expect(related("押金几时退")).toEqual({ 保证金: 0.6, 按金: 0.6 });
    expect(related("店庆打折要报备吗")).toEqual({ 促销: 0.2, 优惠: 0.2 });
    expect(related("押金和保证金一样吗")).toEqual({ 按金: 0.6 });
    // A single character stands for too many words: 报 is not read as 报名.
    expect(related("在哪报")).toEqual({});
  });

  it("reads grammar as grammar, Latin terms as whole words, and its files as people write them", () => {
    const list = Thesaurus.parse(
      "\uFEFF= 如何处理 怎么办 咋办\r= 采购订单 po\r\n= 智能门锁K1 K1门锁\n= 押金 deposit # 英文也行\n= 保證金 保证金\n",
      "own",
    );
    const rel = (q: string) => list.related(cleanQuestion(q)).map((r) => r.phrase);
    expect(rel("天气怎么办")).toEqual([]); // 怎么办 is grammar: it leads nowhere
    expect(rel("report怎么写")).toEqual([]);
    expect(rel("expo号多少")).toEqual([]);
    expect(rel("po号多少")).toEqual(["采购订单"]);
    expect(rel("K1门锁保修多久")).toEqual(["智能门锁k1"]);
    expect(rel("deposit几时退")).toEqual(["押金"]);
    expect(rel("押金几时退")).toEqual(["deposit"]); // the comment is not a word
  });

  it("lets a question typed one way find the entry written another, confidently enough to answer", () => {
    const plain = new KbIndex(ENTRIES);
    const withList = new KbIndex(ENTRIES, LIST);
    for (const [q, id] of [["押金能拿回来吗", "deposit"], ["客服电话多少", "hours"]] as const) {
      // Without the list the bot would hand these to a colleague (default threshold 0.3).
      expect(plain.search(q, 1)[0]?.confidence ?? 0).toBeLessThan(0.3);
      const [hit] = withList.search(q, 1);
      expect(hit.id).toBe(id);
      expect(hit.confidence).toBeGreaterThanOrEqual(0.3);
    }
  });

  it("never lets a related word outweigh the words typed", () => {
    const withList = new KbIndex(ENTRIES, LIST);
    const [typed] = withList.search("保证金能拿回来吗", 1);
    const [related] = withList.search("押金能拿回来吗", 1);
    expect(related.id).toBe(typed.id);
    expect(related.queryCoverage).toBeLessThan(typed.queryCoverage);
    expect(related.score).toBeLessThan(typed.score);
    // 退货 is typed; 押金 only relates to the deposit entry.
    expect(withList.search("库存退货和押金", 1)[0]?.id).toBe("stock-return");
  });

  it("is read from the operator's files, and a bad line stops the start naming file and line", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "thesaurus-"));
    const own = path.join(dir, "own.txt");
    writeFileSync(own, "# 我司产品\n= 智能门锁K1 云帆锁\n");
    const example = path.resolve(import.meta.dirname, "../../examples/thesaurus.txt");
    const merged = loadThesaurus(`${own}, ${example}`)!;
    expect(merged.related(cleanQuestion("云帆锁保修多久")).map((r) => r.phrase)).toContain("智能门锁k1");
    expect(merged.related(cleanQuestion("空净坏了")).map((r) => r.phrase)).toContain("空气净化器"); // the example file
    expect(merged.related(cleanQuestion("押金几时退")).map((r) => r.phrase)).toContain("保证金"); // built in
    expect(loadThesaurus(undefined)!.related(cleanQuestion("押金几时退")).map((r) => r.phrase)).toContain("保证金");
    expect(loadThesaurus("off")).toBeUndefined();
    const only = loadThesaurus(`off, ${own}`)!; // the operator's words without the built-in lists
    expect(only.related(cleanQuestion("押金几时退"))).toEqual([]);
    expect(only.related(cleanQuestion("云帆锁保修多久")).map((r) => r.phrase)).toEqual(["智能门锁k1"]);

    const bad = path.join(dir, "bad.txt");
    writeFileSync(bad, "= 返利 返点\n\n保证金，押金\n");
    expect(() => loadThesaurus(bad)).toThrow(`HUB_THESAURUS: ${bad} line 3: expected "= word word …" or "~ word word …", got "保证金，押金"`);
    writeFileSync(bad, "= 返利\n");
    expect(() => loadThesaurus(bad)).toThrow(`HUB_THESAURUS: ${bad} line 1: a group needs at least two words`);
    expect(() => loadThesaurus(path.join(dir, "missing.txt"))).toThrow(/  - HUB_THESAURUS: cannot read .*missing\.txt/);
  });
});

describe("HUB_THESAURUS in the running hub", () => {
  it("answers a partner who uses the company's word, and refuses to start on a bad file", async () => {
    const { startTestHub } = await import("../helpers/hub.ts");
    const dir = mkdtempSync(path.join(os.tmpdir(), "thesaurus-hub-"));
    const own = path.join(dir, "own.txt");
    writeFileSync(own, "= 保证金 按金\n");
    for (const [env, answered] of [[{ HUB_THESAURUS: "off" }, false], [{ HUB_THESAURUS: own }, true]] as const) {
      const hub = await startTestHub({ env });
      try {
        await hub.db.kbEntry.createMany({ data: ENTRIES.map((e) => ({ ...e, tags: "[]", variants: "[]" })) });
        const [reply] = await hub.say("zhang", "按金几时可以拿回来");
        // Reached through the company's word: answered, or offered as the choice (most of its words are not the entry's).
        expect(reply.includes("（deposit）") || reply.includes("1. 经销商保证金是多少？"), reply).toBe(answered);
      } finally {
        await hub.close();
      }
    }
    writeFileSync(own, "按金 = 保证金\n");
    await expect(startTestHub({ env: { HUB_THESAURUS: own } })).rejects.toThrow(`HUB_THESAURUS: ${own} line 1`);
  });
});
