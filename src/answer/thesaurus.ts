// Words for the same thing (押金 / 保证金, 退回去 / 退货, 云帆锁 / 智能门锁K1), so a question typed one way finds
// an entry written another. Built-in lists cover the channel business and everyday colloquial phrasing
// (thesaurus/, written without sight of any question set); operators add their company's words in files
// named by HUB_THESAURUS, in the same format:
//
//   # comment
//   = 保证金 押金 按金        words used interchangeably
//   ~ 促销 打折 优惠 特价     words used when asking about the same thing (a weaker link)
import { readFileSync } from "node:fs";
import path from "node:path";
import { ConfigError } from "../config.ts";
import { cleanQuestion, TOKEN_WEIGHTS, tokenize, type Token } from "./text.ts";

/** How much a related word counts against the word the partner typed. */
export const LINK_WEIGHTS = { "=": 0.6, "~": 0.2 } as const;
type Link = keyof typeof LINK_WEIGHTS;

/** The channel business's words, and everyday colloquial phrasing against formal wording. */
export const BUILT_IN_THESAURUS = ["channel-sales.txt", "colloquial.txt"].map((f) => path.resolve(import.meta.dirname, "thesaurus", f));

export interface Related {
  /** A word related to one in the question, cleaned like a question. */
  phrase: string;
  weight: number;
  /** The word in the question it stands for. */
  source: string;
}

interface Group {
  link: Link;
  terms: string[];
}

interface Entry {
  term: string;
  groups: Group[];
}

export class ThesaurusError extends Error {}

const LATIN = /[a-z0-9]/;
/** Each term's tokens, made once per process: tokenizing (pinyin included) is the slow part. */
const TOKENS = new Map<string, Token[]>();
/** Parsed files that cannot change while the hub runs (the built-in lists). */
const BUILT_IN_PARSED = new Map<string, Thesaurus>();

/** A term as questions are cleaned (Traditional, Cantonese, case), without the trade glossary's added words. */
const cleanTerm = (t: string) => cleanQuestion(t).split(" ")[0];

export class Thesaurus {
  /** Terms by their first code unit, for one scan of the question. */
  readonly #byStart = new Map<string, Entry[]>();
  readonly #byTerm = new Map<string, Entry>();

  constructor(groups: Group[]) {
    for (const g of groups) {
      for (const term of g.terms) {
        let e = this.#byTerm.get(term);
        if (!e) {
          this.#byTerm.set(term, (e = { term, groups: [] }));
          // Grammar (怎么办, 需要, 现在) says nothing about the topic: it may be found, but never leads anywhere.
          if (this.tokens(term).some((t) => t.weight >= TOKEN_WEIGHTS.bigram)) {
            const list = this.#byStart.get(term[0]) ?? [];
            list.push(e);
            this.#byStart.set(term[0], list);
          }
        }
        e.groups.push(g);
      }
    }
  }

  static parse(text: string, source: string): Thesaurus {
    const groups: Group[] = [];
    text.replace(/^\uFEFF/, "").split(/\r\n|\r|\n/).forEach((raw, i) => {
      const line = raw.replace(/(^|\s)#.*$/, "").trim();
      if (!line) return;
      const m = /^([=~])\s+(.+)$/.exec(line);
      if (!m) throw new ThesaurusError(`${source} line ${i + 1}: expected "= word word …" or "~ word word …", got "${line}"`);
      const words = m[2].split(/\s+/);
      if (words.length < 2) throw new ThesaurusError(`${source} line ${i + 1}: a group needs at least two words`);
      // A single character (报, 货) is in too many words to stand for one of them; 保證金 and 保证金 are one word.
      const terms = [...new Set(words.map(cleanTerm))].filter((t) => [...t].length > 1);
      if (terms.length > 1) groups.push({ link: m[1] as Link, terms });
    });
    return new Thesaurus(groups);
  }

  static load(files: string[]): Thesaurus {
    const read = (f: string) => Thesaurus.parse(readFileSync(f, "utf8"), f);
    return Thesaurus.merge(
      files.map((f) => {
        if (!BUILT_IN_THESAURUS.includes(f)) return read(f);
        let t = BUILT_IN_PARSED.get(f);
        if (!t) BUILT_IN_PARSED.set(f, (t = read(f)));
        return t;
      }),
    );
  }

  static merge(parts: Thesaurus[]): Thesaurus {
    const groups = new Set<Group>();
    for (const p of parts) for (const e of p.#byTerm.values()) for (const g of e.groups) groups.add(g);
    return new Thesaurus([...groups]);
  }

  /** Words related to those in a cleaned question, each once at its strongest link; words it already has are left out. */
  related(cleaned: string): Related[] {
    const found: string[] = [];
    for (let i = 0; i < cleaned.length; i++) {
      for (const e of this.#byStart.get(cleaned[i]) ?? []) {
        if (!cleaned.startsWith(e.term, i) || found.includes(e.term)) continue;
        // A Latin term is a whole word: "po" is not found in "report".
        const end = i + e.term.length;
        if (LATIN.test(e.term[0]) && i > 0 && LATIN.test(cleaned[i - 1])) continue;
        if (LATIN.test(e.term.at(-1)!) && end < cleaned.length && LATIN.test(cleaned[end])) continue;
        found.push(e.term);
      }
    }
    const out = new Map<string, Related>();
    for (const source of found) {
      for (const g of this.#byTerm.get(source)!.groups) {
        const weight = LINK_WEIGHTS[g.link];
        for (const phrase of g.terms) {
          // 上门安装 for 安装 only adds 上门: a narrower phrase than the one typed, not another word for it.
          if (cleaned.includes(phrase) || found.some((f) => phrase.includes(f))) continue;
          if ((out.get(phrase)?.weight ?? 0) < weight) out.set(phrase, { phrase, weight, source });
        }
      }
    }
    return [...out.values()];
  }

  tokens(phrase: string): Token[] {
    let t = TOKENS.get(phrase);
    if (!t) TOKENS.set(phrase, (t = tokenize(phrase)));
    return t;
  }
}

/**
 * The built-in lists and the operator's files. HUB_THESAURUS: comma-separated paths; "off" alone uses no list,
 * "off" with files uses only those.
 */
export function loadThesaurus(setting: string | undefined): Thesaurus | undefined {
  const parts = (setting ?? "").split(",").map((f) => f.trim()).filter(Boolean);
  const own = parts.filter((p) => p !== "off");
  const files = parts.includes("off") ? own : [...BUILT_IN_THESAURUS, ...own];
  if (!files.length) return undefined;
  try {
    return Thesaurus.load(files);
  } catch (err) {
    const why = err instanceof ThesaurusError ? err.message : `cannot read ${(err as NodeJS.ErrnoException).path ?? "a file"}: ${(err as Error).message}`;
    throw new ConfigError([`HUB_THESAURUS: ${why}`]);
  }
}
