// A question for the bot: a cited answer when it is sure, the closest entries to pick from when it is not,
// else a hand-off to staff (the partner is told who follows up). A hello in private is answered with hello.
import { answerText } from "../../answer/answerer.ts";
import { choicesMessage } from "../../answer/choices.ts";
import { addresseeOf, openChoices, openRatingFor, optionsOf, type PromptRow } from "../../prompts/store.ts";
import { choiceNumber } from "../numbered-reply.ts";
import { handedOffAlready, handOff, noticeFor } from "../../answer/handoff.ts";
import { HELLO, isGreeting } from "../../answer/intent.ts";
import { trainingInWindow } from "../../service/training-followup.ts";
import type { Db } from "../../db/client.ts";
import type { Clock } from "../../lib/clock.ts";
import { TtlCache } from "../../lib/ttl-cache.ts";
import type { Answered, Handler, RouteDeps, TrainingWindow } from "./types.ts";

export const answerQuestion: Handler<"question"> = async ({ facts, again }, deps) => {
  const { event, actor, partnerId } = facts;
  if (event.type !== "message") return null;
  if (event.chat.kind === "direct" && isGreeting(event.text)) return [{ type: "text", text: HELLO }];
  // A choice's number with no choices open to it (past their time, or never offered): not a question.
  if (choiceNumber(event.text) !== null) {
    // Their rating is still open, but they asked something since: how to rate is said, not guessed.
    const rating = await openRatingFor(deps.db, facts.chat.id, addresseeOf(event.platform, event.sender.id), deps.clock.now());
    return [{ type: "text", text: rating ? `如果是给投诉 #${rating.complaintId} 的处理打分，请回复「打分 数字」，例如：打分 5` : actor.kind === "staff" ? NO_OPEN_PICK : NO_OPEN_CHOICES }];
  }
  // Answered once more after a stop, with choices stored already: the same choices (or what became of them).
  const offered = again ? await deps.db.prompt.findUnique({ where: { platform_eventId: { platform: event.platform, eventId: event.messageId } } }) : null;
  if (offered) return offeredAgain(deps, offered);
  const training = await deps.trainingFor(partnerId, event.at);
  const result = await deps.answerer.answer(event.text, training?.title);
  if (result.kind === "answer" || result.kind === "generated") return { messages: [{ type: "text", text: answerText(result) }], kind: "answer" };
  if (result.kind === "choices") {
    // Stored before it is sent, so a number or a button finds it; the same prompt when answered again after a stop.
    const prompt = await openChoices(deps.db, {
      platform: event.platform, chatId: facts.chat.id, externalChatId: event.chat.id, addressee: addresseeOf(event.platform, event.sender.id),
      options: result.choices.map((c) => ({ value: c.id, label: c.question })), question: event.text, askedAt: event.at, eventId: event.messageId,
      threadId: event.threadId ?? event.replyAnchor ?? null, partnerId, contactId: actor.kind === "contact" ? actor.contactId : null,
      at: deps.clock.now(), timeoutMs: deps.choiceTimeoutMs,
    });
    return offeredAgain(deps, prompt);
  }
  // A colleague asking: the knowledge base answered what it could; never handed to staff as a partner's question.
  if (actor.kind === "staff") return [{ type: "text", text: STAFF_NOT_FOUND }];
  // Answered once more after a stop: the hand-off may be filed already. Staff are told again under the
  // same key, so they get it once whether or not the stop came before their post was planned.
  const filed = again ? await handedOffAlready(deps.db, { platform: event.platform, externalChatId: event.chat.id, text: event.text, askedAt: event.at }, result.suggestions) : null;
  const { question, toPartner, toStaff } = filed ?? await handOff(deps.db, {
    partnerId,
    contactId: actor.kind === "contact" ? actor.contactId : null,
    platform: event.platform,
    externalChatId: event.chat.id,
    threadId: event.threadId ?? event.replyAnchor,
    text: event.text,
    askedAt: event.at,
    trainingId: training?.id,
  }, result.suggestions);
  // Planned first (a stop after it loses nothing), sent a moment after the partner's answer: on WeChat one
  // account sends both, and the partner should not wait behind the post about their own question.
  await tellStaff(deps, question, toStaff, HANDOFF_POST_AFTER_MS);
  return { messages: [{ type: "text", text: toPartner }], kind: "handoff" };
};

