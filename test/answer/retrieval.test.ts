import { describe, expect, it } from "vitest";
import { KbIndex, type KbDoc } from "../../src/answer/kb-index.ts";
import { cleanQuestion } from "../../src/answer/text.ts";
import { isChatter, looksLikeQuestion } from "../../src/answer/intent.ts";

const doc = (id: string, question: string, answer: string, tags: string[] = []): KbDoc => ({ id, question, answer, tags, variants: [] });

const KB = new KbIndex([
  doc("rebate-when", "返利什么时候到账？", "季度返利在下一季度首月20日前发放到返利账户。", ["返利"]),
  doc("rebate-rate", "季度返利的比例是多少？", "完成100%返3%。", ["返利"]),
  doc("credit-term", "经销商可以享受多长的账期？", "金牌经销商账期45天。", ["账期"]),
  doc("lock-warranty", "智能门锁的保修期是多久？", "智能门锁整机保修2年，电子锁体3年。", ["保修期", "智能门锁"]),
  doc("robot-warranty", "扫地机器人的保修期是多久？", "扫地机器人整机保修1年，电池半年。", ["保修期", "扫地机器人"]),
  doc("moq", "各产品的最小起订量是多少？", "按单个SKU计算的最小起订量为：智能门锁10台。", ["起订量"]),
]);
const top = (q: string) => KB.search(q, 1)[0]?.id;

describe("how partners type questions", () => {
  it("cleans @mentions, emoji, links, Traditional characters and Cantonese function words", () => {
    expect(cleanQuestion("@云帆小助手 門鎖保幾年？🙏 https://x.cn/a")).toBe("门锁保几年?");
    expect(cleanQuestion("返利幾時先到㗎")).toContain("什么时候");
    expect(cleanQuestion("有冇樣機")).toBe("有没有样机");
  });

  it("finds the entry through homophone typos and variant characters", () => {
    expect(top("反利什么时候到")).toBe("rebate-when");
    expect(top("帐期多长")).toBe("credit-term");
  });

  it("tells near-duplicate entries apart by the product named", () => {
    expect(top("门锁保修多久")).toBe("lock-warranty");
    expect(top("扫地机保几年")).toBe("robot-warranty");
  });

  it("understands English mixed in", () => {
    expect(top("MOQ是多少")).toBe("moq");
    expect(top("每个sku最少订几台")).toBe("moq");
  });

  it("never takes shared question words alone for a match", () => {
    expect(KB.search("年会什么时候开", 1)[0]?.confidence ?? 0).toBe(0);
  });

  it("is less sure of a question the knowledge base does not cover", () => {
    const covered = KB.search("智能门锁保修期多久", 1)[0].confidence;
    const uncovered = KB.search("洗碗机的安装费是多少", 1)[0]?.confidence ?? 0;
    expect(covered).toBeGreaterThan(uncovered);
  });
});

describe("what is a question for the bot", () => {
  it.each(["好的", "收到", "哈哈哈", "谢谢！", "👍", "早上好"])("%s is chatter", (t) => expect(isChatter(t)).toBe(true));
  it.each(["门锁保几年", "返利什么时候到账", "运费谁出？", "可以混批吗"])("%s is a question", (t) => expect(looksLikeQuestion(t)).toBe(true));
  it.each(["今天到货了", "好的收到", "我们下午去门店"])("%s is not", (t) => expect(looksLikeQuestion(t)).toBe(false));
});
