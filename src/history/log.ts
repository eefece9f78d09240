// The interaction log: every message in or out becomes one Interaction row. A re-delivered platform
// event has the same (platform, externalMessageId) and is stored once: the unique key decides, and
// record() tells the caller it was a duplicate so the hub does not answer twice.
//
// Writes are group-committed: records that arrive while a write is in flight go out together in the
// next INSERT. One statement per message would cap the hub at the database's per-statement cost
// (see `npm run bench`); a batch of a hundred costs little more than one row. A row the database
// refuses fails alone: the batch is written again row by row, and only that row's caller hears of it.
import type { Db } from "../db/client.ts";
import { Prisma } from "../db/sql.ts";
import { GroupCommit } from "../lib/group-commit.ts";
import { storableText } from "../text/storable.ts";

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
  /** An answer: the platform message id of the event it answers (an indexed column; meta may say it too). */
  inReplyTo?: string | null;
  /**
   * An inbound event still to be handled: stored with its normalised form (to handle it again after a
   * crash) and held by this instance until `leaseUntil`. Without it the row is handled as it is written.
   */
  pending?: { event: string; leaseUntil: Date };
}

export interface Recorded {
  duplicate: boolean;
  /** The row's id, when this call stored it. */
  id?: number;
}

/** Largest group commit; bounded so one flush stays well under SQLite's bound-variable limit (32,766). */
const MAX_BATCH = 500;

// What neither database stores as text (NUL, half an emoji) is cleaned (storableText), not refused.
const keyOf = (i: InteractionInput) => (i.externalMessageId ? `${i.platform}\u0000${storableText(i.externalMessageId)}` : null);


export class InteractionLog {
  readonly #rows: GroupCommit<InteractionInput, Recorded>;
  readonly #handled: GroupCommit<{ id: number; at: Date }, void>;

  constructor(private readonly db: Db) {
    this.#rows = new GroupCommit(MAX_BATCH, (batch) => this.#write(batch));
    this.#handled = new GroupCommit(MAX_BATCH, (batch) => this.#markHandled(batch));
  }

  record(input: InteractionInput): Promise<Recorded> {
    return this.#rows.add(input);
  }

  /** An inbound event's handling finished (group-committed like the rows themselves). */
  handled(id: number, at: Date): Promise<void> {
    return this.#handled.add({ id, at });
  }

  /**
   * Takes over an inbound event nobody finished handling: not handled, its holder's lease ended before
   * `expiredBefore`, fewer than `maxAttempts` tries. One conditional UPDATE, so of several instances (or a
   * redelivery racing the recovery sweep) exactly one wins: true for the winner.
   */
  async takeOver(id: number, expiredBefore: Date, leaseUntil: Date, maxAttempts: number): Promise<boolean> {
    const won = await this.db.interaction.updateMany({
      where: { id, handledAt: null, leaseUntil: { lt: expiredBefore }, attempts: { lt: maxAttempts } },
      data: { leaseUntil, attempts: { increment: 1 } },
    });
    return won.count === 1;
  }

  /** Keeps holding events whose handling is taking long (an LLM answer, a slow platform). */
  async extendLeases(ids: number[], leaseUntil: Date): Promise<void> {
    await this.db.$executeRaw`UPDATE "Interaction" SET "leaseUntil" = ${leaseUntil} WHERE "handledAt" IS NULL AND "id" IN (${Prisma.join(ids)})`;
  }

  /** Resolves when everything recorded so far is written. */
  async flush(): Promise<void> {
    await this.#rows.flush();
    await this.#handled.flush();
  }

  async #write(batch: InteractionInput[]): Promise<(Recorded | Error)[]> {
    const results: (Recorded | Error)[] = new Array(batch.length);
    const firstByKey = new Map<string, number>();
    const fresh: number[] = [];
    batch.forEach((input, i) => {
      const key = keyOf(input);
      if (key && firstByKey.has(key)) results[i] = { duplicate: true };
      else {
        if (key) firstByKey.set(key, i);
        fresh.push(i);
      }
    });
    try {
      const inserted = await this.#insert(fresh.map((i) => batch[i]));
      for (const i of fresh) {
        const key = keyOf(batch[i]);
        const id = key === null ? undefined : inserted.get(key);
        results[i] = key === null ? { duplicate: false } : { duplicate: id === undefined, ...(id !== undefined ? { id } : {}) };
      }
    } catch (err) {
      if (fresh.length === 1) results[fresh[0]] = asError(err);
      // One bad row must not lose the others: each is written on its own, and only the bad one fails.
      else for (const i of fresh) results[i] = (await this.#write([batch[i]]))[0];
    }
    return results;
  }

