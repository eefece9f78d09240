// partner-hub import partners FILE / export partners FILE: the spreadsheet round trip.
import type { Db } from "../db/client.ts";
import { decodeAnnualDate, formatAnnualDate } from "./annual-date.ts";
import { COLUMNS, RELATIONSHIPS, TIERS, type ColumnKey, type Relationship, type Tier } from "./fields.ts";
import { looksLikeHeader, parsePartnerRows } from "./parse-rows.ts";
import { DEFAULT_IMPORT_MAX_ROWS, readSheet, writeSheet } from "./sheet.ts";
import { upsertPartners, type ImportStats } from "./store.ts";

export interface ImportProgress {
  start(total: number): void;
  update(done: number): void;
  stop(): void;
}

export interface ImportOptions {
  /** HUB_IMPORT_MAX_ROWS: a file with more data rows is refused while it is read. */
  maxRows?: number;
}

/** Reads and validates every row, then writes all of it (in short transactions) or, on ImportError, nothing. */
export async function importPartners(
  db: Db,
  file: string,
  progress?: ImportProgress,
  options: ImportOptions = {},
): Promise<ImportStats & { rows: number }> {
  const sheet = await readSheet(file, looksLikeHeader, { maxRows: options.maxRows ?? DEFAULT_IMPORT_MAX_ROWS });
  const records = parsePartnerRows(sheet);
  progress?.start(records.length);
  try {
    const stats = await upsertPartners(db, records, (done) => progress?.update(done));
    return { ...stats, rows: sheet.rows.length };
  } finally {
    progress?.stop();
  }
}

const day = (d: Date | null) => (d ? d.toISOString().slice(0, 10) : null);
const annual = (s: string | null) => (s ? formatAnnualDate(decodeAnnualDate(s)) : null);

/** One row per contact (one row for a partner without contacts), in the import's own columns. */
export async function exportPartners(db: Db, file: string): Promise<{ partners: number; rows: number }> {
  const partners = await db.partner.findMany({
    orderBy: { code: "asc" },
    include: { contacts: { where: { unidentified: false }, orderBy: { id: "asc" } } },
  });
  const rows: (string | number | null)[][] = [];
  for (const p of partners) {
    const partnerCells: Partial<Record<ColumnKey, string | number | null>> = {
      code: p.code,
      name: p.name,
      city: p.city,
      region: p.region,
      address: p.address,
      industry: p.industry,
      size: p.size,
      creditLimit: p.creditLimit,
      tier: TIERS[p.tier as Tier] ?? p.tier,
      relationship: p.relationship ? (RELATIONSHIPS[p.relationship as Relationship] ?? p.relationship) : null,
      isKeyAccount: p.isKeyAccount ? "是" : "否",
      contactEveryDays: p.contactEveryDays,
      ownerName: p.ownerName,
      partnerSince: day(p.partnerSince),
      notes: p.notes,
      tags: p.tags,
      timeZone: p.timeZone,
    };
    const people = p.contacts.length ? p.contacts : [null];
    for (const c of people) {
      const cells: Partial<Record<ColumnKey, string | number | null>> = {
        ...partnerCells,
        contactName: c?.name ?? null,
        contactTitle: c?.title ?? null,
        phone: c?.phone ?? null,
        email: c?.email ?? null,
        birthday: annual(c?.birthday ?? null),
        wedding: annual(c?.wedding ?? null),
      };
      rows.push(COLUMNS.map((col) => cells[col.key] ?? null));
    }
  }
  await writeSheet(file, COLUMNS.map((c) => c.header), rows);
  return { partners: partners.length, rows: rows.length };
}
