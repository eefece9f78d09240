// A complaint is someone saying they complain; a question about complaining, a partner's own customer
// complaining to them, or a bad word alone is not one. The guessed category and severity follow the words.
import { describe, expect, it } from "vitest";
import { categoryNamed, complaintIn, guessCategory, guessSeverity, severityNamed } from "../../src/text/complaint-words.ts";
import { DEFAULT_COMPLAINT_SLA, deadlines, parseComplaintSla } from "../../src/lib/complaint-sla.ts";
import { parseWorkingHours } from "../../src/lib/working-time.ts";
import { formatDateTime } from "../../src/lib/time-format.ts";

describe("telling a complaint", () => {
  it.each([
    ["我要投诉，上周订的货到现在还没发", "我要投诉，上周订的货到现在还没发"],
    ["投诉：安装师傅迟到三个小时", "安装师傅迟到三个小时"],
    ["投诉: 发票开错了两次", "发票开错了两次"],
    ["对你们的售后很不满意，要投诉", "对你们的售后很不满意，要投诉"],
    ["投訴：物流太慢了", "物流太慢了"],
    ["我必须投诉你们的业务员，态度太差", "我必须投诉你们的业务员，态度太差"],
    ["投诉一下你们的物流", "投诉一下你们的物流"],
    ["投诉 下单系统一直报错", "下单系统一直报错"],
    ["投诉！货没到", "货没到"],
    ["你们的投诉电话一直打不通，我要投诉！", "你们的投诉电话一直打不通，我要投诉！"],
    ["顾客投诉门锁漏水好几次了，我们必须投诉你们", "顾客投诉门锁漏水好几次了，我们必须投诉你们"],
    ["再不处理我就投诉到12315", "再不处理我就投诉到12315"],
    ["我要投诉快递公司，三天了还没送到", "我要投诉快递公司，三天了还没送到"],
    ["投诉热线没人接，我要正式投诉你们", "投诉热线没人接，我要正式投诉你们"],
    ["我们投诉过很多次了，一直没人处理", "我们投诉过很多次了，一直没人处理"],
    ["已经投诉了三次还没人理", "已经投诉了三次还没人理"],
    ["@伙伴通 投诉：货没到", "货没到"],
    ["您好，投诉：货没到", "货没到"],
    ["我要举报你们的业务员吃回扣", "我要举报你们的业务员吃回扣"],
  ])("%s is a complaint", (said, text) => {
    expect(complaintIn(said)).toBe(text);
  });

  it.each(["投诉电话是多少", "怎么投诉？", "投诉流程是什么", "我的客户投诉产品漏水，怎么处理", "你们的物流太慢了", "有人投诉过这个型号吗", "可以投诉吗", "我不想投诉，就问一下货什么时候到", "懒得投诉了", "我们不会再投诉了", "想投诉的话找谁？", "不是要投诉你们，就是问一下发票", "没必要投诉吧", "我要投诉的话打哪个电话", "我的客户要投诉我，门锁装好就坏了，怎么办", "客户说要投诉我们，怎么处理", "我没有投诉你们的意思，就是问问保修", "我并没有要投诉你们的意思", "我们不打算投诉你们", "本来想投诉，后来你们解决了，谢谢", "没有再投诉的必要了", "投诉一下午都没人接电话吗"])("%s is not", (said) => {
    expect(complaintIn(said)).toBeNull();
  });

  it("guesses the category and severity from the words, and reads staff's words for them", () => {
    expect(guessCategory("货到现在还没发")).toBe("LOGISTICS");
    expect(guessCategory("门锁用了三天就坏了")).toBe("PRODUCT");
    expect(guessCategory("上门安装的师傅迟到")).toBe("AFTER_SALES");
    expect(guessCategory("返利结算一直拖")).toBe("PRICE");
    expect(guessCategory("客服态度很差，爱答不理")).toBe("ATTITUDE");
    expect(guessCategory("我要投诉")).toBe("OTHER");
    expect(guessSeverity("门锁冒烟了")).toBe("URGENT");
    expect(guessSeverity("已经第三次发错货了，一直这样")).toBe("SERIOUS");
    expect(guessSeverity("发货慢")).toBe("NORMAL");
    expect([categoryNamed("物流"), categoryNamed("售后"), categoryNamed("质量"), categoryNamed("服务态度"), categoryNamed("天气")]).toEqual(["LOGISTICS", "AFTER_SALES", "PRODUCT", "ATTITUDE", null]);
    expect([severityNamed("紧急"), severityNamed("嚴重"), severityNamed("一般"), severityNamed("urgent"), severityNamed("物流")]).toEqual(["URGENT", "SERIOUS", "NORMAL", "URGENT", null]);
  });
});

describe("complaint deadlines", () => {
  const hours = parseWorkingHours("09:00-18:00", "1-5");
  const clock = { timeZone: "Asia/Shanghai", workingHours: hours, sla: parseComplaintSla(DEFAULT_COMPLAINT_SLA) };
  const local = (d: Date) => formatDateTime(d, "Asia/Shanghai");

  it("counts working hours only: a Friday-afternoon complaint is due on Monday", () => {
    // Friday 2026-11-20 17:00 Shanghai.
    const at = new Date("2026-11-20T09:00:00Z");
    expect(Object.values(deadlines(clock, "NORMAL", at)).map(local)).toEqual(["2026-11-23 12:00", "2026-11-25 17:00"]);
    expect(Object.values(deadlines(clock, "URGENT", at)).map(local)).toEqual(["2026-11-20 18:00", "2026-11-23 12:00"]);
    // Received at night: the clock starts when work does.
    expect(local(deadlines(clock, "SERIOUS", new Date("2026-11-23T15:00:00Z")).respondBy)).toBe("2026-11-24 11:00");
  });

  it("skips holidays, and refuses a setting it cannot read with the variable's name", () => {
    const holiday = { ...clock, workingHours: { ...hours, holidays: new Set([Date.parse("2026-11-23T00:00:00Z")]) } };
    expect(local(deadlines(holiday, "NORMAL", new Date("2026-11-20T09:00:00Z")).respondBy)).toBe("2026-11-24 12:00");
    expect(parseComplaintSla("紧急=0.5/2,严重=1/8,一般=2/16").URGENT).toEqual({ respond: 0.5, resolve: 2 });
    expect(() => parseComplaintSla("紧急=1/4,严重=2/9")).toThrow(/HUB_COMPLAINT_SLA_HOURS: missing 一般/);
    expect(() => parseComplaintSla("紧急=4/1,严重=2/9,一般=4/27")).toThrow(/no later than the resolution/);
    expect(() => parseComplaintSla("很急=1/4")).toThrow(/HUB_COMPLAINT_SLA_HOURS: each part must look like 紧急=1\/4/);
  });
});
