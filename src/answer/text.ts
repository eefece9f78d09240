// How partners type a question, reduced to what retrieval compares: Simplified characters, no
// @mentions, emoji or links, Cantonese function words in Mandarin, common variant characters unified,
// then tokens (character bigrams, single characters, English words, and pinyin bigrams that let a
// homophone typo such as 反利 meet 返利).
import { pinyin } from "pinyin-pro";
import { normalizeText } from "../text/normalize.ts";

/**
 * Cantonese (粤语) words people type in chats, and their Mandarin: a general table of the language's
 * function words, not of any question set.
 */
const CANTONESE: [string, string][] = [
  ["乜嘢", "什么"], ["咩嘢", "什么"], ["点样", "怎么"], ["点算", "怎么办"], ["几时", "什么时候"], ["几多", "多少"],
  ["边度", "哪里"], ["边个", "谁"], ["而家", "现在"], ["系咪", "是不是"], ["使唔使", "需不需要"], ["可唔可以", "可不可以"],
  ["有冇", "有没有"], ["唔该", "请"], ["嘢", "东西"], ["冇", "没有"], ["唔", "不"], ["嘅", "的"], ["咗", "了"],
  ["喺", "在"], ["佢", "他"], ["啲", "些"], ["咩", "什么"], ["俾", "给"], ["畀", "给"], ["嚟", "来"],
  ["睇", "看"], ["揾", "找"], ["攞", "拿"], ["咁", "这么"], ["噉", "这样"], ["先至", "才"],
];

/**
 * English that Chinese sales and channel teams mix into their sentences, with the Chinese term: a
 * general trade glossary (not drawn from any question set). The English stays too.
 */
const TRADE_GLOSSARY: Record<string, string> = {
  moq: "最小起订量", sku: "单品", oem: "贴牌", odm: "代工设计", ka: "重点客户", kpi: "考核指标", roi: "投入产出",
  gmv: "成交额", pos: "收银", crm: "客户管理", b2b: "企业", b2c: "零售", app: "应用", wifi: "联网", sn: "序列号",
  invoice: "发票", receipt: "收据", rebate: "返利", discount: "折扣", price: "价格", quote: "报价", quotation: "报价",
  order: "订单", delivery: "发货", shipping: "物流", logistics: "物流", freight: "运费", warranty: "保修",
  repair: "维修", refund: "退款", return: "退货", exchange: "换货", deposit: "保证金", credit: "信用额度",
  payment: "付款", contract: "合同", dealer: "经销商", distributor: "经销商", training: "培训", certificate: "证书",
  sample: "样机", demo: "样机", promotion: "促销", referral: "转介绍", complaint: "投诉", hotline: "热线",
  account: "账号", password: "密码", login: "登录", stock: "库存", inventory: "库存", catalog: "产品目录",
};

/** Variant characters that mean the same in business writing (异体/混用字). */
const VARIANTS: [RegExp, string][] = [
  [/帐/g, "账"],
  [/[么麽]/g, "么"],
  [/徵/g, "征"],
];

const MENTION = /@[^\s@]{1,32}\s?/g;
const URL = /https?:\/\/\S+/g;
const EMOJI = /[\p{Extended_Pictographic}\u{FE0F}\u{200D}]/gu;

/** A question as people write it, less @mentions, links and emoji: how it is kept as a phrasing of an entry. */
export function plainQuestion(raw: string): string {
  return raw.replace(URL, " ").replace(MENTION, " ").replace(EMOJI, " ").replace(/\s+/g, " ").trim();
}

export function cleanQuestion(raw: string): string {
  let t = plainQuestion(raw);
  t = normalizeText(t).toLowerCase();
  for (const [yue, cmn] of CANTONESE) t = t.replaceAll(yue, cmn);
  for (const [re, to] of VARIANTS) t = t.replace(re, to);
  t = t.replace(/[a-z]+/g, (w) => (TRADE_GLOSSARY[w] ? `${w} ${TRADE_GLOSSARY[w]} ` : w));
  return t.replace(/\s+/g, " ").trim();
}

/** Two wordings that differ only in script, punctuation or spacing are one. */
export const comparable = (s: string) => cleanQuestion(s).replace(/[^\p{L}\p{N}]/gu, "");

export interface Token {
  term: string;
  /** Relative importance of the token kind. */
  weight: number;
  /** For a character bigram: its pinyin token, which stands in when the characters themselves are unknown. */
  sound?: string;
  /** Not typed by the partner but a word for the same thing (thesaurus.ts): the typed word it stands for. */
  related?: string;
}

/** Weights of each kind of token: bigrams carry the meaning, the rest rescue typos and short words. */
export const TOKEN_WEIGHTS = { bigram: 1, unigram: 0.3, word: 1.2, pinyin: 0.8, functional: 0.35 } as const;

/**
 * Characters that are nearly always grammar in questions (particles, pronouns, question words). A
 * bigram that includes one ("货怎", "么罚") mostly straddles two words, so it counts for little, and
 * alone they count for nothing. General Chinese, not tied to any knowledge base.
 */
const FUNCTION_CHARS = new Set([..."的了吗呢啊吧呀嘛么怎什是我你他她它们这那哪谁几请问吗哈哦嗯喔呗咯啦"]);

/** Two-character scaffolding of questions ("什么时候", "可以…吗"): asked the same way about anything. */
const FUNCTION_BIGRAMS = new Set(["时候", "多少", "多久", "可以", "能不", "不能", "是不", "有没", "没有", "请问", "一下", "需要", "应该", "现在", "还是"]);

const CJK_RUN = /[\u3400-\u9fff]+/g;
const WORD = /[a-z0-9]+/g;

/** `sounds: false` leaves out the pinyin of bigrams (the costly part), for callers that compare words only. */
export function tokenize(cleaned: string, { sounds = true } = {}): Token[] {
  const out: Token[] = [];
  for (const [run] of cleaned.matchAll(CJK_RUN)) {
    const chars = [...run];
    const syllables = sounds ? pinyin(run, { toneType: "none", type: "array" }) : [];
    for (const c of chars) if (!FUNCTION_CHARS.has(c)) out.push({ term: c, weight: TOKEN_WEIGHTS.unigram });
    for (let i = 0; i + 1 < chars.length; i++) {
      const functional = FUNCTION_CHARS.has(chars[i]) || FUNCTION_CHARS.has(chars[i + 1]) || FUNCTION_BIGRAMS.has(chars[i] + chars[i + 1]);
      out.push({
        term: chars[i] + chars[i + 1],
        weight: functional ? TOKEN_WEIGHTS.functional : TOKEN_WEIGHTS.bigram,
        sound: functional || !sounds ? undefined : `~${syllables[i]}${syllables[i + 1]}`,
      });
    }
  }
  for (const [w] of cleaned.matchAll(WORD)) out.push({ term: `#${w}`, weight: TOKEN_WEIGHTS.word });
  return out;
}
