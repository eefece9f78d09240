// Personal data out of a partner's words before they become knowledge: a question saved from a
// hand-off is cited to every other partner and shown to the LLM, so phone numbers, e-mail, ID and
// bank card numbers and people's names are removed or generalised ("请打13900001111" -> "请打电话").
// Pure: the caller passes the names it knows (the partner's contacts, staff), and staff see the
// result before it is saved. Also the detectors the LLM reply check uses (contact details, links).

export type PersonalKind = "phone" | "email" | "id_number" | "bank_card" | "number" | "account" | "link" | "name";

export interface Redacted {
  text: string;
  /** What was taken out, once per kind, in the order found (for staff and for logs). */
  removed: PersonalKind[];
}

/**
 * The most common Chinese surnames (2020 census top 100, less 文 常 易 向, which begin everyday words): a
 * self-introduction "我是王强" or an address "王总" is recognised by its first character.
 */
const SURNAMES =
  "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余于杜叶程魏苏吕丁任卢姚沈钟姜崔谭陆范汪廖石金韦贾夏付方邹熊白孟秦邱侯江尹薛闫段雷龙黎史陶贺毛郝顾龚邵万覃武钱戴严莫孔汤康乔赖";
const SURNAME = `[${SURNAMES}]`;
/** How people are addressed by surname and title; the lookaheads keep words like 金总额 and 周工作 intact. */
const TITLE = "(?:总(?!额|计|价|共|数|部|量|和|是|结|体|监|裁|经理|公司|代理|店|账|金|之)|总监|经理|老板|董事长|主任|主管|老师|师傅|先生|女士|小姐|工(?![厂作资程具单期艺商人地位业时序种号伤会龄装控])|姐|哥)";
const CJK_NAME = "[\\u4e00-\\u9fa5·]";
/** A sender naming themselves before asking: 王强这边问下… / 云帆这里想咨询… (2-4 characters, then 这边/这里 and asking). */
const SENDER_HERE = /^[\s，,。！!？?]*(?:(?:您好|你好)[，,！!]?\s*)?[\u4e00-\u9fa5]{2,4}(?:这边|这里)(?=(?:想|要|再|来)?(?:问|咨询|请教|打听))/;
/** Clause boundaries in a chat message. */
const SEP = "[，,。.！!？?；;、\\s]";
const LABEL = "(?:联系电话|联系方式|手机号|手机|电话|座机|微信号|微信|wechat|vx|wx|QQ|qq|身份证号|身份证|银行卡号|银行卡|卡号|邮箱|e-?mail|phone|mobile|tel)";
const LABEL_TAIL = "(?:号码|号)?\\s*(?:是|为|[:：])?\\s*";
const NOT_DIGIT_BEFORE = "(?<![\\dA-Za-z])";
const NOT_DIGIT_AFTER = "(?![\\dA-Za-z])";

/**
 * One separator people put between the digits of a number they write out (139 0000 1111, 139.0000.1111,
 * 1 3 9 0 …); never a comma, so amounts such as 2,000 stay amounts.
 */
const DSEP = "[ .\\-_/]?";
/** Each kind of number, longest first so an ID number is not read as a phone number inside it. */
const NUMBERS: { kind: PersonalKind; re: string; generic: string }[] = [
  { kind: "email", re: "[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}", generic: "邮箱" },
  // 18-digit resident ID (GB 11643), last character may be X, grouped or not (110101 19900307 1234); and the old 15-digit form.
  { kind: "id_number", re: `${NOT_DIGIT_BEFORE}(?:\\d(?:${DSEP}\\d){16}${DSEP}[\\dXx]|\\d{15})${NOT_DIGIT_AFTER}`, generic: "身份证号" },
  // Bank cards: 16-19 digits, often written in groups of four.
  { kind: "bank_card", re: `${NOT_DIGIT_BEFORE}(?:\\d{4}(?:[ -]\\d{4}){3}(?:[ -]?\\d{1,3})?|\\d{16,19})${NOT_DIGIT_AFTER}`, generic: "银行卡号" },
  // Mobile numbers, with +86 / 0086 / (+86) and one separator anywhere: 139 0000 1111, 139-0000-1111, 139.0000.1111.
  { kind: "phone", re: `${NOT_DIGIT_BEFORE}(?:[(（]?(?:\\+|00)?86[)）]?[ -]?)?1${DSEP}[3-9]${DSEP}\\d(?:${DSEP}\\d){8}${NOT_DIGIT_AFTER}`, generic: "电话" },
  // Landlines (0571-88886666, (0571) 8888 6666) and 400/800 lines.
  { kind: "phone", re: `${NOT_DIGIT_BEFORE}(?:[(（]?0\\d{2,3}[)）]?[ -]?\\d{3,4}[ -]?\\d{4}(?:-\\d{1,5})?|[48]00[ -]?\\d{3}[ -]?\\d{4})${NOT_DIGIT_AFTER}`, generic: "电话" },
  // Any other long number (QQ, order or account numbers): nothing a question for everyone needs.
  { kind: "number", re: `${NOT_DIGIT_BEFORE}\\d{9,}${NOT_DIGIT_AFTER}`, generic: "" },
];
const LINK = /(?:https?:\/\/|www\.)[^\s，。！？、；）)」』"'<>]+/gi;
const MENTION = /@[^\s@，,]{1,32}/g;

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
/** WeChat ids (6-20 characters from a letter, letters digits - _) and QQ numbers (5-12 digits), after their label. */
const ACCOUNT = /((?:微信号?|wechat|vx|wx|QQ)(?:号码|号)?\s*(?:是|为|[:：])?\s*)(?:[A-Za-z][-_A-Za-z0-9]{5,19}|\d{5,12})(?![-_A-Za-z0-9])/gi;

