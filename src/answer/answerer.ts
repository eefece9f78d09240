// Answering a partner's question from the knowledge base, or saying honestly that we will ask a
// colleague. The answer always names the entry it came from.
import type { KnowledgeBase, KbRecord } from "./kb-store.ts";

export type Answer =
  | { kind: "answer"; entry: KbRecord; confidence: number }
  | { kind: "unsure"; best?: { id: string; confidence: number } };

export class Answerer {
  constructor(
    private readonly kb: KnowledgeBase,
    /** Below this the bot does not guess (HUB_ANSWER_MIN_CONFIDENCE). */
    private readonly minConfidence: number,
  ) {}

  async answer(question: string): Promise<Answer> {
    const [top] = await this.kb.search(question, 1);
    if (!top || top.confidence < this.minConfidence) return { kind: "unsure", best: top && { id: top.id, confidence: top.confidence } };
    return { kind: "answer", entry: top.entry, confidence: top.confidence };
  }
}

export function answerText(entry: KbRecord): string {
  const training = entry.trainingUrl ? `\n培训资料：${entry.trainingUrl}` : "";
  return `${entry.answer}${training}\n——出自知识库「${entry.question}」（${entry.id}）`;
}
