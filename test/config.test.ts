import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../src/config.ts";
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

  it("treats an empty variable as unset, as .env files write them", () => {
    expect(loadConfig({ DATABASE_URL: "", HUB_TIMEZONE: "" }).HUB_TIMEZONE).toBe("Asia/Shanghai");
  });
});
