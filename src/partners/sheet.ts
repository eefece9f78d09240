// Reads and writes the spreadsheets companies keep client files in: .xlsx (exceljs, streaming) or
// .csv (csv-parse; UTF-8 with or without BOM, or GB18030 as Excel on a Chinese Windows saves it).
// Reading is bounded before it starts (bytes) and while it runs (rows), so a workbook that unpacks
// to millions of rows is refused in seconds instead of taking the machine's memory.
import { createReadStream, existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parse } from "csv-parse/sync";
import ExcelJS from "exceljs";
import { toCsv, unescapeCsvCell } from "../lib/csv-cells.ts";
import { UserError } from "../lib/errors.ts";
import { ZipRefused, checkZip } from "../lib/zip-guard.ts";
import { readCell, type CellValue } from "./cell.ts";

export { BadCell, type CellValue } from "./cell.ts";

export interface Sheet {
  headers: string[];
  /** rowNumber is the spreadsheet's own (1-based); blank rows are skipped. */
  rows: { rowNumber: number; cells: CellValue[] }[];
}

type Row = Sheet["rows"][number];

export interface ReadLimits {
  /** Data rows (after the header) a file may have; reading stops at the first one past it. */
  maxRows: number;
}

/** HUB_IMPORT_MAX_ROWS's default: twice the largest client file we have seen (50,000 partners). */
export const DEFAULT_IMPORT_MAX_ROWS = 100_000;

/**
 * What a workbook (or a CSV) may unpack to, checked from the zip's central directory before anything
 * is inflated. 100,000 rows of the 23 client-file columns unpack to about 60 MB of sheet XML; 200 MB
 * leaves room for wide sheets and extra tabs, and refuses a 20 MB file that unpacks to 294 MB.
 */
export const MAX_UNPACKED_BYTES = 200 * 1024 * 1024;

/** Title rows above the header ("2024年客户档案") are common; the header is looked for this far down. */
const HEADER_SEARCH_ROWS = 10;

const hasValue = (cells: CellValue[]) => cells.some((c) => c !== null);
const megabytes = (n: number) => Math.ceil(n / 1024 / 1024);

function tooManyRows(max: number): UserError {
  return new UserError(
    `文件的数据超过 ${max} 行，超出导入上限（HUB_IMPORT_MAX_ROWS=${max}），已停止读取，未写入任何数据；请拆分成几个文件分批导入`,
    "too_many_rows",
  );
}

function tooBig(bytes: number | null, packed = true): UserError {
  const declared = bytes === null ? "" : packed ? `（解压后约 ${megabytes(bytes)} MB）` : `（约 ${megabytes(bytes)} MB）`;
  return new UserError(`文件太大${declared}，超过 ${megabytes(MAX_UNPACKED_BYTES)} MB 的导入上限，未读取；请拆分成几个文件分批导入`, "file_too_big");
}

/**
 * Reads the first worksheet (of an .xlsx; a .csv has one) whose header row `isHeader` recognizes,
 * skipping title rows above it. Without one, the first sheet's first row is the header, so the
 * caller can say what is wrong with it.
 */
