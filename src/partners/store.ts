// Writing client files: an import upserts partners by 客户编号 and contacts by name within the
// partner. The caller has validated every row first (parsePartnerRows), so a bad file writes nothing;
// the writing itself goes in short transactions of CHUNK partners. On SQLite a transaction holds the
// one write lock of the file, and a running hub waits for it with its event loop blocked: one
// 30-second transaction for 50,000 partners froze /healthz and inbound events. A failure half way
// (disk full, the process killed) leaves the chunks already written, and importing the same file
// again completes it, since every write is an upsert.
//
// The statements are raw SQL, portable between SQLite and PostgreSQL (as src/history/log.ts): Prisma's
// createMany/update built a query object per row and planned every IN-list length anew, which cost
// about twice the memory of the rows themselves (a 50,000-row import peaked near 590 MB) and most of
// each chunk's time under the write lock.
import { systemClock, type Clock } from "../lib/clock.ts";
import type { Db } from "../db/client.ts";
import { Prisma } from "../db/sql.ts";
import type { ContactRecord, PartnerRecord } from "./parse-rows.ts";
import { partnerSearchKey } from "./search-key.ts";

export interface ImportStats {
  partnersCreated: number;
  partnersUpdated: number;
  contactsCreated: number;
  contactsUpdated: number;
}

/**
 * How long one chunk may hold the write lock: what a hub write waits at most behind it (plus one
 * pause), well inside Slack's 3-second acknowledgement budget. Chunks are sized to it as they go,
 * since a partner costs 0.5 ms on one machine and 2.5 ms on a loaded one.
 */
export const IMPORT_TX_TARGET_MS = 150;
/**
 * Pause between two chunks: just over the longest sleep of SQLite's busy handler (100 ms,
 * sqliteDefaultBusyCallback in sqlite/src/main.c), so a writer waiting for the lock tries again
 * inside the pause. Without it the import takes the lock back within microseconds and a waiting
 * writer can miss every gap.
 */
export const IMPORT_CHUNK_PAUSE_MS = 110;
const FIRST_CHUNK = 100;
const MIN_CHUNK = 20;
/** The lock budget decides a chunk's size; this bounds the rows (and the memory) one chunk holds at once. */
const MAX_CHUNK = 2500;
/**
 * Rows per INSERT: 500 partners bind 10,500 values, well under SQLite's limit of 32,766 bound
 * variables (SQLITE_MAX_VARIABLE_NUMBER) and PostgreSQL's 65,535 parameters of one statement.
 */
const INSERT_ROWS = 500;

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function* batches<T>(items: T[], size: number): Generator<T[]> {
  for (let i = 0; i < items.length; i += size) yield items.slice(i, i + size);
}

type Tx = Prisma.TransactionClient;
interface Existing {
  id: number | bigint;
  code: string;
  name: string;
  city: string;
  region: string | null;
}

export async function upsertPartners(
  db: Db,
  records: PartnerRecord[],
  onProgress: (done: number) => void = () => {},
  clock: Clock = systemClock,
): Promise<ImportStats> {
  const stats: ImportStats = { partnersCreated: 0, partnersUpdated: 0, contactsCreated: 0, contactsUpdated: 0 };
  let size = FIRST_CHUNK;
  for (let i = 0; i < records.length; ) {
    // The search keys (pinyin, a fifth of the work) are made while the lock is free: inside the pause
    // after the chunk before, which then waits only what is left of it.
    const pausing = performance.now();
    const chunk = records.slice(i, i + size);
    const keys = new Map(chunk.map((r) => [r.code, partnerSearchKey(r)]));
    if (i > 0) await pause(Math.max(0, IMPORT_CHUNK_PAUSE_MS - (performance.now() - pausing)));
    const started = performance.now();
    await db.$transaction((tx) => writeChunk(tx, chunk, keys, clock.now(), stats));
    i += chunk.length;
    onProgress(i);
    const took = Math.max(performance.now() - started, 1);
    size = Math.round(Math.min(MAX_CHUNK, Math.max(MIN_CHUNK, (chunk.length * IMPORT_TX_TARGET_MS) / took)));
  }
  return stats;
}

async function writeChunk(tx: Tx, chunk: PartnerRecord[], keys: Map<string, string>, now: Date, stats: ImportStats): Promise<void> {
  // Take the write lock first: a SQLite transaction that reads, then writes after another
  // connection has written, fails with SQLITE_BUSY at once instead of waiting its turn.
  await tx.$executeRaw`UPDATE "Partner" SET "id" = "id" WHERE 1 = 0`;
  const existing = new Map(
    (
      await tx.$queryRaw<Existing[]>`SELECT "id", "code", "name", "city", "region" FROM "Partner" WHERE "code" IN (${Prisma.join(chunk.map((r) => r.code))})`
    ).map((p) => [p.code, p]),
  );
  const ids = new Map<string, number>();
  const fresh: PartnerRecord[] = [];
  for (const r of chunk) {
    const known = existing.get(r.code);
    if (!known) fresh.push(r);
    else {
      await updatePartner(tx, r, known, now);
      ids.set(r.code, Number(known.id));
    }
  }
  for (const batch of batches(fresh, INSERT_ROWS)) {
    for (const p of await insertPartners(tx, batch, keys, now)) ids.set(p.code, Number(p.id));
  }
  stats.partnersCreated += fresh.length;
  stats.partnersUpdated += chunk.length - fresh.length;

  // Only partners that were there before can have contacts already.
  const knownIds = [...existing.values()].map((p) => Number(p.id));
  const known = new Set(
    knownIds.length === 0
      ? []
      : (
          await tx.$queryRaw<{ partnerId: number | bigint; name: string }[]>`SELECT "partnerId", "name" FROM "Contact" WHERE "partnerId" IN (${Prisma.join(knownIds)})`
        ).map((c) => `${Number(c.partnerId)}\u0000${c.name}`),
  );
  const newContacts: { partnerId: number; contact: ContactRecord }[] = [];
  for (const r of chunk) {
    const partnerId = ids.get(r.code)!;
    for (const c of r.contacts) {
      if (!known.has(`${partnerId}\u0000${c.name}`)) newContacts.push({ partnerId, contact: c });
      else {
        await updateContact(tx, partnerId, c, now);
        stats.contactsUpdated++;
      }
    }
  }
  for (const batch of batches(newContacts, INSERT_ROWS)) await insertContacts(tx, batch, now);
  stats.contactsCreated += newContacts.length;
}

