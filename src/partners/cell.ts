// One spreadsheet cell as the text or number it shows. exceljs gives objects for rich text,
// hyperlinks, formulas and error cells; String() of those is "[object Object]", which was once stored
// as a client's name. A cell is read as its value, or as a BadCell that the caller reports with its
// row and column, never as an object.

/** A cell that holds no usable value; `reason` is said to the user (Chinese). */
export class BadCell {
  constructor(readonly reason: string) {}
  toString(): string {
    return "";
  }
}

export type CellValue = string | number | boolean | Date | null | BadCell;

const trimmed = (s: string) => s.trim() || null;

/** Reads an exceljs cell value (or the same shapes found in a JSON file). */
export function readCell(value: unknown): CellValue {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? new BadCell("日期无效") : value;
  if (typeof value === "number") return Number.isFinite(value) ? value : new BadCell("数字无效");
  if (typeof value === "boolean") return value;
  if (typeof value === "string") return trimmed(value);
  if (typeof value !== "object") return new BadCell("无法识别的单元格内容");
  const v = value as Record<string, unknown>;
  if (Array.isArray(v.richText)) {
    return trimmed(v.richText.map((r) => (r && typeof (r as { text?: unknown }).text === "string" ? (r as { text: string }).text : "")).join(""));
  }
  if ("error" in v) return new BadCell(`单元格是错误值 ${String(v.error)}，请在 Excel 中改正后再导入`);
  if ("formula" in v || "sharedFormula" in v) {
    if (v.result === undefined || v.result === null) {
      return new BadCell("公式没有计算结果，请在 Excel 中打开并保存（或把公式粘贴为数值）后再导入");
    }
    return readCell(v.result);
  }
  if ("text" in v) return readCell(v.text); // a hyperlink (an e-mail, a site): its text
  return new BadCell("单元格内容无法识别为文字或数字，请改成普通文字后再导入");
}