export async function readSheet(
  file: string,
  isHeader: (cells: CellValue[]) => boolean,
  limits: ReadLimits = { maxRows: DEFAULT_IMPORT_MAX_ROWS },
): Promise<Sheet> {
  const ext = path.extname(file).toLowerCase();
  if (ext !== ".csv" && ext !== ".xlsx") {
    throw new UserError(`不支持的文件类型「${ext || "无扩展名"}」：请使用 .xlsx 或 .csv 文件`, "bad_file_type");
  }
  if (!existsSync(file)) throw new UserError(`找不到文件 ${file}`, "no_file");
  if (ext === ".xlsx") return readXlsx(file, isHeader, limits.maxRows);
  const size = statSync(file).size;
  if (size > MAX_UNPACKED_BYTES) throw tooBig(size, false);
  const rows = readCsvRows(readFileSync(file), limits.maxRows + HEADER_SEARCH_ROWS);
  const at = rows.slice(0, HEADER_SEARCH_ROWS).findIndex((r) => isHeader(r.cells));
  const sheet = toSheet(rows, Math.max(at, 0));
  if (sheet.rows.length > limits.maxRows) throw tooManyRows(limits.maxRows);
  return sheet;
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

export function csvError(err: unknown): UserError {
  const e = err as { code?: string; lines?: number };
  const what = (e.code && CSV_ERRORS[e.code]) ?? "格式有误";
  return new UserError(`CSV 文件${e.lines ? `第 ${e.lines} 行` : ""}${what}，请用 Excel 打开检查后另存为 CSV 再导入`, "bad_csv");
}

class TooManyRows extends Error {}

/** Non-blank rows, parsing no further than `maxRows` of them (TooManyRows past it becomes the caller's error). */
export function readCsvRows(bytes: Buffer, maxRows = Number.POSITIVE_INFINITY): Row[] {
  const rows: Row[] = [];
  let record = 0;
  try {
    parse(decodeCsvBytes(bytes), {
      relax_column_count: true,
      skip_empty_lines: false,
      trim: true,
      on_record: (fields: string[]) => {
        record++;
        const cells = fields.map((c) => (c === "" ? null : unescapeCsvCell(c)));
        if (!hasValue(cells)) return null;
        rows.push({ rowNumber: record, cells });
        if (rows.length > maxRows) throw new TooManyRows();
        return null;
      },
    });
  } catch (err) {
    if (err instanceof TooManyRows) return rows;
    throw csvError(err);
  }
  return rows;
}

const XLSX_OPTIONS = { sharedStrings: "cache", hyperlinks: "ignore", styles: "cache", worksheets: "emit", entries: "ignore" } as const;

/** Streams the workbook sheet by sheet, keeping only the rows of the sheet that has the header. */
async function readXlsx(file: string, isHeader: (cells: CellValue[]) => boolean, maxRows: number): Promise<Sheet> {
  try {
    await checkZip(file, MAX_UNPACKED_BYTES);
  } catch (err) {
    if (!(err instanceof ZipRefused)) throw err;
    if (err.reason === "too_big") throw tooBig(null);
    throw new UserError("这个 Excel 文件已损坏或结构异常，无法安全读取；请用 Excel 打开后另存为 .xlsx 再导入", "bad_xlsx");
  }
  const input = createReadStream(file);
  let first: Row[] | null = null;
  try {
    const book = new ExcelJS.stream.xlsx.WorkbookReader(input, XLSX_OPTIONS as Partial<ExcelJS.stream.xlsx.WorkbookStreamReaderOptions>);
    for await (const worksheet of book) {
      const rows: Row[] = [];
      let header = -1;
      for await (const row of worksheet as AsyncIterable<ExcelJS.Row>) {
        const cells = Array.from((row.values as unknown[]).slice(1), readCell);
        if (!hasValue(cells)) continue;
        rows.push({ rowNumber: row.number, cells });
        if (header < 0) {
          if (isHeader(cells)) header = rows.length - 1;
          else if (rows.length >= HEADER_SEARCH_ROWS) break; // not this sheet: the rest is drained unread
        } else if (rows.length - header - 1 > maxRows) throw tooManyRows(maxRows);
      }
      if (header >= 0) return toSheet(rows, header);
      first ??= rows;
    }
  } catch (err) {
    if (err instanceof UserError) throw err;
    throw new UserError(`无法读取这个 Excel 文件（${(err as Error).message}），请确认它是 .xlsx 格式`, "bad_xlsx");
  } finally {
    input.destroy();
  }
  if (!first) throw new UserError("Excel 文件里没有工作表", "bad_xlsx");
  return toSheet(first, 0);
}

export async function writeSheet(file: string, headers: string[], rows: (string | number | null)[][], sheetName = "客户档案"): Promise<void> {
  const ext = path.extname(file).toLowerCase();
  if (ext === ".csv") return writeFileSync(file, toCsv(headers, rows));
  if (ext !== ".xlsx") throw new UserError(`不支持的文件类型「${ext || "无扩展名"}」：请使用 .xlsx 或 .csv 文件`, "bad_file_type");
  // Cells are written as text or numbers, never as formulas, so .xlsx needs no escaping.
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet(sheetName);
  sheet.addRow(headers).font = { bold: true };
  for (const r of rows) sheet.addRow(r);
  sheet.columns.forEach((c) => (c.width = 14));
  return book.xlsx.writeFile(file);
}
