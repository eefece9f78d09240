// Files people bring: cells that are objects, formulas Excel would run from a CSV, workbooks that
// unpack to far more than they weigh, and files with more rows than an import takes.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { crc32, deflateRawSync } from "node:zlib";
import ExcelJS from "exceljs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { exportKb } from "../../src/answer/kb-export.ts";
import { importKb } from "../../src/answer/kb-import.ts";
import { loadConfig } from "../../src/config.ts";
import { openDatabase, type Database_ } from "../../src/db/client.ts";
import { ImportError } from "../../src/lib/errors.ts";
import { exportPartners, importPartners } from "../../src/partners/transfer.ts";
import { sqliteUrl } from "../helpers/databases.ts";

let database: Database_;
let dir: string;
beforeEach(async () => {
  database = await openDatabase(sqliteUrl());
  dir = mkdtempSync(path.join(os.tmpdir(), "partner-hub-files-"));
});
afterEach(() => database.close());

const HEAD = ["客户编号", "客户名称", "城市", "客户等级", "联系人", "电话", "邮箱", "备注"];

async function workbook(name: string, rows: ExcelJS.CellValue[][]): Promise<string> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet("客户档案");
  sheet.addRow(HEAD);
  for (const r of rows) sheet.addRow(r);
  const file = path.join(dir, name);
  await book.xlsx.writeFile(file);
  return file;
}

describe("cells that are objects in exceljs", () => {
  it("reads rich text, hyperlinks and formula results as what the cell shows", async () => {
    const file = await workbook("ok.xlsx", [
      [
        "C1",
        { richText: [{ text: "杭州" }, { font: { bold: true }, text: "云帆科技" }] },
        { formula: 'LEFT("杭州市",2)', result: "杭州" },
        "重点",
        "张伟",
        { formula: '"138"&"00000000"', result: "13800000000" },
        { text: "zw@yunfan.cn", hyperlink: "mailto:zw@yunfan.cn" },
        null,
      ],
    ]);
    await importPartners(database.db, file);
    const p = await database.db.partner.findUniqueOrThrow({ where: { code: "C1" }, include: { contacts: true } });
    expect(p).toMatchObject({ name: "杭州云帆科技", city: "杭州" });
    expect(p.contacts[0]).toMatchObject({ phone: "13800000000", email: "zw@yunfan.cn" });
  });

  it("a formula without a saved result or an error cell is a row problem, never [object Object]", async () => {
    const file = await workbook("bad.xlsx", [
      ["C1", { formula: 'CONCAT("云帆","科技")' }, "杭州", "重点", null, null, null, null],
      ["C2", "申达", "上海", "一般", null, null, null, { error: "#N/A" }],
    ]);
    const err = await importPartners(database.db, file).catch((e) => e);
    expect(err).toBeInstanceOf(ImportError);
    expect(err.report()).toContain("第 2 行「客户名称」：公式没有计算结果");
    expect(err.report()).toContain("第 3 行「备注」：单元格是错误值 #N/A");
    expect(await database.db.partner.count()).toBe(0);
  });

  it("a knowledge-base answer given as an object is reported with its entry", async () => {
    const file = path.join(dir, "kb.json");
    writeFileSync(
      file,
      JSON.stringify([
        { id: "kb-1", question: "运费谁出？", answer: { richText: [{ text: "满1万元" }, { text: "包邮。" }] } },
        { id: "kb-2", question: "能自提吗？", answer: { zh: "可以" } },
        { id: "kb-3", question: "返利？", answer: "按季度。", tags: ["返利", { a: 1 }] },
      ]),
    );
    const err = await importKb(database.db, file).catch((e) => e);
    expect(err).toBeInstanceOf(ImportError);
    expect(err.problems).toEqual([
      { row: 2, column: "answer", reason: "应当是文字，而不是一个对象或列表" },
      { row: 3, column: "tags", reason: "应当是文字，而不是一个对象或列表" },
    ]);
    writeFileSync(file, JSON.stringify([{ id: "kb-1", question: "运费谁出？", answer: { richText: [{ text: "满1万元" }, { text: "包邮。" }] } }]));
    await importKb(database.db, file);
    expect((await database.db.kbEntry.findUniqueOrThrow({ where: { id: "kb-1" } })).answer).toBe("满1万元包邮。");
  });
});

