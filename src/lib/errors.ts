// Errors that reach a person carry a sentence for them (Chinese, for partners and staff) and a
// code for the logs. Operator-facing errors (configuration, database) are English.

/**
 * The operator's configuration is wrong: each problem is one English line that starts with the
 * variable it is about (`HUB_WORKING_HOURS: …`). The CLI prints these lines and no stack trace.
 */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

/** Something the user asked for cannot be done; `message` is shown to them as it is. */
export class UserError extends Error {
  constructor(
    message: string,
    readonly code = "user_error",
  ) {
    super(message);
    this.name = "UserError";
  }
}

/** One bad row of an import file. `row` is the spreadsheet row number (the header is row 1). */
export interface RowProblem {
  row: number;
  column?: string;
  reason: string;
}

/** An import that wrote nothing, with every reason why. */
export class ImportError extends Error {
  constructor(
    readonly problems: RowProblem[],
    summary = `导入失败，共 ${problems.length} 处问题，未写入任何数据`,
    /** A closing line of advice, after the problems. */
    readonly hint?: string,
  ) {
    super(summary);
    this.name = "ImportError";
  }

  /** One line per problem, in file order, for people. */
  report(): string {
    const lines = this.problems
      .slice()
      .sort((a, b) => a.row - b.row)
      .map((p) => (p.row > 0 ? `第 ${p.row} 行` : "表头") + (p.column ? `「${p.column}」` : "") + `：${p.reason}`);
    return [this.message + "：", ...lines, ...(this.hint ? [this.hint] : [])].join("\n");
  }
}
