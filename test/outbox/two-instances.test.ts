// Two hub instances on one PostgreSQL, both running their outbox worker over the same deliveries:
// each delivery is claimed by one of them and sent once.
import { afterAll, describe, expect, it } from "vitest";
import { enqueue } from "../../src/outbox/enqueue.ts";
import { postgresAvailable, postgresSkipReason, postgresUrl } from "../helpers/databases.ts";
import { startTestHub, type TestHub } from "../helpers/hub.ts";

if (!postgresAvailable()) console.warn(`PostgreSQL outbox tests skipped: ${postgresSkipReason()}`);

describe.skipIf(!postgresAvailable())("outbox on PostgreSQL with two instances", () => {
  const hubs: TestHub[] = [];
  afterAll(async () => {
    for (const h of hubs) await h.close();
  });

  it("never sends the same delivery twice, and sends every one", async () => {
    const url = await postgresUrl();
    const a = await startTestHub({ databaseUrl: url });
    const b = await startTestHub({ databaseUrl: url });
    hubs.push(a, b);
    const rows = Array.from({ length: 600 }, (_, i) => ({
      dedupeKey: `notice:1:${i}`,
      kind: "notice",
      platform: "console" as const,
      externalChatId: `g${i % 40}`,
      message: { type: "text" as const, text: `通知 ${i}` },
      notBefore: a.clock.now(),
    }));
    await enqueue(a.db, rows, a.clock.now());
    // Both plan it again, as two schedulers ticking together would: nothing new.
    expect((await enqueue(b.db, rows, b.clock.now())).size).toBe(0);
    const [sa, sb] = await Promise.all([a.app.worker.drain(), b.app.worker.drain()]);
    const texts = [...a.outputs, ...b.outputs].map((o) => o.rendered);
    expect(texts).toHaveLength(600);
    expect(new Set(texts).size).toBe(600);
    expect(sa.sent + sb.sent).toBe(600);
    // Both took part (the claims interleave), yet none was sent by both.
    expect(Math.min(sa.sent, sb.sent)).toBeGreaterThan(0);
    expect(await a.db.delivery.count({ where: { status: "SENT" } })).toBe(600);
    expect(await a.db.interaction.count({ where: { direction: "OUT", kind: "notice" } })).toBe(600);
  });
});