/**
 * Staff hear of a hand-off: the staff chats (HUB_STAFF_CHAT), and the colleague the partner was told of,
 * privately on every platform they have an account on, whether or not a staff chat is set.
 */
export async function tellStaff(deps: Pick<RouteDeps, "notifyStaff" | "outreach" | "logger">, question: { id: number; assigneeName: string | null }, toStaff: string, afterMs?: number): Promise<void> {
  const key = `handoff:${question.id}`;
  const inChats = await deps.notifyStaff(key, toStaff, "handoff", { afterMs });
  const toPerson = question.assigneeName ? await deps.outreach.notifyPerson(question.assigneeName, key, toStaff, { kind: "handoff", afterMs }) : 0;
  if (!inChats && !toPerson) deps.logger.warn({ question: question.id, assignee: question.assigneeName }, "hand-off reached no staff member: set HUB_STAFF_CHAT, or give the colleague a chat account (staff add)");
}

/** What a staff member's own question gets when the knowledge base has nothing for it. */
export const STAFF_NOT_FOUND = "知识库里没有找到相关内容（员工的提问不会转给同事）。员工命令见 /help；查客户资料：/client 关键词；补充知识库：/kb add 问题 | 答案";

/** Said to a bare number with no choices open to it. */
export const NO_OPEN_CHOICES = "这个数字没有对应的选项（选项可能已过期，或已经选过）。有问题请直接发给我。";
/** The same to staff: a pick list answers for ten minutes, and only before their next command. */
export const NO_OPEN_PICK = "这个数字没有对应的选项：选择列表在 10 分钟内、您发下一条命令之前有效，选过一次即失效。请重新输入命令。";

/** The choices a prompt holds, as stored (not as retrieval would rank them now); once handed to staff, who follows up. */
async function offeredAgain(deps: RouteDeps, prompt: PromptRow): Promise<Answered> {
  // Timed out to staff meanwhile, and the partner told so by the timeout: nothing more to say.
  if (prompt.status === "TIMEOUT" && prompt.settledAt) return { messages: [] };
  if (prompt.questionId) return { messages: [{ type: "text", text: await noticeFor(deps.db, prompt.questionId) }], kind: "handoff" };
  const choices = optionsOf(prompt).map((o) => ({ id: o.value, question: o.label }));
  return { messages: [choicesMessage(prompt.ref, choices)], kind: "choices" };
}

/** A hand-off's staff post waits this long, so the partner's answer (planned just after it) goes first. */
export const HANDOFF_POST_AFTER_MS = 1_000;

/** How long a partner's training window lookup is reused; a new /training add shows within this. */
const TRAINING_CACHE_MS = 60_000;

/** A partner's training in its follow-up window; looked up at most once a minute per partner. */
export class TrainingWindows {
  readonly #cache: TtlCache<TrainingWindow>;

  constructor(private readonly db: Db, clock: Clock, private readonly timeZone: string) {
    this.#cache = new TtlCache(clock, TRAINING_CACHE_MS);
  }

  async of(partnerId: number | null, at: Date): Promise<TrainingWindow> {
    if (partnerId === null) return null;
    const key = `${partnerId}`;
    const cached = this.#cache.get(key);
    if (cached !== undefined) return cached;
    const found = await trainingInWindow(this.db, partnerId, at, this.timeZone);
    this.#cache.set(key, found);
    return found;
  }

  clear(): void {
    this.#cache.clear();
  }
}
