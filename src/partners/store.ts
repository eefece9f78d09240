// Writing client files: an import upserts partners by 客户编号 and contacts by name within the
// partner. The caller has validated every row first (parsePartnerRows), so a bad file writes nothing;
// the writing itself goes in short transactions of CHUNK partners. On SQLite a transaction holds the
// one write lock of the file, and a running hub waits for it with its event loop blocked: one
// 30-second transaction for 50,000 partners froze /healthz and inbound events. A failure half way
// (disk full, the process killed) leaves the chunks already written, and importing the same file
// again completes it, since every write is an upsert.
import type { Db } from "../db/client.ts";
import type { PartnerRecord } from "./parse-rows.ts";
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
const MAX_CHUNK = 1000;

/** The fields a row gave (blank cells leave stored values alone on update). */
const given = <T extends object>(o: T): Partial<T> =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== null && v !== undefined)) as Partial<T>;

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function fields(r: PartnerRecord) {
  const { contacts: _contacts, row: _row, ...rest } = r;
  return rest;
}

function createData(r: PartnerRecord) {
  return { ...fields(r), isKeyAccount: r.isKeyAccount ?? false, searchKey: partnerSearchKey(r) };
}

export async function upsertPartners(
  db: Db,
  records: PartnerRecord[],
  onProgress: (done: number) => void = () => {},
): Promise<ImportStats> {
  const stats: ImportStats = { partnersCreated: 0, partnersUpdated: 0, contactsCreated: 0, contactsUpdated: 0 };
  let size = FIRST_CHUNK;
  for (let i = 0; i < records.length; ) {
    if (i > 0) await pause(IMPORT_CHUNK_PAUSE_MS);
    const chunk = records.slice(i, i + size);
    const started = performance.now();
    await db.$transaction(async (tx) => {
      // Take the write lock first: a SQLite transaction that reads, then writes after another
      // connection has written, fails with SQLITE_BUSY at once instead of waiting its turn.
      await tx.$executeRaw`UPDATE "Partner" SET "id" = "id" WHERE 1 = 0`;
      const codes = chunk.map((r) => r.code);
      const existing = new Map(
        (await tx.partner.findMany({ where: { code: { in: codes } }, select: { code: true, name: true, city: true, region: true } })).map((p) => [p.code, p]),
      );
      const fresh = chunk.filter((r) => !existing.has(r.code));
      if (fresh.length) await tx.partner.createMany({ data: fresh.map(createData) });
      for (const r of chunk.filter((r) => existing.has(r.code))) {
        const { isKeyAccount, ...rest } = given(fields(r));
        const update = { ...rest, ...(isKeyAccount == null ? {} : { isKeyAccount }) };
        const merged = { ...existing.get(r.code)!, ...update };
        await tx.partner.update({ where: { code: r.code }, data: { ...update, searchKey: partnerSearchKey(merged) } });
      }
      stats.partnersCreated += fresh.length;
      stats.partnersUpdated += chunk.length - fresh.length;

      const ids = new Map(
        (await tx.partner.findMany({ where: { code: { in: codes } }, select: { id: true, code: true } })).map((p) => [p.code, p.id]),
      );
      const known = new Set(
        (await tx.contact.findMany({ where: { partnerId: { in: [...ids.values()] } }, select: { partnerId: true, name: true } })).map(
          (c) => `${c.partnerId}\u0000${c.name}`,
        ),
      );
      const newContacts = [];
      for (const r of chunk) {
        const partnerId = ids.get(r.code)!;
        for (const c of r.contacts) {
          if (!known.has(`${partnerId}\u0000${c.name}`)) newContacts.push({ ...c, partnerId });
          else {
            await tx.contact.update({ where: { partnerId_name: { partnerId, name: c.name } }, data: { ...given(c), unidentified: false } });
            stats.contactsUpdated++;
          }
        }
      }
      if (newContacts.length) await tx.contact.createMany({ data: newContacts });
      stats.contactsCreated += newContacts.length;
    });
    i += chunk.length;
    onProgress(i);
    const took = Math.max(performance.now() - started, 1);
    size = Math.round(Math.min(MAX_CHUNK, Math.max(MIN_CHUNK, (chunk.length * IMPORT_TX_TARGET_MS) / took)));
  }
  return stats;
}
