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

  it("finds numbers written to slip past: zero-width characters, dots, spaced digits, Chinese numerals, spaced ID numbers", () => {
    for (const written of ["手机139\u200b0000\u200b1111", "电话139.0000.1111", "电话 1 3 9 0 0 0 0 1 1 1 1", "电话一三九零零零零一一一一", "电话壹叁玖〇〇〇〇壹壹壹壹", "身份证 110101 19900307 1234", "卡号6222\u00a00212\u00a03456\u00a07890", "邮箱 wq(at)example.com", "邮箱 wq\u200b@example.com"]) {
      expect(redactQuestion(`${written}，展位费补贴吗？`).text, written).toBe("展位费补贴吗？");
    }
    expect(clean("I am John Smith, phone 13900001111 展位费?")).toBe("展位费?");
  });

  it("takes out WeChat and QQ ids after their label", () => {
    expect(redactQuestion("微信号wangqiang_88，展位费补贴吗？")).toEqual({ text: "展位费补贴吗？", removed: ["account"] });
    expect(clean("加我微信：wq-2026abc 发一下返利表")).toBe("加我微信，发一下返利表");
    expect(clean("QQ 123456 能收到培训通知吗")).toBe("能收到培训通知吗");
  });

  it("drops a self-introduction whatever the name, and a sender naming themselves before asking", () => {
    expect(clean("我是欧阳娜娜，展位费补贴吗？")).toBe("展位费补贴吗？");
    expect(clean("我是文静，展位费补贴吗？")).toBe("展位费补贴吗？");
    expect(clean("本人文静，展位费补贴吗？")).toBe("展位费补贴吗？");
    expect(clean("我叫司马相如，展位费补贴吗？")).toBe("展位费补贴吗？");
    expect(clean("王强这边问下展位费补贴吗？")).toBe("问下展位费补贴吗？");
    expect(clean("欧阳娜娜这里想咨询一下展位费")).toBe("想咨询一下展位费");
    // The question itself is never taken for an introduction.
    for (const q of ["我是说返利什么时候到？", "我是不是要先交保证金？", "本人想问一下返利政策有变化吗？", "杭州这边有没有仓库？", "展会的展位费公司补贴吗？"]) {
      expect(redactQuestion(q)).toEqual({ text: q, removed: [] });
    }
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

  it("are found however they are disguised, in one form", () => {
    for (const phone of ["138\u200b0000\u200b0000", "138.0000.0000", "1 3 8 0 0 0 0 0 0 0 0", "一三八零零零零零零零零", "一三八〇〇〇〇〇〇〇〇", "壹叁捌零零零零零零零零", "１３８００００００００", "138_0000_0000", "138/0000/0000"]) {
      expect(contactDetails(`请拨打 ${phone} 咨询`).phones, phone).toEqual(["13800000000"]);
    }
    for (const link of ["evil[.]example/login", "evil(.)example/login", "evil[dot]example/login", "evil。example/login", "ｅｖｉｌ．ｅｘａｍｐｌｅ/login", "evil\u200b.example/login"]) {
      expect(contactDetails(`请访问 ${link}`).links, link).toEqual(["evil.example/login"]);
    }
    expect(contactDetails("请访问 127.0.0.1:8080/login").links).toEqual(["127.0.0.1:8080/login"]);
    expect(contactDetails("请访问 evil.example:8443/pay").links).toEqual(["evil.example:8443/pay"]);
    expect(contactDetails("请发邮件至 wq\u200b@example.com").emails).toEqual(["wq@example.com"]);
    expect(contactDetails("请加微信 evil_agent_88").accounts).toEqual(["evil_agent_88"]);
  });
});

const entry = (id: string, question: string, answer: string, trainingUrl: string | null = null): KbRecord => ({ id, question, answer, variants: [], tags: [], source: "faq", trainingUrl, learned: [] });
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

  it("withholds them however they are disguised", () => {
    const disguised: [string, string][] = [
      ["请拨打 138\u200b0000\u200b0000 咨询", "phone"], ["请拨打 138.0000.0000 咨询", "phone"], ["请拨打 1 3 8 0 0 0 0 0 0 0 0 咨询", "phone"],
      ["请拨打 一三八零零零零零零零零 咨询", "phone"], ["请拨打 一三八〇〇〇〇〇〇〇〇 咨询", "phone"], ["请拨打 壹叁捌零零零零零零零零 咨询", "phone"],
      ["请访问 evil[.]example/login", "link"], ["请访问 evil。example/login", "link"], ["请访问 ｅｖｉｌ．ｅｘａｍｐｌｅ/login", "link"],
      ["请访问 evil\u200b.example/login", "link"], ["请访问 127.0.0.1:8080/login", "link"], ["请发邮件至 wq\u200b@example.com", "email"],
      ["请加微信 evil_agent_88", "account"],
    ];
    for (const [reply, problem] of disguised) expect(replyProblem(reply, [REBATE], [REBATE]), reply).toBe(problem);
    // The cited entry's own hotline, written another way, is still its own.
    expect(replyProblem("售后热线 四零零八二零一二三四，或 learn。brand。example/after-sales", [HOTLINE], [HOTLINE])).toBeNull();
  });

  it("passes amounts, dates, model numbers, percentages and periods", () => {
    for (const reply of ["补贴2,000元，2026-12-01前到账，K1型号补贴50%，60天内报销。", "2026/12/01 13:00-18:00 办理，返利1,200,000元", "第一批二〇二六年十二月一日发，返利3.5%", "V2.1 版本，3.5mm 接口，1.5米", "订单满10000元打9.5折，13-15号发货，一一对应"]) {
      expect(replyProblem(reply, [REBATE], [REBATE]), reply).toBeNull();
    }
  });

  it("withholds a reply that repeats the instructions or dumps the entries", () => {
    expect(replyProblem("我的指令是：只能依据下面提供的知识库条目回答，不得使用条目以外的信息", [REBATE], [REBATE])).toBe("prompt");
    expect(replyProblem("知识库条目：\n[kb-003] 问：返利什么时候到账？\n答：季度返利于下一季度首月20日前发放至返利账户。", [REBATE, USE], [REBATE])).toBe("prompt");
    const dump = `1. ${REBATE.question} ${REBATE.answer}\n2. ${USE.question} ${USE.answer}\n3. ${HOTLINE.question} ${HOTLINE.answer}`;
    expect(replyProblem(dump, [REBATE, USE, HOTLINE], [REBATE, USE, HOTLINE])).toBe("entries");
  });
});
