// What is kept from a partner's words for everyone carries no personal data, and what the LLM says
// carries no contact details or prompt text it was not meant to pass on.
import { describe, expect, it } from "vitest";
import { replyProblem } from "../../src/answer/grounded.ts";
import type { KbRecord } from "../../src/answer/kb-store.ts";
import { contactDetails, redactQuestion } from "../../src/answer/redact.ts";

const clean = (s: string, names: string[] = []) => redactQuestion(s, names).text;

describe("a partner's question made fit for the knowledge base", () => {
  it("drops a self-introduction and the phone number, keeping the question", () => {
    expect(redactQuestion("我是王强，手机13900001111，展会的展位费公司补贴吗？")).toEqual({ text: "展会的展位费公司补贴吗？", removed: ["phone", "name"] });
    expect(clean("我叫李娜。展位费怎么报销？")).toBe("展位费怎么报销？");
    expect(clean("我姓王，想问问返利")).toBe("想问问返利");
    expect(clean("我是杭州云帆的王强，想问下展位费")).toBe("想问下展位费");
    expect(clean("您好，我是刘洋，门锁保修多久？")).toBe("门锁保修多久？");
  });

  it("finds phone numbers however they are written: +86, spaces, dashes, full-width, landlines", () => {
    for (const phone of ["13900001111", "+86 139 0000 1111", "139-0000-1111", "+8613900001111", "0086-139-0000-1111", "(+86)139 0000 1111", "１３９００００１１１１"]) {
      expect(clean(`请打${phone}告诉我返利到没到`), phone).toBe("请打电话告诉我返利到没到");
    }
    expect(clean("座机0571-88886666打不通，客服电话多少？")).toBe("座机打不通，客服电话多少？");
    expect(clean("我的手机号是 139 0000 1111，换手机号要重新绑定吗？")).toBe("换手机号要重新绑定吗？");
  });

  it("takes out e-mail, ID, bank card and other long numbers", () => {
    expect(clean("发票发到 wang.qiang@example.com 可以吗？")).toBe("发票发到邮箱可以吗？");
    expect(clean("身份证330106198001011234能注册经销商吗")).toBe("身份证能注册经销商吗");
    expect(clean("身份证号33010619800101123X丢了怎么办")).toBe("身份证号丢了怎么办");
    expect(clean("退款退到卡号6222 0212 3456 7890 123吗")).toBe("退款退到卡号吗");
    expect(clean("返利打到6222021234567890123这张卡上吗")).toBe("返利打到银行卡号这张卡上吗");
    expect(clean("订单号 2026112000123 什么时候发货")).toBe("订单号什么时候发货");
  });

  it("generalises the names of people: titles, known contacts, @mentions", () => {
    expect(clean("王总，返利什么时候到账？")).toBe("返利什么时候到账？");
    expect(clean("李经理上次说样机可以退，是真的吗")).toBe("某经理上次说样机可以退，是真的吗");
    expect(clean("张伟说上次的返利还没到", ["张伟"])).toBe("某人说上次的返利还没到");
    expect(clean("张伟，上次的返利到了吗", ["张伟"])).toBe("上次的返利到了吗");
    expect(clean("@周敏 展位费补贴吗")).toBe("展位费补贴吗");
  });

  it("leaves ordinary questions alone, dates and words that begin with a surname included", () => {
    for (const q of ["返利什么时候到账？", "周末，有人值班吗？", "金总额超过信用额度怎么办", "每周工作日几点发货？", "2026-11-20的培训还有名额吗", "明天，能发货吗", "X2 门锁的价格是1299元吗"]) {
      expect(redactQuestion(q)).toEqual({ text: q, removed: [] });
    }
  });
});

describe("contact details in a text", () => {
  it("are normalised so one number written two ways is one", () => {
    const found = contactDetails("全部客户电话：13800000000、+86 139-0000-1111 请点击 http://evil.example/login 或 www.pay.example/x，邮箱 A@B.com");
    expect(found.phones).toEqual(["13800000000", "13900001111"]);
    expect(found.emails).toEqual(["a@b.com"]);
    expect(found.links).toEqual(["evil.example/login", "pay.example/x"]);
    expect(contactDetails("发到 wang.qiang@example.com").links).toEqual([]);
  });
});

const entry = (id: string, question: string, answer: string, trainingUrl: string | null = null): KbRecord => ({ id, question, answer, variants: [], tags: [], source: "faq", trainingUrl });
const REBATE = entry("kb-003", "返利什么时候到账？", "季度返利于下一季度首月20日前发放至返利账户。");
const USE = entry("kb-004", "返利账户里的金额怎么使用？", "返利只能抵扣后续货款，不能提现。");
const HOTLINE = entry("kb-010", "售后电话是多少？", "售后热线 400-820-1234，工作日 9:00-18:00；报修也可发邮件到 service@brand.example。", "https://learn.brand.example/after-sales");

describe("a generated answer is shown only when it passes on nothing it should not", () => {
  it("passes answers in the model's own words, with the cited entries' own numbers, mail and links", () => {
    expect(replyProblem("一季度返利4月20日前到账，到账后可以抵扣货款。", [REBATE, USE], [REBATE, USE])).toBeNull();
    expect(replyProblem("可以打售后热线4008201234，或发邮件到 Service@brand.example，资料见 learn.brand.example/after-sales/video", [HOTLINE], [HOTLINE])).toBeNull();
    // Quoting one entry's answer is what it is for.
    expect(replyProblem("季度返利于下一季度首月20日前发放至返利账户。", [REBATE, USE], [REBATE])).toBeNull();
  });

  it("withholds phone numbers, e-mail addresses and links the cited entries do not have", () => {
    expect(replyProblem("全部客户电话：13800000000、13800000001 请点击 http://evil.example/login", [REBATE], [REBATE])).toBe("phone");
    expect(replyProblem("请点击 http://evil.example/login 领取返利", [REBATE], [REBATE])).toBe("link");
    expect(replyProblem("返利到账请登录 evil.example/login 查看", [REBATE], [REBATE])).toBe("link");
    expect(replyProblem("请把账户发到 refund@evil.example", [REBATE], [REBATE])).toBe("email");
    // A number from an entry that was given but not cited is not a source either.
    expect(replyProblem("返利到账后可以打 400-820-1234 咨询", [REBATE, HOTLINE], [REBATE])).toBe("phone");
  });

  it("withholds a reply that repeats the instructions or dumps the entries", () => {
    expect(replyProblem("我的指令是：只能依据下面提供的知识库条目回答，不得使用条目以外的信息", [REBATE], [REBATE])).toBe("prompt");
    expect(replyProblem("知识库条目：\n[kb-003] 问：返利什么时候到账？\n答：季度返利于下一季度首月20日前发放至返利账户。", [REBATE, USE], [REBATE])).toBe("prompt");
    const dump = `1. ${REBATE.question} ${REBATE.answer}\n2. ${USE.question} ${USE.answer}\n3. ${HOTLINE.question} ${HOTLINE.answer}`;
    expect(replyProblem(dump, [REBATE, USE, HOTLINE], [REBATE, USE, HOTLINE])).toBe("entries");
  });
});
