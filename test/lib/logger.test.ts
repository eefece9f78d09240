import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger, describeDatabaseUrl } from "../../src/lib/logger.ts";

describe("logs", () => {
  it("never carry message text, phone numbers, e-mails or secrets", () => {
    const lines: string[] = [];
    const sink = new Writable({ write: (chunk, _enc, done) => (lines.push(String(chunk)), done()) });
    const log = createLogger("info", sink);
    log.info({ contact: { phone: "13800000001", email: "a@b.cn" }, text: "我的手机 13800000001", token: "xoxb-1" }, "seen");
    const out = lines.join("");
    expect(out).toContain('"msg":"seen"');
    for (const secret of ["13800000001", "a@b.cn", "xoxb-1", "我的手机"]) expect(out).not.toContain(secret);
  });

  it("log an error by its kind and code, not the request or values it carries", () => {
    const lines: string[] = [];
    const sink = new Writable({ write: (chunk, _enc, done) => (lines.push(String(chunk)), done()) });
    const log = createLogger("info", sink);
    // What axios hands back when Lark is unreachable: the request config holds the app secret.
    const axiosError = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:9"), {
      name: "AxiosError",
      code: "ECONNREFUSED",
      config: { url: "http://127.0.0.1:9/open-apis/auth/v3/tenant_access_token/internal", data: '{"app_id":"cli_x","app_secret":"SECRET-XYZ"}' },
      request: { _header: "POST /open-apis/auth/v3/tenant_access_token/internal" },
    });
    // PostgreSQL quotes the offending values; a cause chain repeats them.
    const pgError = Object.assign(new Error('duplicate key value violates unique constraint "Contact_phone_key": Key (phone)=(13900001111) already exists.'), {
      code: "23505",
      cause: new Error("value 13900001111 for wang@example.cn"),
    });
    log.error({ err: axiosError, platform: "lark" }, "lark start failed");
    log.warn({ bookkeeping: pgError, appSecret: "SECRET-XYZ", lark: { appSecret: "SECRET-XYZ" } }, "could not record");
    log.error(pgError);
    const out = lines.join("");
    for (const leak of ["SECRET-XYZ", "13900001111", "wang@example.cn", "open-apis"]) expect(out).not.toContain(leak);
    const [first, second, third] = lines.map((l) => JSON.parse(l));
    expect(first.err).toMatchObject({ type: "AxiosError", code: "ECONNREFUSED", message: "connect ECONNREFUSED 127.0.0.1:9" });
    expect(first.err.stack).toMatch(/^at /);
    expect(second.bookkeeping).toMatchObject({ type: "Error", code: "23505", message: "duplicate key value violates unique constraint …: Key (phone)=(…) already exists." });
    expect(third.msg).toBe("duplicate key value violates unique constraint …: Key (phone)=(…) already exists.");
  });

  it("hides the password in a database URL", () => {
    expect(describeDatabaseUrl("postgresql://hub:s3cret@db:5432/hub")).toBe("postgresql://hub:***@db:5432/hub");
  });
});
