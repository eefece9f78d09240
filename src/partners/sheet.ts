// Reads and writes the spreadsheets companies keep client files in: .xlsx (exceljs) or .csv
// (csv-parse; UTF-8 with or without BOM, or GB18030 as Excel on a Chinese Windows saves it).
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parse } from "csv-parse/sync";
import ExcelJS from "exceljs";
import { UserError } from "../lib/errors.ts";

export type CellValue = string | number | boolean | Date | null;

export interface Sheet {
  headers: string[];
  /** rowNumber is the spreadsheet's own (the header is row 1); blank rows are skipped. */
  rows: { rowNumber: number; cells: CellValue[] }[];
}

export async function readSheet(file: string): Promise<Sheet> {
  const ext = path.extname(file).toLowerCase();
  if (ext === ".csv") return readCsv(readFileSync(file));
  if (ext === ".xlsx") return readXlsx(file);
  throw new UserError(`不支持的文件类型「${ext || "无扩展名"}」：请使用 .xlsx 或 .csv 文件`, "bad_file_type");
}

export function decodeCsvBytes(bytes: Buffer): string {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes).replace(/^\uFEFF/, "");
  } catch {
    return new TextDecoder("gb18030").decode(bytes);
  }
}

export function readCsv(bytes: Buffer): Sheet {
  let records: string[][];
  try {
    records = parse(decodeCsvBytes(bytes), { relax_column_count: true, skip_empty_lines: false, trim: true });
  } catch (err) {
    throw new UserError(`CSV 文件格式有误：${(err as Error).message}`, "bad_csv");
  }
  const [headers = [], ...body] = records;
  return {
    headers,
    rows: body
      .map((cells, i) => ({ rowNumber: i + 2, cells: cells.map((c) => (c === "" ? null : c)) }))
      .filter((r) => r.cells.some((c) => c !== null)),
  };
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

export async function readXlsx(file: string): Promise<Sheet> {
  const book = new ExcelJS.Workbook();
  try {
    await book.xlsx.readFile(file);
  } catch (err) {
    throw new UserError(`无法读取 Excel 文件：${(err as Error).message}`, "bad_xlsx");
  }
  const sheet = book.worksheets[0];
  if (!sheet) throw new UserError("Excel 文件里没有工作表", "bad_xlsx");
  const headerRow = sheet.getRow(1);
  const width = headerRow.cellCount;
  const headers = Array.from({ length: width }, (_, i) => String(cellToValue(headerRow.getCell(i + 1).value) ?? ""));
  const rows: Sheet["rows"] = [];
  sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    if (rowNumber === 1) return;
    const cells = Array.from({ length: width }, (_, i) => cellToValue(row.getCell(i + 1).value));
    if (cells.some((c) => c !== null)) rows.push({ rowNumber, cells });
  });
  return { headers, rows };
}

export async function writeSheet(file: string, headers: string[], rows: (string | number | null)[][]): Promise<void> {
  const ext = path.extname(file).toLowerCase();
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet("客户档案");
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
