// Q&A: the product's decision (answer, offer choices, hand off) through Answerer over a knowledge base in
// SQLite, on both development sets in ../shared/qa-dev, scored as ../shared/qa-dev/score.mjs scores
// `partner-hub ask --json`; and Answerer.answer's latency at 1,000 and 10,000 entries beside the bare
// index search it rests on, timed in the same process.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { Answerer, answerEntryId, choiceIds } from "../../src/answer/answerer.ts";
import { LLM_CANDIDATES } from "../../src/answer/grounded.ts";
import { isChatter, isGreeting } from "../../src/answer/intent.ts";
import { importKb } from "../../src/answer/kb-import.ts";
import { learnFromPick } from "../../src/answer/kb-teach.ts";
import { KbIndex, type KbDoc } from "../../src/answer/kb-index.ts";
import { KnowledgeBase } from "../../src/answer/kb-store.ts";
import { loadThesaurus, type Thesaurus } from "../../src/answer/thesaurus.ts";
import { loadConfig } from "../../src/config.ts";
import { openDatabase, type Db } from "../../src/db/client.ts";
import { rng } from "./fixtures.ts";
import { percentile } from "./lookup.ts";
import { sqliteUrl } from "./temp.ts";

const DEV = path.resolve(import.meta.dirname, "../../../shared/qa-dev");
const QA_SETS = ["questions.json", "questions-2.json"];
const QA_LATENCY_SIZES = [1_000, 10_000];
/** Passes over every question per size: about 1,000 timings, so p99 is the 10th slowest, not the slowest. */
const LATENCY_ROUNDS = 4;

type Question = { q: string; expect: string | null };
type Kb = { id: string; question: string; answer: string; tags: string[] };

/** What one message led to; entryId and choices as `ask --json` prints them. */
interface Outcome {
  kind: "answer" | "choices" | "staff" | "chatter";
  entryId: string | null;
  choices: string[];
}

/** As src/cli.ts's `ask` action: a hello or chatter is neither answered nor handed off. */
async function decide(answerer: Answerer, raw: string): Promise<Outcome> {
  const q = raw.trim();
  if (isGreeting(q) || isChatter(q)) return { kind: "chatter", entryId: null, choices: [] };
  const a = await answerer.answer(q);
  if (a.kind === "unsure") return { kind: "staff", entryId: null, choices: [] };
  if (a.kind === "choices") return { kind: "choices", entryId: null, choices: choiceIds(a) };
  return { kind: "answer", entryId: answerEntryId(a), choices: [] };
}

export interface QaScore {
  messages: number;
  answerable: number;
  nulls: number;
  /** Answerable ones answered right directly, or whose entry was among the choices offered instead. */
  resolved: number;
  /** Direct answers that are not the expected entry (any direct answer on a null question). */
  wrong: number;
  /** Null questions with no direct answer. */
  kept: number;
  /** Answerable ones answered right directly. */
  direct: number;
  /** Messages by outcome. */
  shares: Record<Outcome["kind"], number>;
}

/** Counts exactly as ../shared/qa-dev/score.mjs does, so the two agree on the same answers. */
function score(questions: Question[], outcomes: Outcome[]): QaScore {
  const s: QaScore = { messages: questions.length, answerable: 0, nulls: 0, resolved: 0, wrong: 0, kept: 0, direct: 0, shares: { answer: 0, choices: 0, staff: 0, chatter: 0 } };
  questions.forEach(({ expect }, i) => {
    const { kind, entryId, choices } = outcomes[i];
    s.shares[kind]++;
    if (entryId !== null && entryId !== expect) s.wrong++;
    if (expect) {
      s.answerable++;
      if (entryId === expect) s.direct++;
      else if (entryId === null && choices.includes(expect)) s.resolved++;
    } else {
      s.nulls++;
      if (entryId === null) s.kept++;
    }
  });
  s.resolved += s.direct;
  return s;
}

/** A fresh SQLite database: the development file through kb import as score.sh does, or entries stored in one statement. */
async function kbDatabase(entries: string | Kb[]) {
  const database = await openDatabase(sqliteUrl());
  if (typeof entries === "string") await importKb(database.db, entries);
  // kb import of 10,000 entries takes 20 s in short transactions; how entries arrive is not what is timed here.
  else await database.db.kbEntry.createMany({ data: entries.map((e) => ({ ...e, tags: JSON.stringify(e.tags) })) });
  return database;
}

const answererOver = (db: Db, threshold: number, thesaurus: Thesaurus | undefined) => new Answerer(new KnowledgeBase(db, Date.now, thesaurus), threshold);

