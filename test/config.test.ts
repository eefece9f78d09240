import { describe, expect, it } from "vitest";
import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { ConfigError, festivalsOn, loadConfig, retiredSettings } from "../src/config.ts";
import { DEFAULT_TEMPLATES, fill, loadTemplates } from "../src/outreach/templates.ts";
import { resolveDatabase } from "../src/db/url.ts";

describe("configuration", () => {
  it("defaults to SQLite under data/ with the Shanghai time zone", () => {
    const c = loadConfig({});
    expect(c).toMatchObject({ HUB_TIMEZONE: "Asia/Shanghai", LOG_LEVEL: "info" });
    expect(resolveDatabase(c.DATABASE_URL, "/srv/hub")).toEqual({ dialect: "sqlite", file: "/srv/hub/data/partner-hub.db" });
    expect(resolveDatabase("file:./x/y.db", "/srv/hub")).toEqual({ dialect: "sqlite", file: "/srv/hub/x/y.db" });
    expect(resolveDatabase("postgresql://u:p@h/db")).toEqual({ dialect: "postgres", url: "postgresql://u:p@h/db" });
  });

  it("names every bad variable in one error", () => {
    let err: unknown;
    try {
      loadConfig({ DATABASE_URL: "mysql://x", HUB_TIMEZONE: "Mars/Base", LOG_LEVEL: "loud" });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    const message = (err as Error).message;
    expect(message).toContain("DATABASE_URL: must be empty");
    expect(message).toContain("HUB_TIMEZONE: must be an IANA time zone");
    expect(message).toContain("LOG_LEVEL");
  });

  it("says in plain words what a number setting must be, one line each, whatever is wrong with it", () => {
    const problems = (env: Record<string, string>) => {
      try {
        loadConfig(env);
      } catch (e) {
        return (e as ConfigError).problems;
      }
      return [];
    };
    expect(problems({ PORT: "abc" })).toEqual(["PORT: must be a whole number from 0 to 65535"]);
    expect(problems({ PORT: "70000" })).toEqual(["PORT: must be a whole number from 0 to 65535"]);
    expect(problems({ PORT: "-1.5" })).toEqual(["PORT: must be a whole number from 0 to 65535"]);
    expect(problems({ HUB_ANSWER_MIN_CONFIDENCE: "2" })).toEqual(["HUB_ANSWER_MIN_CONFIDENCE: must be a number from 0 to 1, e.g. 0.65"]);
    expect(problems({ HUB_QUESTION_SLA_HOURS: "0" })).toEqual(["HUB_QUESTION_SLA_HOURS: must be a number above 0, e.g. 2 or 1.5 (working hours)"]);
    expect(problems({ HUB_WECHAT_PER_MINUTE: "Infinity" })).toEqual(["HUB_WECHAT_PER_MINUTE: must be a number above 0 and at most 600, e.g. 20"]);
    expect(problems({ HUB_IMPORT_MAX_ROWS: "lots" })).toEqual(["HUB_IMPORT_MAX_ROWS: must be a whole number, 1 or more"]);
    expect(problems({ LOG_LEVEL: "verbose" })).toEqual(["LOG_LEVEL: must be one of fatal, error, warn, info, debug, trace, silent"]);
    expect(problems({ SLACK_API_URL: "localhost" })).toEqual(["SLACK_API_URL: must be a URL such as http://127.0.0.1:8080/api/"]);
    // Every setting read as a number, at once: none shows the validator's own words.
    const numbers = ["HUB_MAX_MESSAGE_CHARS", "PORT", "HUB_QUESTION_SLA_HOURS", "HUB_ANSWER_MIN_CONFIDENCE", "HUB_IMPORT_MAX_ROWS", "HUB_GIFT_DAYS_AHEAD",
      "HUB_POLL_REMIND_DAYS", "HUB_WECHAT_PER_MINUTE", "OPENAI_TIMEOUT_MS"];
    const all = problems(Object.fromEntries(numbers.map((n) => [n, "-7.5x"])));
    expect(all.map((p) => p.split(":")[0])).toEqual(numbers);
    for (const p of all) expect(p).toMatch(/^[A-Z_]+: must be a (whole )?number\b/);
    expect(all.join("\n")).not.toMatch(/Invalid input|Too big|Too small|expected|received/);
    // A variable this version no longer reads is named, with what replaced it, not silently ignored.
    expect(retiredSettings({ WECHAT_MIN_INTERVAL_MS: "1500" })).toEqual(["WECHAT_MIN_INTERVAL_MS is no longer read: HUB_WECHAT_PER_MINUTE paces WeChat (the outbox spaces sends with jitter)"]);
    expect(retiredSettings({ HUB_WECHAT_PER_MINUTE: "20" })).toEqual([]);
    // Good values still read as numbers.
    expect(loadConfig({ PORT: "8080", HUB_ANSWER_MIN_CONFIDENCE: "0.45", HUB_QUESTION_SLA_HOURS: "1.5" })).toMatchObject({ PORT: 8080, HUB_ANSWER_MIN_CONFIDENCE: 0.45, HUB_QUESTION_SLA_HOURS: 1.5 });
  });

  it("treats an empty variable as unset, as .env files write them", () => {
    expect(loadConfig({ DATABASE_URL: "", HUB_TIMEZONE: "" }).HUB_TIMEZONE).toBe("Asia/Shanghai");
  });

  it("outreach settings: festivals by Chinese name (Traditional too), quiet hours and the poll schedule are checked", () => {
    expect([...festivalsOn(loadConfig({}))]).not.toContain("QIXI");
    expect([...festivalsOn(loadConfig({ HUB_FESTIVALS: "春節,中秋節,七夕" }))]).toEqual(["SPRING", "MID_AUTUMN", "QIXI"]);
    expect(festivalsOn(loadConfig({ HUB_FESTIVALS: "off" })).size).toBe(0);
    expect(() => loadConfig({ HUB_FESTIVALS: "春节,圣诞节", HUB_QUIET_HOURS: "late", HUB_SATISFACTION_POLL_CRON: "every quarter" })).toThrow(
      /HUB_FESTIVALS: unknown festival "圣诞节"[\s\S]*HUB_QUIET_HOURS: quiet hours must look like 21:00-08:00[\s\S]*HUB_SATISFACTION_POLL_CRON: not a cron expression/,
    );
  });

  it("a greeting template file may replace any occasion's text, and is checked at start", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "tpl-"));
    const good = path.join(dir, "good.json");
    writeFileSync(good, JSON.stringify({ 春節: "{称呼}，新年好！{我司}给您拜年了。", 生日: "{称呼}，生日快乐！" }));
    const t = loadTemplates(good);
    expect(fill(t.SPRING, { 称呼: "张总", 我司: "云帆智能" })).toBe("张总，新年好！云帆智能给您拜年了。");
    expect(t.MID_AUTUMN).toBe(DEFAULT_TEMPLATES.MID_AUTUMN);
    const bad = path.join(dir, "bad.json");
    writeFileSync(bad, JSON.stringify({ 春节: "{姓名}，新年好" }));
    expect(() => loadTemplates(bad)).toThrow("unknown template variable {姓名}");
    writeFileSync(bad, JSON.stringify({ 圣诞: "Merry" }));
    expect(() => loadTemplates(bad)).toThrow('HUB_GREETING_TEMPLATES: unknown occasion "圣诞"');
  });

  it("checks working hours and greeting templates when the configuration is read, naming the variable", () => {
    const problems = (env: Record<string, string>) => {
      try {
        loadConfig(env);
        return [];
      } catch (err) {
        expect(err).toBeInstanceOf(ConfigError);
        return (err as ConfigError).problems;
      }
    };
    expect(problems({ HUB_WORKING_HOURS: "18:00-09:00" })).toEqual(["HUB_WORKING_HOURS: must end after they start, within one day (09:00-18:00), got 18:00-09:00"]);
    expect(problems({ HUB_WORKING_DAYS: "5-1" })).toEqual(["HUB_WORKING_DAYS: a range must run forward (1-5, not 5-1), got 5-1"]);
    const missing = path.join(mkdtempSync(path.join(os.tmpdir(), "tpl-")), "none.json");
    expect(problems({ HUB_GREETING_TEMPLATES: missing })).toEqual([`HUB_GREETING_TEMPLATES: cannot read ${missing} as JSON (ENOENT)`]);
    expect(problems({ HUB_WORKING_HOURS: "09:00-18:00", HUB_WORKING_DAYS: "1-6" })).toEqual([]);
  });
});
