// The interaction log: every message in or out becomes one Interaction row. A re-delivered platform
// event has the same (platform, externalMessageId) and is stored once: the unique key decides, and
// record() tells the caller it was a duplicate so the hub does not answer twice.
//
// Writes are group-committed: records that arrive while a write is in flight go out together in the
// next createMany. One insert per message would cap the hub at the database's per-statement cost
// (see `npm run bench`); a batch costs about the same as one row.
import type { Db } from "../db/client.ts";
import { isUniqueViolation } from "../db/errors.ts";

export interface InteractionInput {
  platform: string;
  direction: "IN" | "OUT";
  kind: string;
  text: string;
  partnerId?: number | null;
  contactId?: number | null;
  staffId?: number | null;
  chatId?: number | null;
  externalMessageId?: string | null;
  createdAt: Date;
  meta?: Record<string, unknown>;
}

interface Pending {
  input: InteractionInput;
  resolve(r: { duplicate: boolean }): void;
  reject(err: unknown): void;
}

/** Largest group commit; bounded so one flush stays well under SQLite's bound-variable limit. */
const MAX_BATCH = 500;

const keyOf = (i: InteractionInput) => (i.externalMessageId ? `${i.platform}\u0000${i.externalMessageId}` : null);

export class InteractionLog {
  #queue: Pending[] = [];
  #draining: Promise<void> | null = null;

  constructor(private readonly db: Db) {}

  record(input: InteractionInput): Promise<{ duplicate: boolean }> {
    return new Promise((resolve, reject) => {
      this.#queue.push({ input, resolve, reject });
      this.#draining ??= new Promise<void>((done) => setImmediate(done)).then(() => this.#drain());
    });
  }

  /** Resolves when everything recorded so far is written. */
  async flush(): Promise<void> {
    while (this.#draining) await this.#draining;
  }

  async #drain(): Promise<void> {
    try {
      while (this.#queue.length) await this.#write(this.#queue.splice(0, MAX_BATCH));
    } finally {
      this.#draining = null;
    }
  }

  async #write(batch: Pending[]): Promise<void> {
    const firstByKey = new Map<string, Pending>();
    const fresh: Pending[] = [];
    const duplicates: Pending[] = [];
    for (const p of batch) {
      const key = keyOf(p.input);
      if (key && firstByKey.has(key)) duplicates.push(p);
      else {
        if (key) firstByKey.set(key, p);
        fresh.push(p);
      }
    }
    try {
      const stored = await this.#existingKeys(fresh);
      const toInsert = fresh.filter((p) => {
        const key = keyOf(p.input);
        if (key && stored.has(key)) {
          duplicates.push(p);
          return false;
        }
        return true;
      });
      try {
        if (toInsert.length) await this.db.interaction.createMany({ data: toInsert.map((p) => toRow(p.input)) });
        for (const p of toInsert) p.resolve({ duplicate: false });
      } catch (err) {
        if (!isUniqueViolation(err)) throw err;
        // Another instance stored one of these between our read and write: settle row by row.
        for (const p of toInsert) p.resolve(await this.#insertOne(p.input));
      }
      for (const p of duplicates) p.resolve({ duplicate: true });
    } catch (err) {
      for (const p of batch) p.reject(err);
    }
  }

  async #existingKeys(batch: Pending[]): Promise<Set<string>> {
    const byPlatform = new Map<string, string[]>();
    for (const { input } of batch) {
      if (!input.externalMessageId) continue;
      byPlatform.set(input.platform, [...(byPlatform.get(input.platform) ?? []), input.externalMessageId]);
    }
    if (byPlatform.size === 0) return new Set();
    const rows = await this.db.interaction.findMany({
      where: { OR: [...byPlatform].map(([platform, ids]) => ({ platform, externalMessageId: { in: ids } })) },
      select: { platform: true, externalMessageId: true },
    });
    return new Set(rows.map((r) => `${r.platform}\u0000${r.externalMessageId}`));
  }

  async #insertOne(input: InteractionInput): Promise<{ duplicate: boolean }> {
    try {
      await this.db.interaction.create({ data: toRow(input) });
      return { duplicate: false };
    } catch (err) {
      if (isUniqueViolation(err)) return { duplicate: true };
      throw err;
    }
  }
}

function toRow(i: InteractionInput) {
  return {
    platform: i.platform,
    direction: i.direction,
    kind: i.kind,
    text: i.text,
    partnerId: i.partnerId ?? null,
    contactId: i.contactId ?? null,
    staffId: i.staffId ?? null,
    chatId: i.chatId ?? null,
    externalMessageId: i.externalMessageId ?? null,
    createdAt: i.createdAt,
    meta: i.meta ? JSON.stringify(i.meta) : null,
  };
}
