// /answer <编号> <回答> [--save] | /answer <编号> --kb <条目>: a staff answer to a handed-off question,
// delivered in the partner's own chat (and thread) and logged there. --save keeps a new answer in the
// knowledge base for everyone; --kb answers with an existing entry and offers to teach it this way of
// asking. What is kept from the partner's words reaches every other partner (a citation, an LLM prompt),
// so both show staff the wording without personal data and keep it only once they confirm (or correct) it.
import type { Platform } from "../../adapters/contract.ts";
import { answerText } from "../answer/answerer.ts";
import type { KbRecord } from "../answer/kb-store.ts";
import { comparable, keepableQuestion, peopleNames, taughtText, teachPhrasing } from "../answer/kb-teach.ts";
import type { PersonalKind } from "../answer/redact.ts";
import { platformName } from "../../adapters/contract.ts";
import { askConfirmation, confirmHint, type ConfirmAction } from "./confirmation.ts";
import { text, UsageError, type Command, type CommandContext } from "./types.ts";
import { excerpt } from "../text/excerpt.ts";

const SAVE = /(?:^|\s)(?:--save|存入知识库)(?=\s|$)/g;
const AGAIN = /(?:^|\s)(?:--again|补充)(?=\s|$)/g;
/** --kb kb-028, —kb=kb-028 (phones turn -- into a dash), 条目 kb-028, 用条目kb-028. */
const ENTRY_FLAG = /(?:^|\s)(?:[-—–]{1,2}kb(?![a-z0-9])|用?条目(?=\s*[=＝:：]?\s*[A-Za-z0-9]))/i;
const ENTRY = new RegExp(`${ENTRY_FLAG.source}\\s*[=＝:：]?\\s*([A-Za-z0-9][A-Za-z0-9_.-]*[A-Za-z0-9])?[。，,.]?(?=\\s|$)`, "i");

interface Parsed {
  id: number;
  reply: string;
  save: boolean;
  again: boolean;
  entryId?: string;
}

function parse(args: string): Parsed {
  const save = new RegExp(SAVE.source).test(args);
  const again = new RegExp(AGAIN.source).test(args);
  const flagged = ENTRY_FLAG.test(args);
  const entryId = ENTRY.exec(args)?.[1];
  const rest = args.replace(SAVE, " ").replace(AGAIN, " ").replace(ENTRY, " ").trim();
  if (flagged) {
    if (!entryId) throw new UsageError("请在 --kb 后写上知识库条目编号，例如 /answer 12 --kb kb-080");
    const m = /^#?(\d{1,9})$/.exec(rest);
    if (!m) throw new UsageError("用条目回答时只写问题编号和条目编号，例如 /answer 12 --kb kb-080（条目的答案会原样发出）");
    if (save) throw new UsageError("--kb 用的已是知识库里的条目，不用再加 --save");
    return { id: Number(m[1]), reply: "", save, again, entryId };
  }
  const m = /^#?(\d{1,9})\s+([\s\S]+)$/.exec(rest);
  if (!m) throw new UsageError("请写上问题编号和回答，例如 /answer 12 返利已在4月18日发放，或用知识库条目回答：/answer 12 --kb kb-003");
  return { id: Number(m[1]), reply: m[2].trim(), save, again };
}