/**
 * Text as the detectors read it, so a number or link written to slip past them is found all the same:
 * compatibility forms folded (NFKC: full-width ｅｖｉｌ．ｃｏｍ, １３９…), invisible characters taken out
 * (zero-width spaces and joiners, soft hyphens, direction marks), dots written as 。．｡ [.] (.) [dot] (dot)
 * between letters or digits made dots, (at) [at] made @, and runs of Chinese digits (一三九零零零零…,
 * 壹叁玖…) made digits. Chinese sentence punctuation (，。！？：；（）) is kept as it is, so what is left of
 * a question after redaction still reads as the partner wrote it; both sides of a comparison go through here.
 */
export function detectionText(raw: string): string {
  let t = raw.replace(/[^，。！？：；（）、]+/g, (run) => run.normalize("NFKC"));
  t = t.replace(INVISIBLE, "");
  t = t.replace(/\s*(?:[[［(（【]\s*(?:\.|。|dot)\s*[\]］)）】]|\{\s*(?:\.|dot)\s*\})\s*/gi, ".");
  t = t.replace(/(?<=[A-Za-z0-9])[。｡．](?=[A-Za-z0-9])/g, ".");
  t = t.replace(/\s*[[［(（【]\s*at\s*[\]］)）】]\s*/gi, "@");
  return t.replace(CHINESE_DIGIT_RUN, (run) => run.replace(/[^ .\-_/]/g, (c) => String(CHINESE_DIGITS.indexOf(c) % 10)));
}
const INVISIBLE = /[\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]/g;
/** Index mod 10 is the digit: 零〇 0, 一壹幺 1, 二贰 2, … */
const CHINESE_DIGITS = "零一二三四五六七八九〇壹贰叁肆伍陆柒捌玖_幺";
const CD = "[零〇一二三四五六七八九壹贰叁肆伍陆柒捌玖幺]";
/** Seven or more: shorter runs are words (一一对应, 二〇二六年) and no phone, ID or card number is that short. */
const CHINESE_DIGIT_RUN = new RegExp(`${CD}(?:${DSEP}${CD}){6,}`, "g");

/**
 * A partner's question as it may be kept for everyone. `names`: people the caller knows of (the
 * partner's contacts, staff); other names are recognised by self-introductions and surname + title.
 */
export function redactQuestion(raw: string, names: readonly string[] = []): Redacted {
  const removed = new Set<PersonalKind>();
  const note = (k: PersonalKind) => removed.add(k);
  let t = detectionText(raw);

  t = t.replace(LINK, () => (note("link"), " "));
  // "手机13900001111换了" keeps the word 手机 (the question may be about the phone); a label with nothing
  // after it but a pause ("电话 1 3 9…，") goes with its number; a bare number becomes what it is.
  const labelled = (label: string, after: string) => label.replace(/(?:是|为|[:：])?\s*$/, "") + (/^(?:\s|[，,。！!？?；;、]|$)/.test(after) ? "，" : "");
  for (const n of NUMBERS) {
    const re = new RegExp(`(${LABEL}${LABEL_TAIL})?${n.re}`, "gi");
    t = t.replace(re, (m: string, label: string | undefined, at: number, all: string) => {
      note(n.kind);
      return label ? labelled(label, all.slice(at + m.length)) : n.generic;
    });
  }
  t = t.replace(ACCOUNT, (m: string, label: string, at: number, all: string) => (note("account"), labelled(label, all.slice(at + m.length))));
  t = t.replace(MENTION, () => (note("name"), " "));
  t = redactNames(t, names, note);
  // Nothing personal: the question stays exactly as the partner wrote it.
  return removed.size ? { text: tidy(t), removed: [...removed] } : { text: raw.trim(), removed: [] };
}

