// partner-hub import partners FILE / export partners FILE: the spreadsheet round trip.
import v8 from "node:v8";
import type { Db } from "../db/client.ts";
import { decodeAnnualDate, formatAnnualDate } from "./annual-date.ts";
import { COLUMNS, RELATIONSHIPS, TIERS, type ColumnKey, type Relationship, type Tier } from "./fields.ts";
import { looksLikeHeader, parsePartnerRows, type PartnerRecord } from "./parse-rows.ts";
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

/**
 * How much V8 lets the heap grow past what the last full collection kept, while an import runs.
 * On a machine with more than about 2 GB V8 lets it grow 4x (MemoryController::MaxGrowingFactor),
 * so 110 MB of rows and modules became 450 MB of mostly garbage (a 50,000-row import peaked near
 * 475 MB). 1.15x collects more often (the import takes about 10% longer) and, unlike a heap limit
 * (--max-old-space-size), cannot make a larger file fail: the heap still grows as far as it must.
 */
const IMPORT_HEAP_GROWING_PERCENT = 15;

/** Reads and validates every row, then writes all of it (in short transactions) or, on ImportError, nothing. */
export async function importPartners(
  db: Db,
  file: string,
  progress?: ImportProgress,
  options: ImportOptions = {},
): Promise<ImportStats & { rows: number; unknownOwners: UnknownOwner[] }> {
  v8.setFlagsFromString(`--heap-growing-percent=${IMPORT_HEAP_GROWING_PERCENT}`);
  try {
    const { records, rows } = await readPartners(file, options.maxRows ?? DEFAULT_IMPORT_MAX_ROWS);
    progress?.start(records.length);
    try {
      const stats = await upsertPartners(db, records, (done) => progress?.update(done));
      return { ...stats, rows, unknownOwners: await unknownOwners(db, records) };
    } finally {
      progress?.stop();
    }
  } finally {
    v8.setFlagsFromString("--heap-growing-percent=0"); // V8's default: its own heuristics
  }
}

/** A 负责人 the file names who is not registered as staff, and the rows that name them. */
export interface UnknownOwner {
  name: string;
  rows: number[];
}

/**
 * Owners the hub cannot reach (not staff): their partners' hand-offs and complaints go to a manager instead.
 * The import still succeeds; the operator is told whom to register (`staff add`).
 */
async function unknownOwners(db: Db, records: PartnerRecord[]): Promise<UnknownOwner[]> {
  const named = new Map<string, number[]>();
  for (const r of records) if (r.ownerName) named.set(r.ownerName, [...(named.get(r.ownerName) ?? []), r.row]);
  if (!named.size) return [];
  const staff = new Set((await db.staff.findMany({ where: { name: { in: [...named.keys()] } }, select: { name: true } })).map((s) => s.name));
  return [...named].filter(([name]) => !staff.has(name)).map(([name, rows]) => ({ name, rows }));
}

/** The records only: the sheet's rows (as many again) are garbage before the writing starts. */
async function readPartners(file: string, maxRows: number): Promise<{ records: PartnerRecord[]; rows: number }> {
  const sheet = await readSheet(file, looksLikeHeader, { maxRows });
  return { records: parsePartnerRows(sheet), rows: sheet.rows.length };
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
