// kill -9 in the middle of a burst of Slack events, against hub processes of their own: every event that
// got its 200 is in the database, and after a restart and Slack's retries each is answered exactly once.
import { describe, expect, it } from "vitest";
import { postgresAvailable, postgresSkipReason, postgresUrl, sqliteUrl } from "../helpers/databases.ts";
import { faultRun } from "../procs/inbound-burst.ts";

describe("a hub killed mid-burst", () => {
  it("on SQLite: nothing acknowledged is lost, nothing is answered twice", { timeout: 120_000 }, async () => {
    const r = await faultRun([sqliteUrl()], 300, 100);
    expect(r.acked).toBeGreaterThanOrEqual(100);
    expect(r.acked).toBeLessThan(300); // the kill did land mid-burst
    expect({ lost: r.lost, answeredTwice: r.answeredTwice, unanswered: r.unanswered }).toEqual({ lost: 0, answeredTwice: 0, unanswered: 0 });
  });

  if (!postgresAvailable()) console.warn(`PostgreSQL kill test skipped: ${postgresSkipReason()}`);
  it.skipIf(!postgresAvailable())("on two instances over one PostgreSQL: the same", { timeout: 120_000 }, async () => {
    const url = await postgresUrl();
    const r = await faultRun([url, url], 300, 100);
    expect(r.acked).toBeLessThan(300);
    expect({ lost: r.lost, answeredTwice: r.answeredTwice, unanswered: r.unanswered }).toEqual({ lost: 0, answeredTwice: 0, unanswered: 0 });
  });
});
