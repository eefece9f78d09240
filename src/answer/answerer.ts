// Answering a partner's question from the knowledge base, or saying honestly that we will ask a
// colleague. With an LLM configured, the model words the answer from the retrieved entries only; when it
// fails or times out, the retrieval answer (or a hand-off) stands in: never silence.
import type { LanguageModel } from "../../adapters/contract.ts";
import type { Logger } from "../lib/logger.ts";
import { groundedPrompt, LLM_CANDIDATES, parseGrounded, replyProblem } from "./grounded.ts";
import type { KnowledgeBase, KbRecord } from "./kb-store.ts";

/** A training's own material wins when it scores at least this share of the best entry. */
const TRAINING_PREFERENCE = 0.7;
/** Entries shown to the colleague a question is handed to, as likely answers to pick with /answer --kb. */
const HANDOFF_SUGGESTIONS = 3;

/** An entry the bot was not sure enough of to answer with, offered to staff instead. */
export interface Suggestion {
  id: string;
  question: string;
}

export type Answer =
  | { kind: "answer"; entry: KbRecord; confidence: number }
  | { kind: "generated"; text: string; cites: KbRecord[]; confidence: number }
  | { kind: "unsure"; best?: { id: string; confidence: number }; suggestions: Suggestion[] };

export class Answerer {
  constructor(
    private readonly kb: KnowledgeBase,
    /** Below this the bot does not guess (HUB_ANSWER_MIN_CONFIDENCE). */
    private readonly minConfidence: number,
    private readonly llm?: LanguageModel,
    private readonly logger?: Logger,
  ) {}

  /**
   * `training`: the partner is in a training's follow-up window; an entry tagged with its title (that
   * training's materials) scoring close to the best is preferred.
   */
  async answer(question: string, training?: string): Promise<Answer> {
    const hits = await this.kb.search(question, LLM_CANDIDATES);
    if (training) {
      const material = hits.findIndex((h) => h.entry.tags.includes(training));
      if (material > 0 && hits[material].score >= TRAINING_PREFERENCE * hits[0].score) {
        // Close to the best and written for the session they just attended: answer with it.
        const [m] = hits.splice(material, 1);
        hits.unshift({ ...m, confidence: Math.max(hits[0].confidence, this.minConfidence) });
      }
    }
    const [top] = hits;
    if (!top) return { kind: "unsure", suggestions: [] };
    const unsure = (): Answer => ({
      kind: "unsure",
      best: { id: top.id, confidence: top.confidence },
      // Entries sharing only grammar or single characters with the question are no lead for a colleague.
      suggestions: hits
        .filter((h) => h.queryCoverage > 0)
        .slice(0, HANDOFF_SUGGESTIONS)
        .map((h) => ({ id: h.id, question: h.entry.question })),
    });
    if (this.llm) {
      try {
        const reply = await this.llm.complete(groundedPrompt(question, hits.map((h) => h.entry)));
        const grounded = parseGrounded(reply, hits.map((h) => h.id));
        if (grounded.kind === "unknown") return unsure();
        if (grounded.kind === "answer") {
          const cites = grounded.cites.map((id) => hits.find((h) => h.id === id)!.entry);
          const problem = replyProblem(grounded.text, hits.map((h) => h.entry), cites);
          if (!problem) return { kind: "generated", text: grounded.text, cites, confidence: top.confidence };
          // Kind and ids only: the reply itself may carry what it must not show.
          this.logger?.warn({ kind: "llm_reply_withheld", problem, model: this.llm.name, entries: grounded.cites }, "LLM reply not shown; answering from retrieval");
        } else {
          this.logger?.warn({ model: this.llm.name }, "LLM answer cited nothing it was given; answering from retrieval");
        }
      } catch (err) {
        this.logger?.warn({ err, model: this.llm.name }, "LLM unavailable; answering from retrieval");
      }
    }
    if (top.confidence < this.minConfidence) return unsure();
    return { kind: "answer", entry: top.entry, confidence: top.confidence };
  }
}

/** The message a partner reads, always naming where the answer came from. */
export function answerText(a: Exclude<Answer, { kind: "unsure" }>): string {
  if (a.kind === "generated") {
    const training = a.cites.flatMap((e) => (e.trainingUrl ? [`\n培训资料：${e.trainingUrl}`] : [])).join("");
    return `${a.text}${training}\n——依据知识库（${a.cites.map((e) => e.id).join("、")}）`;
  }
  const training = a.entry.trainingUrl ? `\n培训资料：${a.entry.trainingUrl}` : "";
  return `${a.entry.answer}${training}\n——出自知识库「${a.entry.question}」（${a.entry.id}）`;
}

/** The entry an answer rests on, for ask --json. */
export const answerEntryId = (a: Answer) => (a.kind === "answer" ? a.entry.id : a.kind === "generated" ? a.cites[0].id : null);
