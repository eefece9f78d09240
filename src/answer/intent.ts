// Whether a message is for the bot, and whether it asks anything: general Chinese habits of chatting
// and asking, not a list taken from any question set.

/** Words that alone make a message chatter: acknowledgements, thanks, laughter, greetings. */
const CHATTER_WORDS = [
  "好的", "好滴", "好嘞", "好吧", "好", "行", "可以", "收到", "明白了", "明白", "知道了", "了解", "嗯", "哦", "噢", "喔", "ok", "okay",
  "谢谢您", "谢谢你", "谢谢", "谢了", "多谢", "感谢", "辛苦了", "辛苦", "哈", "呵", "嘿", "嘻", "早上好", "早安", "晚安", "中午好",
  "下午好", "晚上好", "大家好", "你好", "您好", "各位好", "老板好", "啦", "了", "呀", "哈喽", "hello", "hi",
];
const GREETING = /^(你好|您好|在吗|在不在|有人吗|哈喽|hello|hi)[！!。.～~，,？?\s]*$/i;
const PUNCT = /[\s！!。.～~，,、？?…👍🙏👌😊🤝💪\p{Extended_Pictographic}\uFE0F]/gu;
const QUESTION_MARK = /[?？]\s*$/;
const QUESTION_WORDS = /(怎么|怎样|如何|什么|啥|多少|多久|多长|几[天个号点次年月时台]|哪[里儿个些家]|在哪|谁|为什么|为啥|能不能|可不可以|可以吗|是否|有没有|是不是|要不要|需不需要|会不会|吗|么$|呢$)/;

/** Only chatter words, punctuation and emoji (好的谢谢, 收到，谢谢您, 👍). */
export function isChatter(text: string): boolean {
  let t = text.toLowerCase().replace(PUNCT, "");
  if (!t) return true;
  for (const w of [...CHATTER_WORDS].sort((a, b) => b.length - a.length)) t = t.replaceAll(w, "");
  return t.length === 0 || /^(哈|呵|嘿|嘻)+$/.test(t);
}

/** 你好 / 在吗: someone opening a conversation, worth a short hello back in a private chat. */
export function isGreeting(text: string): boolean {
  return GREETING.test(text.trim());
}

export function looksLikeQuestion(text: string): boolean {
  const t = text.trim();
  if (isChatter(t) || t.length < 3) return false;
  return QUESTION_MARK.test(t) || QUESTION_WORDS.test(t);
}

/** The hello a private chat gets back. */
export const HELLO = "您好！产品、政策、订货、售后、培训方面的问题，直接发给我就行。";
