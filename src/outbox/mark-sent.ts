// The worker's two bookkeeping writes per delivery, batched: "sending now" just before a send, and "sent"
// just after. The rows that come in while one UPDATE is in flight go together in the next, so the outbox
// does not pay the database's per-statement cost for each message (`npm run bench -- outreach`). Each
// caller still waits for its own row to be written.
import type { Db } from "../db/client.ts";
import { Prisma } from "../db/sql.ts";

const MAX_BATCH = 200;

/** Collects items, writes them in batches, resolves each item's promise once its batch is written. */
class Batched<T> {
  #queue: { item: T; resolve(): void; reject(err: unknown): void }[] = [];
  #writing: Promise<void> | null = null;

  constructor(private readonly write: (batch: T[]) => Promise<void>) {}

  add(item: T): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#queue.push({ item, resolve, reject });
      this.#writing ??= new Promise<void>((r) => setImmediate(r)).then(() => this.#drain());
    });
  }

  async #drain(): Promise<void> {
    try {
      while (this.#queue.length) {
        const batch = this.#queue.splice(0, MAX_BATCH);
        try {
          await this.write(batch.map((b) => b.item));
          for (const b of batch) b.resolve();
        } catch (err) {
          for (const b of batch) b.reject(err);
        }
      }
    } finally {
      this.#writing = null;
    }
  }
}

interface Mark {
  id: number;
  /** The claim it is sent under: a row since claimed by another worker is not touched. */
  claimedBy: string;
  at: Date;
  messageId?: string;
}

/** One time per batch (its latest; milliseconds apart): a typed parameter both databases accept. */
const latest = (marks: Mark[]) => new Date(Math.max(...marks.map((m) => m.at.getTime())));
const ours = (marks: Mark[]) =>
  Prisma.sql`"id" IN (${Prisma.join(marks.map((m) => m.id))}) AND "status" = 'SENDING' AND "claimedBy" IN (${Prisma.join([...new Set(marks.map((m) => m.claimedBy))])})`;

export class DeliveryMarks {
  readonly #sending: Batched<Mark>;
  readonly #sent: Batched<Mark>;

  constructor(db: Db) {
    this.#sending = new Batched(async (marks) => {
      await db.$executeRaw`UPDATE "Delivery" SET "sendingSince" = ${latest(marks)} WHERE ${ours(marks)}`;
    });
    this.#sent = new Batched(async (marks) => {
      const messageIds = Prisma.join(marks.map((m) => Prisma.sql`WHEN ${m.id} THEN ${m.messageId!}`), " ");
      await db.$executeRaw`
        UPDATE "Delivery" SET "status" = 'SENT', "leaseUntil" = NULL, "lastError" = NULL, "uncertainSince" = NULL, "sendingSince" = NULL,
          "externalMessageId" = CASE "id" ${messageIds} END, "sentAt" = ${latest(marks)}
        WHERE ${ours(marks)}`;
    });
  }

  /** Durably "this one is going out now": a worker that dies after this leaves a row that is looked up, not blindly resent. */
  sending(id: number, claimedBy: string, at: Date): Promise<void> {
    return this.#sending.add({ id, claimedBy, at });
  }

  sent(id: number, claimedBy: string, messageId: string, at: Date): Promise<void> {
    return this.#sent.add({ id, claimedBy, messageId, at });
  }
}
