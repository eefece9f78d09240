// Answering a partner's question from the knowledge base, with three outcomes: answer when sure, offer
// the closest entries as choices when unsure but something is relevant, hand off to a colleague when
// nothing is. A wrong answer in a partner's group costs far more than one tap on a choice. With an LLM
// configured, the model makes the same decision from the retrieved entries only; when it fails, times
// out or answers in no form it was asked for, retrieval's decision stands: never silence.
import type { LanguageModel } from "../../adapters/contract.ts";
import type { Logger } from "../lib/logger.ts";
import { groundedPrompt, LLM_CANDIDATES, parseGrounded, replyProblem } from "./grounded.ts";
import type { Hit } from "./kb-index.ts";
import type { KnowledgeBase, KbRecord } from "./kb-store.ts";
import { comparable } from "./text.ts";

/** A training's own material wins when it scores at least this share of the best entry. */
const TRAINING_PREFERENCE = 0.7;
/** Entries shown to the colleague a question is handed to, and offered to a partner as choices. */
export const CHOICE_COUNT = 3;
/**
 * Answer directly only when the best entry also holds this share of the question's content words:
 * a clear winner on a few shared words ("以旧换新活动" meeting an entry about 活动) is not an answer.
 * Chosen on both development sets together (README, "How sure the bot must be").
 */
export const DIRECT_MIN_COVERAGE = 0.17;
/** Share of the question's content words in the entry, and of the entry's question in the question, that makes them one question. */
const WHOLE_MATCH = 0.9;
/** An entry offered as a choice holds at least this share of the question's content words. */
const CHOICE_MIN_COVERAGE = 0.05;

/** An entry the bot was not sure enough of to answer with: offered to the partner, or shown to staff. */
export interface Suggestion {
  id: string;
  question: string;
}

export type Answer =
  | { kind: "answer"; entry: KbRecord; confidence: number }
  | { kind: "generated"; text: string; cites: KbRecord[]; confidence: number }
  /** Not sure, but these are close: the partner picks (or says none fits). */
  | { kind: "choices"; choices: Suggestion[]; best: { id: string; confidence: number } }
  | { kind: "unsure"; best?: { id: string; confidence: number }; suggestions: Suggestion[] };

type Scored = Hit & { entry: KbRecord };

const suggestion = (h: Scored): Suggestion => ({ id: h.id, question: h.entry.question });

export class Answerer {
  constructor(
    private readonly kb: KnowledgeBase,
    /** The best entry must beat the next by this much (0..1) to be answered with (HUB_ANSWER_MIN_CONFIDENCE). */
    private readonly minConfidence: number,
    private readonly llm?: LanguageModel,
    private readonly logger?: Logger,
  ) {}

  /**
   * `training`: the partner is in a training's follow-up window; an entry tagged with its title (that
   * training's materials) scoring close to the best is preferred.
   */
  async answer(question: string, training?: string): Promise<Answer> {
    // One letter or digit says nothing to answer from ("x" would match an X展架 in some answer).
    if ([...comparable(question)].length < 2) return { kind: "unsure", suggestions: [] };
    // A model code the knowledge base never mentions (K1, X9): about a product it does not cover, whatever
    // else the question shares with an entry.
    const unknown = await this.kb.unknownCodes(question);
    // Asked in the words a partner already confirmed for an entry (a pick, /answer --kb): that entry.
    const repeat = unknown.length ? null : await this.kb.repeat(question);
    if (repeat) return { kind: "answer", entry: repeat.entry, confidence: 1 };
    const hits = await this.kb.search(question, LLM_CANDIDATES);
    let preferred = false;
    if (training) {
      const material = hits.findIndex((h) => h.entry.tags.includes(training));
      if (material > 0 && hits[material].score >= TRAINING_PREFERENCE * hits[0].score) {
        // Close to the best and written for the session they just attended: answer with it.
        const [m] = hits.splice(material, 1);
        hits.unshift({ ...m, confidence: Math.max(hits[0].confidence, this.minConfidence) });
        preferred = true;
      }
    }
    const [top] = hits;
    if (!top) return { kind: "unsure", suggestions: [] };
    const relevant = hits.filter((h) => h.queryCoverage >= CHOICE_MIN_COVERAGE).slice(0, CHOICE_COUNT);
    const decided = await this.#decide(question, hits, relevant, preferred && !unknown.length, unknown.length > 0);
    if (decided) return decided;
    // Staff judge for themselves: any entry sharing a content word with the question is a lead for them.
    const leads = hits.filter((h) => h.queryCoverage > 0).slice(0, CHOICE_COUNT);
    return { kind: "unsure", best: { id: top.id, confidence: top.confidence }, suggestions: leads.map(suggestion) };
  }

