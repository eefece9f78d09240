// The /client search index: every partner's searchKey and summary, in memory. A LIKE '%x%' scan
// costs the database about 6-8 ms per 50,000 partners on this class of machine (see `npm run bench`);
// scanning the same strings here costs a fraction of that and lets us rank every match, not just the
// first few the database returns.
//
// It stays current across processes and instances: before each search it reads the newest
// updatedAt (one index lookup) and, when it moved, loads only the rows changed since. Partners are
// never deleted by the hub; a full reload every FULL_RELOAD_MS drops any removed by hand.
import type { Db } from "../db/client.ts";
import type { Clock } from "../lib/clock.ts";

/** What a /client pick list shows of a partner. */
export interface PartnerSummary {
  id: number;
  code: string;
  name: string;
  city: string;
  tier: string;
}

export interface IndexedPartner extends PartnerSummary {
  searchKey: string;
}

export const FULL_RELOAD_MS = 10 * 60_000;

const FIELDS = { id: true, code: true, name: true, city: true, tier: true, searchKey: true, updatedAt: true } as const;

export class PartnerSearchIndex {
  #byId = new Map<number, IndexedPartner>();
  #byCode = new Map<string, IndexedPartner>();
  #newest: Date | null = null;
  #loadedAt = 0;
  #refreshing: Promise<void> | null = null;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  /** All partners, current as of this call. */
  async entries(): Promise<Iterable<IndexedPartner>> {
    await this.#refresh();
    return this.#byId.values();
  }

  async byCode(code: string): Promise<IndexedPartner | undefined> {
    await this.#refresh();
    return this.#byCode.get(code);
  }

  #refresh(): Promise<void> {
    this.#refreshing ??= this.#load().finally(() => (this.#refreshing = null));
    return this.#refreshing;
  }

  async #load(): Promise<void> {
    // ORDER BY updatedAt DESC LIMIT 1 is one step down the updatedAt index (Prisma's aggregate wraps
    // MAX() in a subquery the planner cannot answer from the index).
    const newest = (await this.db.partner.findFirst({ orderBy: { updatedAt: "desc" }, select: { updatedAt: true } }))?.updatedAt ?? null;
    const full = this.#newest === null || this.clock.now().getTime() - this.#loadedAt > FULL_RELOAD_MS;
    if (!full && newest?.getTime() === this.#newest?.getTime()) return;
    // Rows are stamped when written but seen when their transaction commits, so a long import can
    // commit rows older than the newest we hold: look back a whole reload period, not just to it.
    const where = full ? undefined : { updatedAt: { gte: new Date(this.#newest!.getTime() - FULL_RELOAD_MS) } };
    const rows = await this.db.partner.findMany({ where, select: FIELDS });
    if (full) {
      this.#byId.clear();
      this.#byCode.clear();
      this.#loadedAt = this.clock.now().getTime();
    }
    for (const { updatedAt: _u, ...p } of rows) {
      const old = this.#byId.get(p.id);
      if (old) this.#byCode.delete(old.code);
      this.#byId.set(p.id, p);
      this.#byCode.set(p.code, p);
    }
    this.#newest = newest ?? new Date(0);
  }
}
