// Q&A: top-1 accuracy and abstention on ../shared/qa-dev beside a plain MiniSearch baseline in the
// same process, and search latency on knowledge bases of 80, 1,000 and 10,000 entries.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import MiniSearch from "minisearch";
import { KbIndex, type KbDoc } from "../../src/answer/kb-index.ts";
import { cleanQuestion, plainQuestion } from "../../src/answer/text.ts";
import { loadThesaurus, type Thesaurus } from "../../src/answer/thesaurus.ts";
import { isChatter, isGreeting } from "../../src/answer/intent.ts";
import { loadConfig } from "../../src/config.ts";
import { percentile } from "./lookup.ts";
import { rng } from "./fixtures.ts";

const DEV = path.resolve(import.meta.dirname, "../../../shared/qa-dev");


export interface QaScore {
  top1: number;
  abstentionPrecision: number;
  abstentionRecall: number;
}

function score(questions: { q: string; expect: string | null }[], pick: (q: string) => string | null): QaScore {
  let answerable = 0, correct = 0, abstained = 0, abstainedOnNull = 0, nulls = 0;
  for (const { q, expect } of questions) {
    const got = pick(q);
    if (expect) {
      answerable++;
      if (got === expect) correct++;
    } else nulls++;
    if (got === null) {
      abstained++;
      if (expect === null) abstainedOnNull++;
    }
  }
  return { top1: correct / answerable, abstentionPrecision: abstained ? abstainedOnNull / abstained : 0, abstentionRecall: nulls ? abstainedOnNull / nulls : 0 };
}

/** The baseline: MiniSearch as one would set it up for Chinese (character bigrams), top hit or nothing. */
function miniSearch(docs: KbDoc[]) {
  const bigrams = (t: string) => {
    const s = cleanQuestion(t).replace(/\s+/g, "");
    return Array.from({ length: Math.max(0, s.length - 1) }, (_, i) => s.slice(i, i + 2));
  };
  const ms = new MiniSearch<KbDoc>({ fields: ["question", "answer"], storeFields: ["id"], tokenize: bigrams });
  ms.addAll(docs);
  return (q: string) => (ms.search(q, { boost: { question: 2 } })[0]?.id as string | undefined) ?? null;
}

type Question = { q: string; expect: string | null };

/**
 * Learning from hand-offs, held out: the questions are split in two. On one half, every answerable
 * question the bot hands off is answered by staff with /answer --kb, which keeps its wording as a phrasing
 * of the right entry (questions the knowledge base cannot answer teach nothing). The other half is then
 * scored with and without those phrasings; then the halves swap. It measures how far what staff teach
 * carries to questions not taught, not the taught ones.
 */
function teachingGain(kb: KbDoc[], questions: Question[], threshold: number, thesaurus?: Thesaurus) {
  const pick = (index: KbIndex) => (q: string) => {
    const [top] = index.search(q, 1);
    return top && top.confidence >= threshold ? top.id : null;
  };
  const halves = [questions.filter((_, i) => i % 2 === 0), questions.filter((_, i) => i % 2 === 1)];
  const before = { correct: 0, answerable: 0 };
  const after = { correct: 0, answerable: 0 };
  let taught = 0;
  let repeatsRight = 0;
  for (const [train, test] of [halves, [...halves].reverse()]) {
    const plain = new KbIndex(kb, thesaurus);
    const variants = new Map<string, string[]>();
    const handedOff = train.filter(({ q, expect }) => expect && pick(plain)(q) === null);
    for (const { q, expect } of handedOff) variants.set(expect!, [...(variants.get(expect!) ?? []), plainQuestion(q)]);
    taught += handedOff.length;
    const taughtIndex = new KbIndex(kb.map((d) => ({ ...d, variants: [...d.variants, ...(variants.get(d.id) ?? [])] })), thesaurus);
    // The same wording asked again, as partners do: answered from the entry staff picked?
    repeatsRight += handedOff.filter(({ q, expect }) => pick(taughtIndex)(q) === expect).length;
    for (const [index, tally] of [[plain, before], [taughtIndex, after]] as const) {
      const s = score(test, pick(index));
      const answerable = test.filter((t) => t.expect).length;
      tally.correct += s.top1 * answerable;
      tally.answerable += answerable;
    }
  }
  return { taught, repeatsRight, before: before.correct / before.answerable, after: after.correct / after.answerable };
}

/** Bigger knowledge bases for timing: the development entries, reworded with products and places. */
function synthetic(base: KbDoc[], n: number): KbDoc[] {
  const r = rng(7);
  const products = ["智能门锁", "扫地机器人", "智能音箱", "空气净化器", "洗碗机", "净水器", "智能窗帘", "摄像头", "电动牙刷", "加湿器"];
  const places = ["华东", "华南", "华北", "西南", "西北", "东北", "华中", "海外"];
  return Array.from({ length: n }, (_, i) => {
    const d = base[i % base.length];
    const p = products[Math.floor(r() * products.length)];
    const where = places[Math.floor(r() * places.length)];
    return { ...d, id: `syn-${i}`, question: `${where}${p}：${d.question}`, answer: `${p}（${where}）${d.answer}` };
  });
}

export function benchQa() {
  if (!existsSync(path.join(DEV, "kb.json"))) return null;
  const kb: KbDoc[] = JSON.parse(readFileSync(path.join(DEV, "kb.json"), "utf8")).map((e: KbDoc) => ({ ...e, variants: [] }));
  const questions: { q: string; expect: string | null }[] = JSON.parse(readFileSync(path.join(DEV, "questions.json"), "utf8"));
  const threshold = loadConfig({}).HUB_ANSWER_MIN_CONFIDENCE;
  // As the hub runs by default: with the built-in thesaurus.
  const thesaurus = loadThesaurus(undefined);
  const index = new KbIndex(kb, thesaurus);
  // As ask --json and a private chat: chatter and hellos are never answered from the knowledge base.
  const confident = (idx: KbIndex) => (q: string) => {
    if (isChatter(q) || isGreeting(q)) return null;
    const [top] = idx.search(q, 1);
    return top && top.confidence >= threshold ? top.id : null;
  };
  const ours = score(questions, confident(index));
  const withoutThesaurus = score(questions, confident(new KbIndex(kb)));
  const ranked = score(questions, (q) => index.search(q, 1)[0]?.id ?? null);
  const baseline = score(questions, miniSearch(kb));
  const teaching = teachingGain(kb, questions, threshold, thesaurus);
  const latency = [80, 1_000, 10_000].map((n) => {
    const idx = n === kb.length ? index : new KbIndex(synthetic(kb, n), thesaurus);
    const times: number[] = [];
    for (const { q } of questions) idx.search(q, 5); // warm-up: the JIT, not the index, is what the first calls measure
    for (let round = 0; round < 5; round++) {
      for (const { q } of questions) {
        const t = performance.now();
        idx.search(q, 5);
        times.push(performance.now() - t);
      }
    }
    times.sort((a, b) => a - b);
    return { n, p50: percentile(times, 50), p99: percentile(times, 99) };
  });
  return { threshold, ours, ranked, baseline, withoutThesaurus, teaching, latency, questions: questions.length, entries: kb.length };
}
