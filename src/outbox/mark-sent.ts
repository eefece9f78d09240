// Marks sent deliveries in batches: the rows that finish while one UPDATE is in flight go together in
// the next. One statement per delivery would cap the outbox at the database's per-statement cost
// (`npm run bench -- outreach`). Each caller still waits for its own row to be written.
import type { Db } from "../db/client.ts";
import { Prisma } from "../db/generated/sqlite/client.ts";

interface Mark {
  id: number;
  /** The claim it was sent under: a row since claimed by another worker is not touched. */
  claimedBy: string;
  messageId: string;
  sentAt: Date;
  resolve(): void;
  reject(err: unknown): void;
}

const MAX_BATCH = 200;

export class SentMarker {
  #queue: Mark[] = [];
  #writing: Promise<void> | null = null;

  constructor(private readonly db: Db) {}

  mark(id: number, claimedBy: string, messageId: string, sentAt: Date): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#queue.push({ id, claimedBy, messageId, sentAt, resolve, reject });
      this.#writing ??= new Promise<void>((r) => setImmediate(r)).then(() => this.#drain());
    });
  }

  async #drain(): Promise<void> {
    try {
      while (this.#queue.length) await this.#write(this.#queue.splice(0, MAX_BATCH));
    } finally {
      this.#writing = null;
    }
  }

  async #write(batch: Mark[]): Promise<void> {
    const ids = batch.map((m) => m.id);
    const messageIds = Prisma.join(batch.map((m) => Prisma.sql`WHEN ${m.id} THEN ${m.messageId}`), " ");
    // One time for the batch (its latest, milliseconds apart): a typed parameter both databases accept.
    const sentAt = new Date(Math.max(...batch.map((m) => m.sentAt.getTime())));
    try {
      await this.db.$executeRaw`
        UPDATE "Delivery" SET "status" = 'SENT', "leaseUntil" = NULL, "lastError" = NULL, "uncertainSince" = NULL,
          "externalMessageId" = CASE "id" ${messageIds} END, "sentAt" = ${sentAt}
        WHERE "id" IN (${Prisma.join(ids)}) AND "status" = 'SENDING' AND "claimedBy" IN (${Prisma.join([...new Set(batch.map((m) => m.claimedBy))])})`;
      for (const m of batch) m.resolve();
    } catch (err) {
      for (const m of batch) m.reject(err);
    }
  }
}