  /** Answer or choices, or null for a hand-off: the model's decision when it gives one, else retrieval's. */
  async #decide(question: string, hits: Scored[], relevant: Scored[], preferred: boolean, unknownCode: boolean): Promise<Answer | null> {
    const [top] = hits;
    const best = { id: top.id, confidence: top.confidence };
    const choices = (from: Scored[]): Answer | null => (from.length ? { kind: "choices", choices: from.map(suggestion), best } : null);
    if (this.llm) {
      const model = await this.#askModel(question, hits);
      if (model?.kind === "unknown") return null;
      if (model?.kind === "choices") return choices(model.ids.map((id) => hits.find((h) => h.id === id)!).slice(0, CHOICE_COUNT));
      // The model's answer too: not for a model the knowledge base never mentions.
      if (model) return unknownCode ? choices(relevant) : model.answer;
    }
    // The only relevant entry leaves nothing to choose between, and a question that is the entry's own
    // question (nearly all its words both ways) needs no margin: in a small knowledge base margins are small.
    const alone = relevant.length === 1 && relevant[0] === top;
    const itself = top.queryCoverage >= WHOLE_MATCH && top.entryCoverage >= WHOLE_MATCH;
    const sure = (top.confidence >= this.minConfidence || alone || itself) && (preferred || top.queryCoverage >= DIRECT_MIN_COVERAGE) && !unknownCode;
    if (sure) return { kind: "answer", entry: top.entry, confidence: top.confidence };
    return choices(relevant);
  }

  async #askModel(question: string, hits: Scored[]): Promise<{ kind: "answer"; answer: Answer } | { kind: "choices"; ids: string[] } | { kind: "unknown" } | null> {
    const llm = this.llm!;
    try {
      const reply = await llm.complete(groundedPrompt(question, hits.map((h) => h.entry)));
      const grounded = parseGrounded(reply, hits.map((h) => h.id));
      if (grounded.kind === "unknown" || grounded.kind === "choices") return grounded;
      if (grounded.kind === "answer") {
        const cites = grounded.cites.map((id) => hits.find((h) => h.id === id)!.entry);
        const problem = replyProblem(grounded.text, hits.map((h) => h.entry), cites);
        if (!problem) return { kind: "answer", answer: { kind: "generated", text: grounded.text, cites, confidence: hits[0].confidence } };
        // Kind and ids only: the reply itself may carry what it must not show.
        this.logger?.warn({ kind: "llm_reply_withheld", problem, model: llm.name, entries: grounded.cites }, "LLM reply not shown; deciding from retrieval");
      } else {
        this.logger?.warn({ kind: "llm_reply_malformed", model: llm.name }, "LLM reply in no form it was asked for; deciding from retrieval");
      }
    } catch (err) {
      this.logger?.warn({ err, model: llm.name }, "LLM unavailable; deciding from retrieval");
    }
    return null;
  }
}

/** The message a partner reads, always naming where the answer came from. */
export function answerText(a: Extract<Answer, { kind: "answer" | "generated" }>): string {
  if (a.kind === "generated") {
    const training = a.cites.flatMap((e) => (e.trainingUrl ? [`\n培训资料：${e.trainingUrl}`] : [])).join("");
    return `${a.text}${training}\n——依据知识库（${a.cites.map((e) => e.id).join("、")}）`;
  }
  const training = a.entry.trainingUrl ? `\n培训资料：${a.entry.trainingUrl}` : "";
  return `${a.entry.answer}${training}\n——出自知识库「${a.entry.question}」（${a.entry.id}）`;
}

/** The entry a direct answer rests on, for ask --json; null when there was none. */
export const answerEntryId = (a: Answer) => (a.kind === "answer" ? a.entry.id : a.kind === "generated" ? a.cites[0].id : null);

/** The entries offered as choices, for ask --json. */
export const choiceIds = (a: Answer) => (a.kind === "choices" ? a.choices.map((c) => c.id) : []);