function redactNames(t: string, names: readonly string[], note: (k: PersonalKind) => void): string {
  const known = [...new Set(names.map((n) => n.trim()).filter((n) => [...n].length >= 2))].sort((a, b) => b.length - a.length);
  const knownRe = known.length ? known.map(escape).join("|") : null;
  const person = `(?:${knownRe ? `${knownRe}|` : ""}${SURNAME}${CJK_NAME}{1,2}|${SURNAME}${TITLE})`;
  // "王强这边问下…" at the start: whoever it is, the question begins at 问.
  t = t.replace(SENDER_HERE, () => (note("name"), ""));
  // Self-introductions, as a whole clause, whatever the name: 我是王强， / 我是欧阳娜娜。/ 我叫小李 /
  // 我是云帆的王强 / 我姓王 / 本人文静 / I am John Smith. A clause this short that begins 我是 is about
  // who is asking, never the question ("我是说…", "我是不是要…" run longer and stay).
  const intro = new RegExp(
    `(^|${SEP})\\s*(?:(?:您好|你好)[，,]?\\s*)?(?:(?:我叫|我姓|本人叫|我的名字是|我名字叫)[^，,。.！!？?；;\\s]{1,6}|(?:我是|本人是|本人|这里是|这边是|我这边是)(?:[^，,。.！!？?；;\\s]{0,16}的)?(?:${person}|${CJK_NAME}{2,4})|(?:[Ii] am|[Ii]'m|[Mm]y name is|[Tt]his is)\\s+[A-Z][a-z]+(?:\\s+[A-Z][a-z]+){0,2})(?=${SEP}|$)`,
    "g",
  );
  t = t.replace(intro, (_m, sep: string) => (note("name"), sep));
  // Addressing someone at the start of a clause: "王总，…" / "张伟你好，…" (a known name or a title only:
  // a surname and any character would take 周末， or 明天， for a name).
  const addressed = `(?:${knownRe ? `${knownRe}|` : ""}${SURNAME}${TITLE})`;
  const vocative = new RegExp(`(^|${SEP})\\s*${addressed}(?:你好|您好)?\\s*[，,：:]`, "g");
  t = t.replace(vocative, (_m, sep: string) => (note("name"), sep));
  if (knownRe) {
    t = t.replace(new RegExp(`(?:${knownRe})(${TITLE})?`, "g"), (_m, title?: string) => (note("name"), title ? `某${title}` : "某人"));
  }
  return t.replace(new RegExp(`${SURNAME}(${TITLE})`, "g"), (_m, title: string) => (note("name"), `某${title}`));
}

/** What is left once numbers and names are out: no dangling "手机，", doubled commas or stray spaces. */
function tidy(t: string): string {
  const CJK_OR_PUNCT = "[\\u3000-\\u303f\\u4e00-\\u9fa5\\uff00-\\uffef]";
  t = t.replace(new RegExp(`(^|[，,；;、])\\s*(?:我的?)?${LABEL}(?:号码|号)?\\s*(?=[，,；;、。！!？?]|$)`, "gi"), "$1");
  t = t.replace(/\s+/g, " ");
  t = t.replace(new RegExp(`(?<=${CJK_OR_PUNCT}) | (?=${CJK_OR_PUNCT})`, "g"), "");
  t = t.replace(/([，,；;、])(?:\s*[，,；;、])+/g, "$1");
  t = t.replace(/[，,；;、]\s*(?=[。！!？?]|$)/g, "");
  return t.replace(/^[\s，,；;、。.！!]+/, "").trim();
}

/** Contact details and links in a text, normalised so the same number written two ways compares equal. */
export function contactDetails(text: string): { phones: string[]; emails: string[]; links: string[]; accounts: string[] } {
  const t = detectionText(text);
  const phones = new Set<string>();
  for (const n of NUMBERS.filter((x) => x.kind === "phone" || x.kind === "number" || x.kind === "bank_card" || x.kind === "id_number")) {
    for (const [m] of t.matchAll(new RegExp(n.re, "g"))) phones.add(m.replace(/\D/g, "").replace(/^(?:0086|86)(?=1[3-9]\d{9}$)/, ""));
  }
  const emails = new Set([...t.matchAll(new RegExp(NUMBERS[0].re, "g"))].map(([m]) => m.toLowerCase()));
  const links = new Set([...t.matchAll(LINK), ...t.matchAll(BARE_DOMAIN), ...t.matchAll(BARE_IP)].map(([m]) => normaliseLink(m)));
  const accounts = new Set([...t.matchAll(ACCOUNT)].map(([m, label]) => m.slice(label.length).toLowerCase()));
  return { phones: [...phones], emails: [...emails], links: [...links], accounts: [...accounts] };
}

const PORT_PATH = String.raw`(?::\d{1,5})?(?:\/[^\s，。！？、；）)」』"'<>]*)?`;
/** A link written without a scheme (evil.example/login, pay.example.com:8080): anything that looks like host.tld. */
const BARE_DOMAIN = new RegExp(String.raw`(?<![@\w.-])(?:[a-z0-9-]+\.)+[a-z]{2,}(?![\w@-])` + PORT_PATH, "gi");
/** A host given as an IPv4 address (127.0.0.1:8080/login). */
const BARE_IP = new RegExp(String.raw`(?<![\w.])(?:\d{1,3}\.){3}\d{1,3}(?![\w.]*\w)` + PORT_PATH, "g");
const normaliseLink = (s: string) =>
  s
    .toLowerCase()
    .replace(/^https?:\/\//, "")
    .replace(/^www\./, "")
    .replace(/[.,/]+$/, "");