/** Bigger knowledge bases for timing: the development entries, reworded with products and places. */
function synthetic(base: Kb[], n: number): Kb[] {
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

export interface QaLatency {
  entries: number;
  p50: number;
  p99: number;
  /** The baseline: KbIndex.search alone over the same entries and thesaurus, as many candidates as Answerer asks for. */
  baseP50: number;
  baseP99: number;
}

/**
 * Answerer.answer (the database freshness check, learned repeats, search, unknown codes, the decision)
 * and the bare search, alternated question by question so a noisy moment slows both alike.
 */
async function latency(base: Kb[], n: number, questions: string[], threshold: number, thesaurus: Thesaurus | undefined): Promise<QaLatency> {
  const entries = synthetic(base, n);
  const database = await kbDatabase(entries);
  try {
    const answerer = answererOver(database.db, threshold, thesaurus);
    const index = new KbIndex(entries.map((e): KbDoc => ({ ...e, variants: [] })), thesaurus);
    // Warm-up: the JIT and the first load of the entries are not what a running hub pays per question.
    for (const q of questions) {
      index.search(q, LLM_CANDIDATES);
      await answerer.answer(q);
    }
    const times: number[] = [];
    const baseTimes: number[] = [];
    for (let round = 0; round < LATENCY_ROUNDS; round++) {
      for (const q of questions) {
        let t = performance.now();
        index.search(q, LLM_CANDIDATES);
        baseTimes.push(performance.now() - t);
        t = performance.now();
        await answerer.answer(q);
        times.push(performance.now() - t);
      }
    }
    times.sort((a, b) => a - b);
    baseTimes.sort((a, b) => a - b);
    return { entries: n, p50: percentile(times, 50), p99: percentile(times, 99), baseP50: percentile(baseTimes, 50), baseP99: percentile(baseTimes, 99) };
  } finally {
    await database.close();
  }
}

export interface QaLearning {
  /** Wordings learned from picks of the right entry. */
  taught: number;
  /** Those wordings asked again and answered right directly. */
  repeatsRight: number;
  /** The held-out halves before teaching, with the learned wordings, and with the same wordings as question variants. */
  before: QaScore;
  learned: QaScore;
  variants: QaScore;
}

/**
 * Picks teaching, held out: both sets are split in two halves. On one half every answerable question
 * offered choices that include its entry is picked right (through learnFromPick, as the hub does); the
 * taught wordings are asked again, and the other half is scored before and after, then with the same
 * wordings stored the old way, as variants in the entry's question field. Then the halves swap.
 */
async function learning(kbFile: string, questions: Question[], threshold: number, thesaurus: Thesaurus | undefined): Promise<QaLearning> {
  const halves = [questions.filter((_, i) => i % 2 === 0), questions.filter((_, i) => i % 2 === 1)];
  const heldOut: Question[] = [];
  const runs: Record<"before" | "learned" | "variants", Outcome[]> = { before: [], learned: [], variants: [] };
  let taught = 0;
  let repeatsRight = 0;
  const outcomes = async (answerer: Answerer, qs: Question[]) => {
    const out: Outcome[] = [];
    for (const { q } of qs) out.push(await decide(answerer, q));
    return out;
  };
  for (const [train, test] of [halves, [...halves].reverse()]) {
    heldOut.push(...test);
    const ours = await kbDatabase(kbFile);
    const plain = await kbDatabase(kbFile);
    try {
      const kb = new KnowledgeBase(ours.db, Date.now, thesaurus);
      const answerer = new Answerer(kb, threshold);
      runs.before.push(...(await outcomes(answerer, test)));
      const learnedNow: Question[] = [];
      for (const t of train) {
        if (!t.expect) continue;
        const o = await decide(answerer, t.q);
        if (o.kind !== "choices" || !o.choices.includes(t.expect)) continue;
        if ((await learnFromPick(ours.db, kb, t.q, t.expect, null, []))?.kind === "added") learnedNow.push(t);
      }
      taught += learnedNow.length;
      for (const t of learnedNow) if ((await decide(answerer, t.q)).entryId === t.expect) repeatsRight++;
      runs.learned.push(...(await outcomes(answerer, test)));
      // The same wordings, kept the old way: in the entry's question field, where retrieval reads them.
      for (const t of learnedNow) {
        const e = await plain.db.kbEntry.findUniqueOrThrow({ where: { id: t.expect! } });
        await plain.db.kbEntry.update({ where: { id: e.id }, data: { variants: JSON.stringify([...JSON.parse(e.variants), t.q]) } });
      }
      runs.variants.push(...(await outcomes(answererOver(plain.db, threshold, thesaurus), test)));
    } finally {
      await ours.close();
      await plain.close();
    }
  }
  return { taught, repeatsRight, before: score(heldOut, runs.before), learned: score(heldOut, runs.learned), variants: score(heldOut, runs.variants) };
}

export async function benchQa() {
  if (!existsSync(path.join(DEV, "kb.json"))) return null;
  const read = <T>(file: string): T => JSON.parse(readFileSync(path.join(DEV, file), "utf8"));
  const kb = read<Kb[]>("kb.json");
  // As the hub and `ask` run by default: the configured threshold, the built-in thesaurus, no LLM.
  const threshold = loadConfig({}).HUB_ANSWER_MIN_CONFIDENCE;
  const thesaurus = loadThesaurus(undefined);
  const sets: (QaScore & { name: string })[] = [];
  const asked: string[] = [];
  const database = await kbDatabase(path.join(DEV, "kb.json"));
  try {
    const answerer = answererOver(database.db, threshold, thesaurus);
    for (const name of QA_SETS) {
      const questions = read<Question[]>(name);
      const outcomes: Outcome[] = [];
      for (const { q } of questions) outcomes.push(await decide(answerer, q));
      sets.push({ name, ...score(questions, outcomes) });
      asked.push(...questions.filter((_, i) => outcomes[i].kind !== "chatter").map(({ q }) => q.trim()));
    }
  } finally {
    await database.close();
  }
  const all = QA_SETS.flatMap((name) => read<Question[]>(name));
  const taught = await learning(path.join(DEV, "kb.json"), all, threshold, thesaurus);
  const timings: QaLatency[] = [];
  for (const n of QA_LATENCY_SIZES) timings.push(await latency(kb, n, asked, threshold, thesaurus));
  return { threshold, entries: kb.length, sets, learning: taught, latency: timings };
}
