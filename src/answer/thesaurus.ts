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
import { cleanQuestion, tokenize, type Token } from "./text.ts";

/** How much a related word counts against the word the partner typed. */
export const LINK_WEIGHTS = { "=": 0.6, "~": 0.2 } as const;
type Link = keyof typeof LINK_WEIGHTS;

/** The channel business's words, and everyday colloquial phrasing against formal wording. */
export const BUILT_IN_THESAURUS = ["channel-sales.txt", "colloquial.txt"].map((f) => path.resolve(import.meta.dirname, "thesaurus", f));

export interface Related {
  /** A word related to one in the question, cleaned like a question. */
  phrase: string;
  weight: number;
}

interface Group {
  link: Link;
  terms: string[];
}

export class ThesaurusError extends Error {}

export class Thesaurus {
  /** Terms by their first character (a word for Latin terms), for a scan of the question. */
  readonly #byStart = new Map<string, { term: string; groups: Group[] }[]>();
  /** Each term's tokens, made once: tokenizing (pinyin included) is the slow part of a search. */
  readonly #tokens = new Map<string, Token[]>();

  constructor(groups: Group[]) {
    const byTerm = new Map<string, Group[]>();
    for (const g of groups) for (const t of g.terms) byTerm.set(t, [...(byTerm.get(t) ?? []), g]);
    for (const [term, gs] of byTerm) {
      const key = /^[a-z0-9]/.test(term) ? term : term[0];
      const list = this.#byStart.get(key) ?? [];
      list.push({ term, groups: gs });
      this.#byStart.set(key, list);
    }
  }

  static parse(text: string, source: string): Thesaurus {
    const groups: Group[] = [];
    text.split(/\r?\n/).forEach((raw, i) => {
      const line = raw.trim();
      if (!line || line.startsWith("#")) return;
      const m = /^([=~])\s+(.+)$/.exec(line);
      if (!m) throw new ThesaurusError(`${source} line ${i + 1}: expected "= word word …" or "~ word word …", got "${line}"`);
      const terms = [...new Set(m[2].split(/\s+/).map((t) => cleanQuestion(t)).filter(Boolean))];
      if (terms.length < 2) throw new ThesaurusError(`${source} line ${i + 1}: a group needs at least two words`);
      // A single character (报, 货) is in too many words to stand for one of them.
      groups.push({ link: m[1] as Link, terms: terms.filter((t) => [...t].length > 1) });
    });
    return new Thesaurus(groups.filter((g) => g.terms.length > 1));
  }

  static load(files: string[]): Thesaurus {
    return Thesaurus.merge(files.map((f) => Thesaurus.parse(readFileSync(f, "utf8"), f)));
  }

  static merge(parts: Thesaurus[]): Thesaurus {
    const groups = new Set<Group>();
    for (const p of parts) for (const list of p.#byStart.values()) for (const e of list) for (const g of e.groups) groups.add(g);
    return new Thesaurus([...groups]);
  }

  /** Words related to those in a cleaned question, each once at its strongest link; words it already has are left out. */
  related(cleaned: string): Related[] {
    const found = new Set<string>();
    // Code units: the terms' first characters are all in the Basic Multilingual Plane.
    for (let i = 0; i < cleaned.length; i++) {
      for (const e of this.#byStart.get(cleaned[i]) ?? []) if (cleaned.startsWith(e.term, i)) found.add(e.term);
    }
    for (const [w] of cleaned.matchAll(/[a-z0-9]+/g)) for (const e of this.#byStart.get(w) ?? []) if (e.term === w) found.add(w);
    const out = new Map<string, number>();
    for (const term of found) {
      for (const e of this.#entries(term)) {
        for (const g of e.groups) {
          for (const other of g.terms) {
            // 上门安装 for 安装 only adds 上门: a narrower phrase than the one typed, not another word for it.
            if (found.has(other) || cleaned.includes(other) || [...found].some((f) => other.includes(f))) continue;
            out.set(other, Math.max(out.get(other) ?? 0, LINK_WEIGHTS[g.link]));
          }
        }
      }
    }
    return [...out].map(([phrase, weight]) => ({ phrase, weight }));
  }

  tokens(phrase: string): Token[] {
    let t = this.#tokens.get(phrase);
    if (!t) this.#tokens.set(phrase, (t = tokenize(phrase)));
    return t;
  }

  *#entries(term: string) {
    const key = /^[a-z0-9]/.test(term) ? term : term[0];
    for (const e of this.#byStart.get(key) ?? []) if (e.term === term) yield e;
  }
}

/** The built-in list and the operator's files (HUB_THESAURUS: comma-separated paths; "off": none at all). */
export function loadThesaurus(setting: string | undefined): Thesaurus | undefined {
  const value = setting?.trim() ?? "";
  if (value === "off") return undefined;
  const files = [...BUILT_IN_THESAURUS, ...value.split(",").map((f) => f.trim()).filter(Boolean)];
  try {
    return Thesaurus.load(files);
  } catch (err) {
    const why = err instanceof ThesaurusError ? err.message : `cannot read ${(err as NodeJS.ErrnoException).path ?? "a file"}: ${(err as Error).message}`;
    throw new Error(`HUB_THESAURUS: ${why}`);
  }
}
