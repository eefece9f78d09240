// The one webhook server: whatever a route's handler does, the process keeps answering.
import { afterAll, beforeAll, expect, it } from "vitest";
import type { Adapter } from "../../adapters/contract.ts";
import { startHttpServer, type HubServer } from "../../src/http/server.ts";
import { capturingLogger } from "../helpers/platform-hub.ts";

const logged = capturingLogger();
let server: HubServer;
const url = (path: string) => `http://127.0.0.1:${server.port}${path}`;

/** A route that fails the way a parser fails on a body: with the body's text in the message. */
const failing = (path: string, how: "throws" | "rejects"): Adapter =>
  ({
    platform: "console",
    http: {
      path,
      handle: () => {
        const err = new TypeError('Cannot read properties of null (reading "13900001111")');
        if (how === "throws") throw err;
        return Promise.reject(err);
      },
    },
  }) as unknown as Adapter;

beforeAll(async () => {
  server = await startHttpServer([failing("/throws", "throws"), failing("/rejects", "rejects")], 0, logged.logger, "127.0.0.1");
});
afterAll(() => server.close());

it("answers 500 when a handler throws at once or later, logs one line without the message, and keeps serving", async () => {
  for (const path of ["/throws", "/rejects", "/throws"]) {
    const res = await fetch(url(path), { method: "POST", body: "{}" });
    expect(res.status, path).toBe(500);
  }
  expect((await fetch(url("/healthz"))).status).toBe(200);
  const lines = logged.logs.filter((l) => l.msg === "webhook handler failed");
  expect(lines.map((l) => l.path)).toEqual(["/throws", "/rejects", "/throws"]);
  for (const l of lines) expect(l).toMatchObject({ kind: "TypeError", status: 500 });
  expect(JSON.stringify(lines)).not.toContain("13900001111");
});
