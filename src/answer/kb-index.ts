// Retrieval over the knowledge base: BM25 across three fields (the question and its variants, the
// tags, the answer) on the tokens of text.ts, with a confidence that says when the best entry is not
// good enough to answer from.
import { cleanQuestion, TOKEN_WEIGHTS, tokenize, type Token } from "./text.ts";
import { LINK_WEIGHTS, type Thesaurus } from "./thesaurus.ts";

export interface KbDoc {
  id: string;
  question: string;
  variants: string[];
  answer: string;
  tags: string[];
}

export interface Hit {
  id: string;
  score: number;
  /** Share of the query's content (idf-weighted) found in this entry, and of the entry's question found in the query. */
  queryCoverage: number;
  entryCoverage: number;
  /**
   * 0..1: how clearly this entry beats the next one. It grows with the score margin over the runner-up
   * (1 - e^(-margin / CONFIDENCE_SCALE)); a question two entries answer equally well, or none does, is
   * not answered with confidence. On the development set the margin separated right answers from
   * questions the knowledge base cannot answer better than coverage of the question's words did.
   */
  confidence: number;
}

/** BM25 constants (Robertson & Zaragoza): saturation and length normalisation. */
const K1 = 1.2;
const B = 0.75;
/** Field weights: a partner's question is phrased like an entry's question far more than like its answer. */
const FIELDS = { question: 2, tags: 1.5, answer: 1.5 } as const;
type Field = keyof typeof FIELDS;
const FIELD_NAMES = Object.keys(FIELDS) as Field[];
/** Below this share of the question's content words found in the entry, it is not an answer to it. */
const MIN_CONTENT_COVERAGE = 0.05;
/** Score margin that makes confidence 1 - 1/e (about 0.63). */
const CONFIDENCE_SCALE = 5;
/** Low-weight tokens found in more than this share of entries are skipped in large knowledge bases. */
const COMMON_FRACTION = 0.05;

interface Posting {
  doc: number;
  tf: Record<Field, number>;
}

/**
 * A term's postings as the search walks them: entry numbers in order, and each entry's field-weighted,
 * length-normalised term frequency (query-independent, so computed once). Typed arrays: a long question
 * walks tens of thousands of these at 10,000 entries.
 */
interface PostingList {
  docs: Int32Array;
  tf: Float64Array;
}

interface QueryTerm {
  count: number;
  weight: number;
  /** For a related word (thesaurus.ts): the typed word it stands for. */
  source?: string;
}

function termCounts(tokens: Token[]): Map<string, QueryTerm> {
  const m = new Map<string, QueryTerm>();
  for (const t of tokens) {
    const e = m.get(t.term);
    if (e) e.count++;
    else m.set(t.term, { count: 1, weight: t.weight, source: t.related });
  }
  return m;
}

export class KbIndex {
  readonly #docs: KbDoc[];
  readonly #postings = new Map<string, PostingList>();
  readonly #lengths: Record<Field, number>[] = [];
  readonly #avg: Record<Field, number> = { question: 1, tags: 1, answer: 1 };
  /** Each entry's own question terms with their weights, for coverage. */
  readonly #questionTerms: Map<string, number>[] = [];

  readonly #thesaurus?: Thesaurus;

