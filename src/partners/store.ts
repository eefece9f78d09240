// Writing client files: an import upserts partners by 客户编号 and contacts by name within the
// partner, all in one transaction.
import type { Db } from "../db/client.ts";
import type { PartnerRecord } from "./parse-rows.ts";
import { partnerSearchKey } from "./search-key.ts";

export interface ImportStats {
  partnersCreated: number;
  partnersUpdated: number;
  contactsCreated: number;
  contactsUpdated: number;
}

const CHUNK = 500;
/** A 50,000-partner file takes tens of seconds; Prisma's default 5 s would abort it. */
const IMPORT_TX_TIMEOUT_MS = 30 * 60_000;

/** The fields a row gave (blank cells leave stored values alone on update). */
const given = <T extends object>(o: T): Partial<T> =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== null && v !== undefined)) as Partial<T>;

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
  await db.$transaction(
    async (tx) => {
      for (let i = 0; i < records.length; i += CHUNK) {
        const chunk = records.slice(i, i + CHUNK);
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
        onProgress(Math.min(i + CHUNK, records.length));
      }
    },
    { timeout: IMPORT_TX_TIMEOUT_MS, maxWait: 30_000 },
  );
  return stats;
}
