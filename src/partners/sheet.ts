// Reads and writes the spreadsheets companies keep client files in: .xlsx (exceljs) or .csv
// (csv-parse; UTF-8 with or without BOM, or GB18030 as Excel on a Chinese Windows saves it).
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parse } from "csv-parse/sync";
import ExcelJS from "exceljs";
import { UserError } from "../lib/errors.ts";

export type CellValue = string | number | boolean | Date | null;

export interface Sheet {
  headers: string[];
  /** rowNumber is the spreadsheet's own (1-based); blank rows are skipped. */
  rows: { rowNumber: number; cells: CellValue[] }[];
}

type Row = Sheet["rows"][number];

/** Title rows above the header ("2024年客户档案") are common; the header is looked for this far down. */
const HEADER_SEARCH_ROWS = 10;

/**
 * Reads the first worksheet (of an .xlsx; a .csv has one) whose header row `isHeader` recognizes,
 * skipping title rows above it. Without one, the first sheet's first row is the header, so the
 * caller can say what is wrong with it.
 */
export async function readSheet(file: string, isHeader: (cells: CellValue[]) => boolean): Promise<Sheet> {
  const ext = path.extname(file).toLowerCase();
  if (ext !== ".csv" && ext !== ".xlsx") {
    throw new UserError(`不支持的文件类型「${ext || "无扩展名"}」：请使用 .xlsx 或 .csv 文件`, "bad_file_type");
  }
  if (!existsSync(file)) throw new UserError(`找不到文件 ${file}`, "no_file");
  const sheets = ext === ".csv" ? [readCsvRows(readFileSync(file))] : await readXlsxRows(file);
  for (const rows of sheets) {
    const at = rows.slice(0, HEADER_SEARCH_ROWS).findIndex((r) => isHeader(r.cells));
    if (at >= 0) return toSheet(rows, at);
  }
  return toSheet(sheets[0] ?? [], 0);
}

function toSheet(rows: Row[], headerIndex: number): Sheet {
  const header = rows[headerIndex];
  return { headers: (header?.cells ?? []).map((c) => (c === null ? "" : String(c).trim())), rows: rows.slice(headerIndex + 1) };
}

export function decodeCsvBytes(bytes: Buffer): string {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes).replace(/^\uFEFF/, "");
  } catch {
    return new TextDecoder("gb18030").decode(bytes);
  }
}

/** csv-parse's error codes, said in Chinese with the line they happened on. */
const CSV_ERRORS: Record<string, string> = {
  CSV_QUOTE_NOT_CLOSED: "引号没有闭合",
  CSV_INVALID_CLOSING_QUOTE: "引号后面多了字符",
  CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE: "引号后面多了字符",
};

export function readCsvRows(bytes: Buffer): Row[] {
  let records: string[][];
  try {
    records = parse(decodeCsvBytes(bytes), { relax_column_count: true, skip_empty_lines: false, trim: true });
  } catch (err) {
    const e = err as { code?: string; lines?: number };
    const what = (e.code && CSV_ERRORS[e.code]) ?? "格式有误";
    throw new UserError(`CSV 文件${e.lines ? `第 ${e.lines} 行` : ""}${what}，请用 Excel 打开检查后另存为 CSV 再导入`, "bad_csv");
  }
  return records
    .map((cells, i) => ({ rowNumber: i + 1, cells: cells.map((c) => (c === "" ? null : c)) }))
    .filter((r) => r.cells.some((c) => c !== null));
}

function cellToValue(value: ExcelJS.CellValue): CellValue {
  if (value === null || value === undefined) return null;
  if (value instanceof Date || typeof value === "number" || typeof value === "boolean") return value;
  if (typeof value === "string") return value.trim() === "" ? null : value.trim();
  if ("richText" in value) return value.richText.map((r) => r.text).join("").trim() || null;
  if ("text" in value && typeof value.text === "string") return value.text.trim() || null; // hyperlink (emails)
  if ("result" in value) return cellToValue(value.result as ExcelJS.CellValue); // formula
  if ("error" in value) return null;
  return String(value);
}

async function readXlsxRows(file: string): Promise<Row[][]> {
  const book = new ExcelJS.Workbook();
  try {
    await book.xlsx.readFile(file);
  } catch (err) {
    throw new UserError(`无法读取这个 Excel 文件（${(err as Error).message}），请确认它是 .xlsx 格式`, "bad_xlsx");
  }
  if (!book.worksheets.length) throw new UserError("Excel 文件里没有工作表", "bad_xlsx");
  return book.worksheets.map((sheet) => {
    const rows: Row[] = [];
    const width = sheet.columnCount;
    sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
      const cells = Array.from({ length: width }, (_, i) => cellToValue(row.getCell(i + 1).value));
      if (cells.some((c) => c !== null)) rows.push({ rowNumber, cells });
    });
    return rows;
  });
}

export async function writeSheet(file: string, headers: string[], rows: (string | number | null)[][], sheetName = "客户档案"): Promise<void> {
  const ext = path.extname(file).toLowerCase();
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet(sheetName);
  sheet.addRow(headers).font = { bold: true };
  for (const r of rows) sheet.addRow(r);
  sheet.columns.forEach((c) => (c.width = 14));
  if (ext === ".xlsx") return book.xlsx.writeFile(file);
  if (ext === ".csv") {
    // A BOM so Excel opens the UTF-8 file with the Chinese intact.
    const buf = await book.csv.writeBuffer();
    writeFileSync(file, Buffer.concat([Buffer.from("\uFEFF"), Buffer.from(buf)]));
    return;
  }
  throw new UserError(`不支持的文件类型「${ext || "无扩展名"}」：请使用 .xlsx 或 .csv 文件`, "bad_file_type");
}