export const answerCommand: Command = {
  name: "answer",
  aliases: ["回答", "答复"],
  usage: "/answer <问题编号> <回答> [--save] [--again]  ·  /answer <问题编号> --kb <条目编号>",
  summary: "回答转给员工的客户问题（--save 存入知识库，只用于对所有客户都适用的回答；--kb 用已有条目回答，并记下这种问法；--again 补充已回答过的问题）",
  staffOnly: true,
  async run(ctx) {
    if (ctx.actor.kind !== "staff") throw new Error("unreachable: staff only");
    const p = parse(ctx.args);
    const q = await ctx.db.question.findUnique({ where: { id: p.id } });
    if (!q) return [text(`没有编号为 #${p.id} 的问题，可以用 /questions 查看待回答的问题。`)];
    if (q.status === "CLOSED") return [text(`问题 #${p.id} 已由 ${q.answeredBy} 关闭（${q.answer}），没有回复客户。需要回复的话，请直接在客户的会话里说明。`)];
    if (q.status === "ANSWERED" && !p.again) {
      return [text(`问题 #${p.id} 已由 ${q.answeredBy} 回答过。如需补充，请加 --again 再发一次。`)];
    }
    const entry = p.entryId === undefined ? undefined : await ctx.kb.get(p.entryId);
    if (p.entryId !== undefined && !entry) return [text(`知识库里没有编号为 ${p.entryId} 的条目，可以用 /kb search <词> 查找。`)];
    const reply = entry ? entry.answer : p.reply;
    const body = entry ? answerText({ kind: "answer", entry, confidence: 1 }) : p.reply;

    // Claim it first, so two colleagues answering at once do not both reach the partner.
    const claim = await ctx.db.question.updateMany({
      where: { id: p.id, status: q.status },
      data: { status: "ANSWERED", answer: reply, answeredBy: ctx.actor.name, answeredAt: ctx.clock.now(), answerEntryId: entry?.id ?? null },
    });
    if (claim.count !== 1) return [text(`问题 #${p.id} 刚刚已有同事回答，请用 /questions 查看。`)];
    const delivered = await ctx.send(q.platform as Platform, q.externalChatId, { type: "text", text: `关于您的问题「${excerpt(q.text)}」：\n${body}` }, q.threadId ?? undefined);
    if (!delivered) {
      await ctx.db.question.update({ where: { id: p.id }, data: { status: q.status, answer: q.answer, answeredBy: q.answeredBy, answeredAt: q.answeredAt, answerEntryId: q.answerEntryId } });
      return [text(`#${p.id} 的回答没能发出（${platformName(q.platform)}暂时不可用），问题保持原状，请稍后再试。`)];
    }
    const again = p.again ? "（补充）" : "";
    if (entry) return [text(`已用知识库条目 ${entry.id} 回复问题 #${q.id}${again}${await offerPhrasing(ctx, q, entry)}`)];
    const saved = await keep(ctx, q, reply, p.save);
    return [text(`已回复问题 #${q.id}${again}${saved}`)];
  },
};

const REMOVED: Record<PersonalKind, string> = {
  phone: "电话", email: "邮箱", id_number: "身份证号", bank_card: "银行卡号", number: "长串数字", account: "微信/QQ号", link: "链接", name: "姓名",
};

/**
 * A saved answer follows its corrections (the entry's question was approved already); a new one waits
 * for staff to approve the question; an unsaved one never becomes knowledge.
 */
async function keep(ctx: CommandContext, q: { id: number; text: string; partnerId: number | null; contactId: number | null }, reply: string, save: boolean): Promise<string> {
  const entryId = `staff-${q.id}`;
  if ((await ctx.db.kbEntry.updateMany({ where: { id: entryId }, data: { answer: reply } })).count) {
    ctx.kb.invalidate();
    return `，知识库条目 ${entryId} 已同步更新。`;
  }
  if (!save) return "。";
  const cleaned = keepableQuestion(q.text, await peopleNames(ctx.db, q));
  const payload: KbSave = { questionId: q.id, entryId, question: comparable(cleaned.text) ? cleaned.text : "", answer: reply };
  await askConfirmation(ctx, kbSaveAction, payload);
  return `。\n${savePrompt(payload, cleaned.removed)}`;
}

interface KbSave {
  questionId: number;
  entryId: string;
  /** As staff will see it cited; "" until staff write one. */
  question: string;
  answer: string;
}

function savePrompt(p: KbSave, removed: PersonalKind[]): string {
  if (!p.question) return `这个问题去掉个人信息后没有可存的文字。要存入知识库（${p.entryId}），请发送「确认」加上问题（例如「确认 展会的展位费公司补贴吗？」）；不存请回复「取消」。`;
  const why = removed.length ? `（已去掉${removed.map((k) => REMOVED[k]).join("、")}）` : "";
  return `存入知识库（${p.entryId}）的问题${why}，其他客户会看到：\n「${p.question}」\n${confirmHint("保存", "不存", "改好的问题")}`;
}

