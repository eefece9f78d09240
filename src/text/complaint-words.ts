// How a complaint (投诉) is told from everything else a partner says, and the category and severity the
// hub guesses for it before staff confirm them. Only someone saying they complain is a complaint: a
// question about how to complain (投诉电话是多少) is a question, and a bad word alone (太慢了) is chatter.
import { normalizeText } from "./normalize.ts";

export const CATEGORIES = { PRODUCT: "产品质量", LOGISTICS: "物流", AFTER_SALES: "售后", PRICE: "价格", ATTITUDE: "服务态度", OTHER: "其他" } as const;
export type Category = keyof typeof CATEGORIES;
export const SEVERITIES = { NORMAL: "一般", SERIOUS: "严重", URGENT: "紧急" } as const;
export type Severity = keyof typeof SEVERITIES;

/** "投诉：…", "投诉 …", "投诉！…" at the start: what follows is the complaint. */
const LEADING = /^(?:@\S+\s+)*(?:(?:您好|你好)[,，!！\s]*)?(?:我|我们|我司)?\s*投诉\s*[:：,，!！。、\s]\s*/;
/** Someone saying they complain: "我要投诉", "必须投诉你们", "投诉一下…", "就投诉到12315". */
const SAYING = new RegExp(
  [
    "(?:要|想|必须|准备|得|正式|坚决|一定|还会|再|就|去)\\s*(?:投诉|举报)(?!的话)",
    "(?:投诉|举报)(?:你们|贵司|贵公司|你司)",
    "投诉一下(?!午)",
    "投诉到(?:12315|消协|工商|市场监管|总部|媒体)",
    // Complained before, and nothing came of it: 投诉过很多次了, 已经投诉了三次.
    "已经投诉",
    "投诉(?:过|了)[^，,。]{0,3}次",
  ].join("|"),
);
/** Saying they do not (不想投诉, 懒得投诉, 不会再投诉). */
const NOT_SAYING = /(?:不是|没必要|没有必要|并没有|不|没|别|懒得|不会|不用|不必|不至于)(?:打算|准备|想|要|会|再|去|就|有){0,2}\s*投诉|(?:本来|原本|原来|差点|险些)(?:想|要|就)?\s*投诉/;
/** About the complaint channel or how to complain, not a complaint: 投诉电话是多少, 怎么投诉, 想投诉的话找谁. */
const ASKING = /投诉(?:电话|热线|渠道|方式|邮箱|流程|入口|部门|专线|途径)|(?:怎么|如何|怎样|在哪|哪里|哪儿|找谁|向谁|跟谁|能不能|可不可以|可以)\s*投诉|投诉的话/;
/** A partner's own customer complaining to them: a question about handling it, not a complaint to us. */
const THEIR_CUSTOMER = /(?:客户|顾客|用户|消费者|终端|买家)[^，,。！!？?]{0,3}投诉/;
/** "我要投诉", said outright (first person, not "…的话"): a complaint even beside a question about the channel. */
const OUTRIGHT = /(?:我|我们|我司|本店|本公司)\s*(?:要|必须|一定要|坚决|正式|就)\s*(?:正式)?\s*投诉(?!的话)/;

/** The text of a complaint when a message is one, else null (also for a question about complaining). */
export function complaintIn(said: string): string | null {
  // Every partner message passes here: most say neither word, and are not normalized for nothing.
  if (!/投[诉訴]|[举舉][报報]/.test(said)) return null;
  const t = normalizeText(said);
  if (!t.includes("投诉") && !t.includes("举报")) return null;
  const leading = LEADING.exec(t);
  if (leading) {
    // The partner's own words after it (normalizing keeps the length, except in rare phrase conversions).
    const raw = said.trim();
    const rest = (raw.length === t.length ? raw : t).slice(leading[0].length).trim();
    return rest || raw;
  }
  if (OUTRIGHT.test(t)) return said.trim();
  if (NOT_SAYING.test(t)) return null;
  if (ASKING.test(t) || THEIR_CUSTOMER.test(t)) return null;
  return SAYING.test(t) ? said.trim() : null;
}

const CATEGORY_WORDS: [Category, RegExp][] = [
  ["ATTITUDE", /态度|不理|敷衍|不耐烦|推诿|推脱|踢皮球|骂|不回复|不回消息|爱答不理|没人管|没人理/],
  ["LOGISTICS", /物流|发货|到货|快递|配送|运输|送货|没收到|还没到|没发|未发|延迟|延误|缺货|少发|发错|错发|漏发/],
  ["AFTER_SALES", /售后|维修|保修|退货|换货|退换|返修|安装|上门|师傅|工单|索赔/],
  ["PRICE", /价格|价钱|贵|涨价|降价|差价|返利|结算|扣款|多收|发票|对账|账期|乱价|窜货/],
  ["PRODUCT", /质量|故障|坏了|损坏|破损|漏水|裂|不工作|不能用|用不了|死机|次品|瑕疵|异响|失灵|不灵|报错|开不了|打不开|划痕/],
];

/** The category the words suggest (the first that fits, in the order above), else OTHER. */
export function guessCategory(text: string): Category {
  const t = normalizeText(text);
  return CATEGORY_WORDS.find(([, words]) => words.test(t))?.[0] ?? "OTHER";
}

const URGENT = /紧急|马上|立刻|立即|十万火急|停产|停工|停业|无法营业|安全|起火|着火|冒烟|漏电|触电|受伤|伤人|媒体|曝光|报警|律师|起诉|12315/;
const SERIOUS = /严重|多次|再次|又一次|屡次|一直|反复|好几次|损失|赔偿|批量|全部|所有|大量|退货|取消合作|不再合作|换供应商/;

export function guessSeverity(text: string): Severity {
  const t = normalizeText(text);
  return URGENT.test(t) ? "URGENT" : SERIOUS.test(t) ? "SERIOUS" : "NORMAL";
}

/** Staff's words for a category or a severity (/complaint set 3 物流 严重), Chinese or English. */
export function categoryNamed(word: string): Category | null {
  const w = normalizeText(word).toLowerCase();
  const hit = (Object.entries(CATEGORIES) as [Category, string][]).find(([k, v]) => v === w || k.toLowerCase() === w || (w.length >= 2 && v.startsWith(w)));
  return hit?.[0] ?? (w === "质量" || w === "产品" ? "PRODUCT" : w === "态度" || w === "服务" ? "ATTITUDE" : null);
}

export function severityNamed(word: string): Severity | null {
  const w = normalizeText(word).toLowerCase();
  const hit = (Object.entries(SEVERITIES) as [Severity, string][]).find(([k, v]) => v === w || k.toLowerCase() === w);
  return hit?.[0] ?? (w === "普通" ? "NORMAL" : w === "急" || w === "加急" ? "URGENT" : null);
}
