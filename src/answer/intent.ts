// Whether a message in a group is for the bot: a question, not chatter. General Chinese habits of
// asking, not a list taken from any question set.

/** Acknowledgements and greetings: logged, never answered. */
const CHATTER = /^(好的?|好滴|好嘞|收到了?|嗯+|哦+|噢+|ok|okay|谢谢?|谢了|多谢|感谢|辛苦了?|哈+|呵+|嘿+|早上好|早安|晚安|中午好|下午好|晚上好|大家好|在吗|在不在|👍|🙏|👌|\[.+?\])[！!。.～~，,\s]*$/i;
const QUESTION_MARK = /[?？]\s*$/;
const QUESTION_WORDS = /(怎么|怎样|怎么办|如何|什么|啥|多少|多久|多长|几[天个号点次年月时]|哪[里儿个些家]|在哪|谁|为什么|为啥|能不能|可不可以|可以吗|是否|有没有|是不是|要不要|需不需要|会不会|吗|么$|呢$)/;

export function isChatter(text: string): boolean {
  const t = text.trim();
  return t.length === 0 || CHATTER.test(t);
}

export function looksLikeQuestion(text: string): boolean {
  const t = text.trim();
  if (isChatter(t) || t.length < 3) return false;
  return QUESTION_MARK.test(t) || QUESTION_WORDS.test(t);
}
