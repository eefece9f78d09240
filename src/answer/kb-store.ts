// The knowledge base in the database, and its in-memory index kept current across instances (the
// entries' count and newest updatedAt are checked before each search).
import type { Db } from "../db/client.ts";
import { KbIndex, type Hit, type KbDoc } from "./kb-index.ts";
import { Repeats, type Repeat } from "./repeats.ts";
import type { Thesaurus } from "./thesaurus.ts";

export interface KbRecord extends KbDoc {
  source: string;
  trainingUrl: string | null;
  /** Partners' wordings learned for this entry: close repeats only (repeats.ts). */
  learned: string[];
}

type KbRow = { id: string; question: string; variants: string; answer: string; tags: string; source: string; trainingUrl: string | null; learned?: string };

export function toRecord(row: KbRow): KbRecord {
  return { ...row, variants: JSON.parse(row.variants), tags: JSON.parse(row.tags), learned: JSON.parse(row.learned ?? "[]") };
}

/** How long a freshness check holds: a busy hub asks the database at most this often whether entries changed. */
export const KB_RECHECK_MS = 1000;

export class KnowledgeBase {
  #index = new KbIndex([]);
  #repeats = new Repeats([]);
  #records = new Map<string, KbRecord>();
  #version = "";
  #checkedAt = -Infinity;
  #loading: Promise<void> | null = null;

  constructor(
    private readonly db: Db,
    private readonly now: () => number = Date.now,
    private readonly thesaurus?: Thesaurus,
  ) {}

  async search(question: string, limit = 5): Promise<(Hit & { entry: KbRecord })[]> {
    await this.#refresh();
    return this.#index.search(question, limit).map((h) => ({ ...h, entry: this.#records.get(h.id)! }));
  }

  /** The entry a question repeats a learned wording of, with it; or null. */
  async repeat(question: string): Promise<(Repeat & { entry: KbRecord }) | null> {
    await this.#refresh();
    const r = this.#repeats.match(question);
    const entry = r ? this.#records.get(r.entryId) : undefined;
    return r && entry ? { ...r, entry } : null;
  }

  /** Model codes (K1, X9) a question names that no entry mentions: it is about something the knowledge base does not cover. */
  async unknownCodes(question: string): Promise<string[]> {
    await this.#refresh();
    return this.#index.unknownCodes(question);
  }

  async get(id: string): Promise<KbRecord | undefined> {
    await this.#refresh();
    return this.#records.get(id);
  }

  /** Forget the last check (after this process changed entries). */
  invalidate(): void {
    this.#checkedAt = -Infinity;
  }

  #refresh(): Promise<void> {
    if (this.now() - this.#checkedAt < KB_RECHECK_MS) return Promise.resolve();
    this.#loading ??= this.#load()
      .then(() => void (this.#checkedAt = this.now()))
      .finally(() => (this.#loading = null));
    return this.#loading;
  }

  async #load(): Promise<void> {
    const [count, newest] = await Promise.all([
      this.db.kbEntry.count(),
      this.db.kbEntry.findFirst({ orderBy: { updatedAt: "desc" }, select: { updatedAt: true } }),
    ]);
    const version = `${count}:${newest?.updatedAt.getTime() ?? 0}`;
    if (version === this.#version) return;
    const rows = (await this.db.kbEntry.findMany({ orderBy: { id: "asc" } })).map(toRecord);
    this.#records = new Map(rows.map((r) => [r.id, r]));
    this.#index = new KbIndex(rows, this.thesaurus);
    this.#repeats = new Repeats(rows);
    this.#version = version;
  }
}
