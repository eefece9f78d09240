// A hub runs for months: answering a message must leave nothing behind. (The outbox's lanes once raced each
// wait against a promise that lived as long as the worker, keeping a reaction per message: ~450 bytes each.)
import v8 from "node:v8";
import vm from "node:vm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startStaffHub } from "../helpers/staff-hub.ts";
import type { TestHub } from "../helpers/hub.ts";

v8.setFlagsFromString("--expose-gc");
const gc = vm.runInNewContext("gc") as () => void;
const heapAfterGc = () => {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
};

let hub: TestHub;
beforeAll(async () => {
  hub = await startStaffHub();
});
afterAll(() => hub.close());

describe("memory over many messages", () => {
  it("keeps nothing per message answered", async () => {
    const answer = async (n: number) => {
      for (let i = 0; i < n; i++) await hub.say("zhou", "/whoami");
      hub.outputs.length = 0;
      return heapAfterGc();
    };
    await answer(1000); // compiled and warm
    const a = await answer(0);
    const b = await answer(1000);
    const c = await answer(1000);
    // A leak grows the heap in both thousands (by 450 KB each before the fix); noise rarely twice.
    expect(Math.min(b - a, c - b)).toBeLessThan(200_000);
  }, 60_000);
});