/** New partners; a blank 重点客户 is false, the status ACTIVE (the schema's defaults). */
async function insertPartners(tx: Tx, rows: PartnerRecord[], keys: Map<string, string>, now: Date): Promise<{ id: number | bigint; code: string }[]> {
  const values = rows.map(
    (r) =>
      Prisma.sql`(${r.code}, ${r.name}, ${r.city}, ${r.region}, ${r.address}, ${r.industry}, ${r.size}, ${r.creditLimit}, ${r.tier}, ${r.relationship}, ${r.isKeyAccount ?? false}, ${r.contactEveryDays}, ${r.ownerName}, ${r.partnerSince}, ${r.notes}, 'ACTIVE', ${r.tags}, ${r.timeZone}, ${keys.get(r.code) ?? partnerSearchKey(r)}, ${now}, ${now})`,
  );
  return tx.$queryRaw`
    INSERT INTO "Partner" ("code", "name", "city", "region", "address", "industry", "size", "creditLimit", "tier", "relationship", "isKeyAccount", "contactEveryDays", "ownerName", "partnerSince", "notes", "status", "tags", "timeZone", "searchKey", "createdAt", "updatedAt")
    VALUES ${Prisma.join(values)}
    RETURNING "id", "code"`;
}

/** A blank cell (null) leaves the stored value alone; the search key follows the merged name, city and region. */
async function updatePartner(tx: Tx, r: PartnerRecord, known: Existing, now: Date): Promise<void> {
  const searchKey = partnerSearchKey({ code: r.code, name: r.name ?? known.name, city: r.city ?? known.city, region: r.region ?? known.region });
  await tx.$executeRaw`
    UPDATE "Partner" SET
      "name" = COALESCE(${r.name}, "name"), "city" = COALESCE(${r.city}, "city"), "region" = COALESCE(${r.region}, "region"),
      "address" = COALESCE(${r.address}, "address"), "industry" = COALESCE(${r.industry}, "industry"), "size" = COALESCE(${r.size}, "size"),
      "creditLimit" = COALESCE(${r.creditLimit}, "creditLimit"), "tier" = COALESCE(${r.tier}, "tier"),
      "relationship" = COALESCE(${r.relationship}, "relationship"), "isKeyAccount" = COALESCE(${r.isKeyAccount}, "isKeyAccount"),
      "contactEveryDays" = COALESCE(${r.contactEveryDays}, "contactEveryDays"), "ownerName" = COALESCE(${r.ownerName}, "ownerName"),
      "partnerSince" = COALESCE(${r.partnerSince}, "partnerSince"), "notes" = COALESCE(${r.notes}, "notes"), "tags" = COALESCE(${r.tags}, "tags"),
      "timeZone" = COALESCE(${r.timeZone}, "timeZone"), "searchKey" = ${searchKey}, "updatedAt" = ${now}
    WHERE "id" = ${known.id}`;
}

async function insertContacts(tx: Tx, rows: { partnerId: number; contact: ContactRecord }[], now: Date): Promise<void> {
  const values = rows.map(
    ({ partnerId, contact: c }) =>
      Prisma.sql`(${partnerId}, ${c.name}, ${c.title}, ${c.phone}, ${c.email}, ${c.birthday}, ${c.wedding}, ${false}, ${now}, ${now})`,
  );
  await tx.$executeRaw`
    INSERT INTO "Contact" ("partnerId", "name", "title", "phone", "email", "birthday", "wedding", "unidentified", "createdAt", "updatedAt")
    VALUES ${Prisma.join(values)}`;
}

/** A contact first seen in the partner's group (unidentified) becomes one the file names. */
async function updateContact(tx: Tx, partnerId: number, c: ContactRecord, now: Date): Promise<void> {
  await tx.$executeRaw`
    UPDATE "Contact" SET
      "title" = COALESCE(${c.title}, "title"), "phone" = COALESCE(${c.phone}, "phone"), "email" = COALESCE(${c.email}, "email"),
      "birthday" = COALESCE(${c.birthday}, "birthday"), "wedding" = COALESCE(${c.wedding}, "wedding"),
      "unidentified" = ${false}, "updatedAt" = ${now}
    WHERE "partnerId" = ${partnerId} AND "name" = ${c.name}`;
}
