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

  it("hides the password in a database URL", () => {
    expect(describeDatabaseUrl("postgresql://hub:s3cret@db:5432/hub")).toBe("postgresql://hub:***@db:5432/hub");
  });
});