/** 确认 after /answer --save: the entry is created with the question as staff approved it. */
export const kbSaveAction: ConfirmAction<KbSave> = {
  action: "kb_save",
  describe: (p) => `问题 #${p.questionId} 存入知识库「${p.question}」`,
  cancelled: (p) => `好的，问题 #${p.questionId} 的回答不存入知识库（客户已收到回答）。`,
  async confirm(ctx, p, edit) {
    const q = await ctx.db.question.findUnique({ where: { id: p.questionId } });
    let question = p.question;
    if (edit) {
      // Staff may paste the partner's words back: those are checked like the original.
      const cleaned = keepableQuestion(edit, await peopleNames(ctx.db, { partnerId: q?.partnerId ?? null, contactId: q?.contactId ?? null }));
      if (!comparable(cleaned.text)) return { reply: "改好的问题里没有可存的文字，请发送「确认」加上问题，例如「确认 展会的展位费公司补贴吗？」。", again: p };
      if (cleaned.removed.length) return { reply: savePrompt({ ...p, question: cleaned.text }, cleaned.removed), again: { ...p, question: cleaned.text } };
      question = cleaned.text;
    }
    if (!question) return { reply: savePrompt(p, []), again: p };
    // A later /answer --again corrected the answer: the entry starts from the latest one.
    const data = { question, answer: q?.answer ?? p.answer, source: "staff", tags: "[]", variants: "[]" };
    await ctx.db.kbEntry.upsert({ where: { id: p.entryId }, create: { id: p.entryId, ...data }, update: data });
    ctx.kb.invalidate();
    return { reply: `已存入知识库（${p.entryId}）：「${question}」。以后客户这样问会直接回答。` };
  },
};

interface KbTeach {
  questionId: number;
  entryId: string;
  /** The partner's wording without personal data, as staff will approve it. */
  phrasing: string;
}

/** After /answer --kb: the wording the entry would learn, waiting for 确认; nothing when nothing is left to keep. */
async function offerPhrasing(ctx: CommandContext, q: { id: number; text: string; partnerId: number | null; contactId: number | null }, entry: KbRecord): Promise<string> {
  const cleaned = keepableQuestion(q.text, await peopleNames(ctx.db, q));
  if (!comparable(cleaned.text)) return "；这句话去掉个人信息后没有可记的问法，这次不记。";
  const same = comparable(cleaned.text);
  if ([entry.question, ...entry.variants, ...entry.learned].some((v) => comparable(v) === same)) return `；${taughtText(entry.id, { kind: "known", phrasing: cleaned.text })}。`;
  const payload: KbTeach = { questionId: q.id, entryId: entry.id, phrasing: cleaned.text };
  await askConfirmation(ctx, kbTeachAction, payload);
  return `。\n${teachPrompt(payload, cleaned.removed)}`;
}

function teachPrompt(p: KbTeach, removed: PersonalKind[]): string {
  const why = removed.length ? `（已去掉${removed.map((k) => REMOVED[k]).join("、")}）` : "";
  return `将把这种问法记到 ${p.entryId}：「${p.phrasing}」${why}\n${confirmHint("记下", "不记", "改好的问法")}`;
}

/** 确认 after /answer --kb: the entry learns the wording as staff approved it. */
export const kbTeachAction: ConfirmAction<KbTeach> = {
  action: "kb_teach",
  describe: (p) => `把问题 #${p.questionId} 的问法记到 ${p.entryId}「${p.phrasing}」`,
  cancelled: (p) => `好的，这种问法不记到 ${p.entryId}（客户已收到回答）。`,
  async confirm(ctx, p, edit) {
    let phrasing = p.phrasing;
    if (edit) {
      // Staff may paste the partner's words back: those are checked like the original.
      const q = await ctx.db.question.findUnique({ where: { id: p.questionId } });
      const cleaned = keepableQuestion(edit, await peopleNames(ctx.db, { partnerId: q?.partnerId ?? null, contactId: q?.contactId ?? null }));
      if (!comparable(cleaned.text)) return { reply: `改好的问法里没有可记的文字，请发送「确认」加上问法（例如「确认 展位费有补贴吗？」），或回复「取消」。`, again: p };
      if (cleaned.removed.length) return { reply: teachPrompt({ ...p, phrasing: cleaned.text }, cleaned.removed), again: { ...p, phrasing: cleaned.text } };
      phrasing = cleaned.text;
    }
    const taught = await teachPhrasing(ctx.db, p.entryId, phrasing);
    ctx.kb.invalidate();
    return { reply: `${taughtText(p.entryId, taught)}。` };
  },
};