  /**
   * One multi-row INSERT ... ON CONFLICT DO NOTHING: the unique key settles duplicates atomically, also
   * against another hub instance writing the same event. Returns the keys it stored with their ids. Raw
   * SQL because Prisma's createMany has no skipDuplicates on SQLite and costs several times more per row;
   * the statement is portable between SQLite (3.35+) and PostgreSQL.
   */
  async #insert(rows: InteractionInput[]): Promise<Map<string, number>> {
    if (rows.length === 0) return new Map();
    const values = rows.map((i) => {
      const r = toRow(i);
      return Prisma.sql`(${r.platform}, ${r.direction}, ${r.kind}, ${r.text}, ${r.partnerId}, ${r.contactId}, ${r.staffId}, ${r.chatId}, ${r.externalMessageId}, ${r.createdAt}, ${r.meta}, ${r.event}, ${r.handledAt}, ${r.leaseUntil}, ${r.attempts}, ${r.inReplyTo}, ${r.pollId})`;
    });
    const stored = await this.db.$queryRaw<{ id: number | bigint; platform: string; externalMessageId: string | null }[]>`
      INSERT INTO "Interaction" ("platform", "direction", "kind", "text", "partnerId", "contactId", "staffId", "chatId", "externalMessageId", "createdAt", "meta", "event", "handledAt", "leaseUntil", "attempts", "inReplyTo", "pollId")
      VALUES ${Prisma.join(values)}
      ON CONFLICT ("platform", "externalMessageId") DO NOTHING
      RETURNING "id", "platform", "externalMessageId"`;
    return new Map(stored.filter((r) => r.externalMessageId !== null).map((r) => [`${r.platform}\u0000${r.externalMessageId}`, Number(r.id)]));
  }

  async #markHandled(batch: { id: number; at: Date }[]): Promise<void[]> {
    // One statement per distinct time would be many; the batch's latest time stands for all (they are ms apart).
    const at = new Date(Math.max(...batch.map((b) => b.at.getTime())));
    // Raw SQL, like the insert: Prisma plans a query anew for each length of an IN list, which costs more than the write.
    await this.db.$executeRaw`UPDATE "Interaction" SET "handledAt" = ${at}, "leaseUntil" = NULL WHERE "id" IN (${Prisma.join(batch.map((b) => b.id))})`;
    return batch.map(() => undefined);
  }
}

function asError(err: unknown): Error {
  return err instanceof Error ? err : new Error(String(err));
}

function toRow(i: InteractionInput) {
  return {
    platform: i.platform,
    direction: i.direction,
    kind: i.kind,
    text: storableText(i.text),
    partnerId: i.partnerId ?? null,
    contactId: i.contactId ?? null,
    staffId: i.staffId ?? null,
    chatId: i.chatId ?? null,
    externalMessageId: i.externalMessageId ? storableText(i.externalMessageId) : null,
    createdAt: i.createdAt,
    meta: i.meta ? JSON.stringify(i.meta) : null, // JSON escapes NUL and broken characters itself
    event: i.pending?.event ?? null,
    // A row that needs no handling is handled as it is written (OUT rows, records of what was done).
    handledAt: i.pending ? null : i.createdAt,
    leaseUntil: i.pending?.leaseUntil ?? null,
    attempts: i.pending ? 1 : 0,
    inReplyTo: i.inReplyTo ? storableText(i.inReplyTo) : null,
    pollId: pollIdOf(i.meta),
  };
}

/**
 * A poll message's id, from the form the outbox records of what it sent (messageMeta: type and pollId):
 * its own column, so a bare number in the chat finds the latest poll by an index.
 */
function pollIdOf(meta: InteractionInput["meta"]): string | null {
  return meta?.type === "poll" && typeof meta.pollId === "string" ? storableText(meta.pollId) : null;
}