describe("CSV export Excel opens safely", () => {
  // As stored: the last but one begins with a quote of its own (written ''= in the CSV imported here).
  const RISKY = ["=HYPERLINK(\"http://evil.example\",\"点我\")", "=1+1", "@SUM(A1:A2)", "-2+3", "+1", "'=已转义的样子", "普通备注"];

  it("client files: formula-looking cells are prefixed with ' and come back unchanged", async () => {
    const file = path.join(dir, "in.csv");
    const rows = RISKY.map((note, i) => `R${i},客户${i},杭州,一般,"${note.replace(/^'/, "''").replace(/"/g, '""')}",联系人${i},+8613800000000`);
    writeFileSync(file, ["客户编号,客户名称,城市,客户等级,备注,联系人,电话", ...rows].join("\n"));
    await importPartners(database.db, file);
    expect((await database.db.partner.findMany({ orderBy: { code: "asc" } })).map((p) => p.notes)).toEqual(RISKY);
    const out = path.join(dir, "out.csv");
    await exportPartners(database.db, out);
    const text = readFileSync(out, "utf8");
    expect(text).toContain(`"'=HYPERLINK(""http://evil.example"",""点我"")"`);
    expect(text).toContain(`"'+8613800000000"`);
    expect(text).not.toMatch(/(^|,)"?[=+@-]/m); // no cell Excel would run
    const other = await openDatabase(sqliteUrl());
    try {
      await importPartners(other.db, out);
      const notes = (await other.db.partner.findMany({ orderBy: { code: "asc" } })).map((p) => p.notes);
      expect(notes).toEqual(RISKY);
      expect((await other.db.contact.findFirstOrThrow()).phone).toBe("+8613800000000");
    } finally {
      await other.close();
    }
  });

  it("knowledge base: the same escape, undone by kb import", async () => {
    const file = path.join(dir, "kb.json");
    writeFileSync(file, JSON.stringify([{ id: "kb-1", question: "=1+1", answer: "@SUM(A1) 或拨打 +86 400 800 8000", tags: ["-负数"] }]));
    await importKb(database.db, file);
    const out = path.join(dir, "kb.csv");
    await exportKb(database.db, out);
    expect(readFileSync(out, "utf8")).toContain(`"'=1+1"`);
    const other = await openDatabase(sqliteUrl());
    try {
      await importKb(other.db, out);
      expect(await other.db.kbEntry.findUniqueOrThrow({ where: { id: "kb-1" } })).toMatchObject({
        question: "=1+1",
        answer: "@SUM(A1) 或拨打 +86 400 800 8000",
        tags: JSON.stringify(["-负数"]),
      });
    } finally {
      await other.close();
    }
  });
});

/** A one-entry zip, written by hand so its headers can say what they like. */
function zipOf(name: string, data: Buffer, declaredSize: number): Buffer {
  const packed = deflateRawSync(data);
  const fileName = Buffer.from(name);
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4);
  local.writeUInt16LE(8, 8);
  local.writeUInt32LE(crc32(data), 14);
  local.writeUInt32LE(packed.length, 18);
  local.writeUInt32LE(declaredSize, 22);
  local.writeUInt16LE(fileName.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(20, 4);
  central.writeUInt16LE(20, 6);
  central.writeUInt16LE(8, 10);
  central.writeUInt32LE(crc32(data), 16);
  central.writeUInt32LE(packed.length, 20);
  central.writeUInt32LE(declaredSize, 24);
  central.writeUInt16LE(fileName.length, 28);
  const localPart = Buffer.concat([local, fileName, packed]);
  const centralPart = Buffer.concat([central, fileName]);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(centralPart.length, 12);
  end.writeUInt32LE(localPart.length, 16);
  return Buffer.concat([localPart, centralPart, end]);
}

describe("workbooks that unpack to far more than they weigh", () => {
  const sheetXml = (rows: number) =>
    Buffer.from(
      `<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${"<row><c t=\"inlineStr\"><is><t>x</t></is></c></row>".repeat(rows)}</sheetData></worksheet>`,
    );

  it("refuses one that declares more than 200 MB unpacked before unpacking anything", async () => {
    const file = path.join(dir, "bomb.xlsx");
    writeFileSync(file, zipOf("xl/worksheets/sheet1.xml", sheetXml(1000), 300 * 1024 * 1024));
    const t = performance.now();
    await expect(importPartners(database.db, file)).rejects.toThrow("超过 200 MB 的导入上限");
    expect(performance.now() - t).toBeLessThan(1000);
  });

  it("refuses one whose sheet unpacks to more than it declares (a lying header), without reading it all", async () => {
    const file = path.join(dir, "liar.xlsx");
    const xml = sheetXml(600_000); // about 30 MB of XML, 100 KB packed
    writeFileSync(file, zipOf("xl/worksheets/sheet1.xml", xml, 1000));
    const t = performance.now();
    await expect(importPartners(database.db, file)).rejects.toThrow("已损坏或结构异常");
    expect(performance.now() - t).toBeLessThan(1000);
  });
});

describe("HUB_IMPORT_MAX_ROWS", () => {
  const rows = (n: number) => Array.from({ length: n }, (_, i) => [`M${i}`, `客户${i}`, "杭州", "一般", null, null, null, null]);

  it("a file with more data rows than the limit is refused, naming the limit, and nothing is written", async () => {
    const xlsx = await workbook("many.xlsx", rows(2000));
    await expect(importPartners(database.db, xlsx, undefined, { maxRows: 50 })).rejects.toThrow("超过 50 行，超出导入上限（HUB_IMPORT_MAX_ROWS=50）");
    const csv = path.join(dir, "many.csv");
    writeFileSync(csv, [HEAD.join(","), ...rows(51).map((r) => r.map((c) => c ?? "").join(","))].join("\n"));
    await expect(importPartners(database.db, csv, undefined, { maxRows: 50 })).rejects.toThrow("HUB_IMPORT_MAX_ROWS=50");
    expect(await database.db.partner.count()).toBe(0);
  });

  it("a file at the limit imports", async () => {
    const xlsx = await workbook("fifty.xlsx", rows(50));
    expect((await importPartners(database.db, xlsx, undefined, { maxRows: 50 })).partnersCreated).toBe(50);
  });

  it("is read from the environment, 100,000 by default", () => {
    expect(loadConfig({}).HUB_IMPORT_MAX_ROWS).toBe(100_000);
    expect(loadConfig({ HUB_IMPORT_MAX_ROWS: "500" }).HUB_IMPORT_MAX_ROWS).toBe(500);
  });
});
