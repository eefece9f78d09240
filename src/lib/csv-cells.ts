// CSV files the hub writes are opened in Excel, which runs a cell that starts with = + - @ (or a tab
// or CR before one) as a formula: `=HYPERLINK(...)` in a client's notes would run on staff machines.
// OWASP's advice (https://owasp.org/www-community/attacks/CSV_Injection): prefix such cells with a
// single quote and quote every field. The importers undo exactly that prefix, so export -> import
// gives back what was stored (a phone +8613800000000 stays +8613800000000).

/** A cell that needs the prefix: one that starts, after any quotes, with a formula trigger. Quotes are
 * counted so a value that itself begins with ' + trigger gets one more and still round-trips. */
const NEEDS_PREFIX = /^'*[=+\-@\t\r]/;
const PREFIXED = /^'+[=+\-@\t\r]/;

export function escapeCsvCell(value: string): string {
  return NEEDS_PREFIX.test(value) ? `'${value}` : value;
}

/** The inverse of escapeCsvCell, for cells read from a CSV file. */
export function unescapeCsvCell(value: string): string {
  return PREFIXED.test(value) ? value.slice(1) : value;
}

const field = (v: string | number | null): string => {
  if (v === null) return "";
  if (typeof v === "number") return String(v);
  return `"${escapeCsvCell(v).replace(/"/g, '""')}"`;
};

/** RFC 4180 text (CRLF lines, every text field quoted), with a BOM so Excel opens UTF-8 Chinese intact. */
export function toCsv(headers: string[], rows: (string | number | null)[][]): string {
  const lines = [headers, ...rows].map((r) => r.map(field).join(","));
  return `\uFEFF${lines.join("\r\n")}\r\n`;
}