  /** `thesaurus`: words for the same thing, so a question's words also look for the entry's (押金 -> 保证金). */
  constructor(docs: KbDoc[], thesaurus?: Thesaurus) {
    this.#docs = docs;
    this.#thesaurus = thesaurus;
    const building = new Map<string, Posting[]>();
    docs.forEach((d, i) => {
      const fields: Record<Field, Token[]> = {
        question: tokenize(cleanQuestion([d.question, ...d.variants].join("。"))),
        tags: tokenize(cleanQuestion(d.tags.join("。"))),
        answer: tokenize(cleanQuestion(d.answer)),
      };
      const lengths = { question: 0, tags: 0, answer: 0 };
      const perTerm = new Map<string, Record<Field, number>>();
      for (const f of FIELD_NAMES) {
        for (const t of fields[f]) {
          lengths[f] += t.weight;
          for (const term of t.sound ? [t.term, t.sound] : [t.term]) {
            const tf = perTerm.get(term) ?? { question: 0, tags: 0, answer: 0 };
            tf[f] += 1;
            perTerm.set(term, tf);
          }
        }
      }
      this.#lengths.push(lengths);
      for (const [term, tf] of perTerm) {
        let list = building.get(term);
        if (!list) building.set(term, (list = []));
        list.push({ doc: i, tf });
      }
      const qt = new Map<string, number>();
      for (const t of fields.question) qt.set(t.term, t.weight);
      this.#questionTerms.push(qt);
    });
    for (const f of FIELD_NAMES) {
      this.#avg[f] = Math.max(1, this.#lengths.reduce((s, l) => s + l[f], 0) / Math.max(1, docs.length));
    }
    const norms = this.#lengths.map((len) => ({
      question: 1 - B + (B * len.question) / this.#avg.question,
      tags: 1 - B + (B * len.tags) / this.#avg.tags,
      answer: 1 - B + (B * len.answer) / this.#avg.answer,
    }));
    for (const [term, list] of building) {
      const tf = new Float64Array(list.length);
      list.forEach((p, k) => {
        const norm = norms[p.doc];
        tf[k] = (FIELDS.question * p.tf.question) / norm.question + (FIELDS.tags * p.tf.tags) / norm.tags + (FIELDS.answer * p.tf.answer) / norm.answer;
      });
      this.#postings.set(term, { docs: Int32Array.from(list, (p) => p.doc), tf });
    }
  }

  #idf(term: string): number {
    const df = this.#postings.get(term)?.docs.length ?? 0;
    const n = this.#docs.length;
    return Math.log(1 + (n - df + 0.5) / (df + 0.5));
  }

  /** Query tokens; a character bigram the knowledge base never uses is looked up by its sound (反利 -> 返利). */
  #queryTokens(query: string): Token[] {
    const cleaned = cleanQuestion(query);
    const tokens = tokenize(cleaned).map((t) =>
      t.sound && !this.#postings.has(t.term) && this.#postings.has(t.sound) ? { term: t.sound, weight: TOKEN_WEIGHTS.pinyin } : t,
    );
    if (!this.#thesaurus) return tokens;
    // Related words count less than typed ones, only for what the knowledge base uses, and never twice.
    const have = new Set(tokens.map((t) => t.term));
    for (const { phrase, weight, source } of this.#thesaurus.related(cleaned)) {
      for (const t of this.#thesaurus.tokens(phrase)) {
        if (t.weight < TOKEN_WEIGHTS.bigram || have.has(t.term) || !this.#postings.has(t.term)) continue;
        have.add(t.term);
        tokens.push({ term: t.term, weight: t.weight * weight, related: source });
      }
    }
    return tokens;
  }

  /**
   * Model codes in the query (a word of letters and digits: K1, X9Pro, S7) that no entry uses: a question
   * naming a model the knowledge base never mentions is about something it does not cover.
   */
  unknownCodes(query: string): string[] {
    return tokenize(cleanQuestion(query), { sounds: false })
      .filter((t) => /^#(?=.*[a-z])(?=.*\d)[a-z0-9]{2,}$/.test(t.term) && !this.#postings.has(t.term))
      .map((t) => t.term.slice(1));
  }

  search(query: string, limit = 5): Hit[] {
    const terms = termCounts(this.#queryTokens(query));
    // Dense arrays and a touched list: cheaper than maps when a query reaches thousands of entries.
    const scores = new Float64Array(this.#docs.length);
    const matched = new Float64Array(this.#docs.length);
    const touched: number[] = [];
    let queryMass = 0;
    for (const [term, { weight, source }] of terms) {
      const postings = this.#postings.get(term);
      const n = postings?.docs.length ?? 0;
      // A single character or a related word in most entries says almost nothing and costs a walk over them all.
      if (weight < TOKEN_WEIGHTS.bigram && n > COMMON_FRACTION * this.#docs.length && this.#docs.length > 200) continue;
      const idf = this.#idf(term);
      // Coverage counts typed content tokens only (bigrams, words, sounds), not single characters or grammar.
      const content = weight >= 0.8 && !source;
      if (content) queryMass += idf * weight;
      if (!postings) continue;
      const { docs, tf } = postings;
      const w = idf * weight;
      // This loop runs for every posting of every query term.
      for (let k = 0; k < n; k++) {
        const doc = docs[k];
        if (scores[doc] === 0) touched.push(doc);
        scores[doc] += (w * tf[k] * (K1 + 1)) / (tf[k] + K1);
        if (content) matched[doc] += w;
      }
    }
    const top: number[] = [];
    for (const doc of touched) {
      if (top.length < limit || scores[doc] > scores[top[top.length - 1]]) {
        top.push(doc);
        top.sort((a, b) => scores[b] - scores[a]);
        if (top.length > limit) top.pop();
      }
    }
    return top.map((doc, i) => {
      const margin = scores[doc] - (i + 1 < top.length ? scores[top[i + 1]] : this.#runnerUp(scores, touched, top));
      const coverage = this.#coverage(doc, terms, matched[doc] + this.#relatedCredit(doc, terms), queryMass);
      // Matching only on grammar and single characters ("什么时候" in 年会什么时候开) is no match at all.
      const confidence = coverage.queryCoverage < MIN_CONTENT_COVERAGE ? 0 : 1 - Math.exp(-Math.max(0, margin) / CONFIDENCE_SCALE);
      return { id: this.#docs[doc].id, score: scores[doc], ...coverage, confidence };
    });
  }

  /**
   * What related words found in an entry add to its coverage: for each typed word, at most what that word
   * would add at a related word's weight, however many of its synonyms the entry uses (年会 -> 年度大会, 经销商大会).
   */
  #relatedCredit(doc: number, terms: Map<string, QueryTerm>): number {
    if (!this.#thesaurus) return 0;
    const found = new Map<string, number>();
    for (const [term, { weight, source }] of terms) {
      if (source && this.#has(term, doc)) found.set(source, (found.get(source) ?? 0) + this.#idf(term) * weight);
    }
    let credit = 0;
    for (const [source, mass] of found) {
      let own = 0;
      for (const t of this.#thesaurus.tokens(source)) if (t.weight >= 0.8) own += this.#idf(t.term) * t.weight;
      credit += Math.min(mass, LINK_WEIGHTS["="] * own);
    }
    return credit;
  }

  /** Whether an entry has a term: postings are in entry order, so a binary search. */
  #has(term: string, doc: number): boolean {
    const docs = this.#postings.get(term)?.docs;
    if (!docs) return false;
    let lo = 0;
    let hi = docs.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (docs[mid] === doc) return true;
      if (docs[mid] < doc) lo = mid + 1;
      else hi = mid - 1;
    }
    return false;
  }

  /** The best score outside `top` (for the last hit's margin). */
  #runnerUp(scores: Float64Array, touched: number[], top: number[]): number {
    let best = 0;
    for (const doc of touched) if (!top.includes(doc) && scores[doc] > best) best = scores[doc];
    return best;
  }

  /** Coverage of the query by the entry, and of the entry's own question by the query. */
  #coverage(doc: number, terms: Map<string, QueryTerm>, matchedMass: number, queryMass: number) {
    let ownMass = 0;
    let ownMatched = 0;
    for (const [term, weight] of this.#questionTerms[doc]) {
      const w = this.#idf(term) * weight;
      ownMass += w;
      if (terms.has(term) && !terms.get(term)!.source) ownMatched += w;
    }
    const queryCoverage = queryMass ? Math.min(1, matchedMass / queryMass) : 0;
    const entryCoverage = ownMass ? ownMatched / ownMass : 0;
    return { queryCoverage, entryCoverage };
  }
}
