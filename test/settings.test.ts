// The settings with a grammar of their own are read once, when the configuration is: what was checked at
// start is what the hub runs on, and a configuration built by hand gets the same clear errors.
import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../src/config.ts";
import { settingsOf } from "../src/settings.ts";

const DAY = Date.parse("2026-10-01T00:00:00Z");

describe("settings", () => {
  it("are the values the variables mean", () => {
    const s = settingsOf(
      loadConfig({
        HUB_STAFF_CHAT: "slack:C0123, lark:oc_9",
        HUB_QUIET_HOURS: "off",
        HUB_GREETING_TIME: "09:30,除夕=18:00",
        HUB_WORKING_HOURS: "08:30-17:30",
        HUB_WORKING_DAYS: "1-6",
        HUB_HOLIDAYS: "2026-10-01..2026-10-03",
        HUB_EXTRA_WORKDAYS: "2026-10-11",
        HUB_FESTIVALS: "春节,中秋",
        HUB_SATISFACTION_POLL_CRON: "off",
        HUB_WELCOME_MESSAGE: "off",
      }),
    );
    expect(s.staffChats).toEqual([{ platform: "slack", chatId: "C0123" }, { platform: "lark", chatId: "oc_9" }]);
    expect(s.quietHours).toBeNull();
    expect(s).toMatchObject({ sendTime: "09:30", sendTimes: { SPRING_EVE: "18:00" }, satisfactionPollCron: null, welcome: null });
    expect(s.workingHours).toMatchObject({ start: 510, end: 1050, days: new Set([1, 2, 3, 4, 5, 6]) });
    expect([...s.workingHours.holidays!]).toEqual([DAY, DAY + 86_400_000, DAY + 2 * 86_400_000]);
    expect([...s.workingHours.extraWorkdays!]).toEqual([Date.parse("2026-10-11T00:00:00Z")]);
    expect([...s.festivals]).toEqual(["SPRING", "MID_AUTUMN"]);
    expect(settingsOf(loadConfig({})).quietHours).toEqual({ start: 21 * 60, end: 8 * 60 });
  });

  it("are read when the configuration is: a template file edited later changes nothing until a restart", () => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), "tpl-")), "t.json");
    writeFileSync(file, JSON.stringify({ 春节: "{称呼}，新年好！" }));
    const config = loadConfig({ HUB_GREETING_TEMPLATES: file });
    writeFileSync(file, "not JSON any more");
    const s = settingsOf(config);
    expect(s.templates.SPRING).toBe("{称呼}，新年好！");
    expect(settingsOf(config)).toBe(s);
  });

  it("of a configuration not read by loadConfig fail with the same sentences, naming the variable", () => {
    const config = { ...loadConfig({}), HUB_QUIET_HOURS: "late", HUB_WORKING_HOURS: "18:00-09:00" };
    expect(() => settingsOf(config)).toThrow(ConfigError);
    try {
      settingsOf(config);
    } catch (err) {
      expect((err as ConfigError).problems).toEqual([
        "HUB_WORKING_HOURS: must end after they start, within one day (09:00-18:00), got 18:00-09:00",
        "HUB_QUIET_HOURS: quiet hours must look like 21:00-08:00 (or off), got late",
      ]);
    }
  });
});
