// The interaction log: every message in or out becomes one Interaction row. A re-delivered platform
// event has the same (platform, externalMessageId) and is stored once: the unique key decides, and
// record() tells the caller it was a duplicate so the hub does not answer twice.
//
// Writes are group-committed: records that arrive while a write is in flight go out together in the
// next INSERT. One statement per message would cap the hub at the database's per-statement cost
// (see `npm run bench`); a batch of a hundred costs little more than one row.
import type { Db } from "../db/client.ts";
import { Prisma } from "../db/generated/sqlite/client.ts";

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
      const inserted = await this.#insert(fresh.map((p) => p.input));
      for (const p of fresh) {
        const key = keyOf(p.input);
        p.resolve({ duplicate: key !== null && !inserted.has(key) });
      }
      for (const p of duplicates) p.resolve({ duplicate: true });
    } catch (err) {
      for (const p of batch) p.reject(err);
    }
  }

  /**
   * One multi-row INSERT ... ON CONFLICT DO NOTHING: the unique key settles duplicates atomically, also
   * against another hub instance writing the same event. Returns the keys it stored. Raw SQL because
   * Prisma's createMany has no skipDuplicates on SQLite and costs several times more per row; the
   * statement is portable between SQLite (3.35+) and PostgreSQL.
   */
  async #insert(rows: InteractionInput[]): Promise<Set<string>> {
    if (rows.length === 0) return new Set();
    const values = rows.map((i) => {
      const r = toRow(i);
      return Prisma.sql`(${r.platform}, ${r.direction}, ${r.kind}, ${r.text}, ${r.partnerId}, ${r.contactId}, ${r.staffId}, ${r.chatId}, ${r.externalMessageId}, ${r.createdAt}, ${r.meta})`;
    });
    const stored = await this.db.$queryRaw<{ platform: string; externalMessageId: string | null }[]>`
      INSERT INTO "Interaction" ("platform", "direction", "kind", "text", "partnerId", "contactId", "staffId", "chatId", "externalMessageId", "createdAt", "meta")
      VALUES ${Prisma.join(values)}
      ON CONFLICT ("platform", "externalMessageId") DO NOTHING
      RETURNING "platform", "externalMessageId"`;
    return new Set(stored.filter((r) => r.externalMessageId !== null).map((r) => `${r.platform}\u0000${r.externalMessageId}`));
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
