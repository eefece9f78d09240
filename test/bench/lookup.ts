// Lookup: /client latency over 50,000 imported partners, through the whole pipeline as a staff member
// types it, beside the bare SQL scan it rests on (raw better-sqlite3, same file, same process).
import Database from "better-sqlite3";
import { pinyin } from "pinyin-pro";
import { createConsoleAdapter } from "../../adapters/console/index.ts";
import { loadConfig } from "../../src/config.ts";
import { createLogger } from "../../src/lib/logger.ts";
import { createApp } from "../../src/main.ts";
import { searchTerm } from "../../src/partners/search-key.ts";
import { upsertPartners } from "../../src/partners/store.ts";
import { addStaff } from "../../src/staff/store.ts";
import { fakePartners, rng } from "./fixtures.ts";
import { sqliteUrl } from "./temp.ts";

export const LOOKUP_PARTNERS = 50_000;
export const LOOKUP_QUERIES = 2_000;

export function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

export async function benchLookup() {
  const url = sqliteUrl();
  const adapter = createConsoleAdapter({ output: () => {} });
  const app = await createApp({ config: loadConfig({ DATABASE_URL: url }), logger: createLogger("silent"), adapters: [adapter] });
  const records = fakePartners(LOOKUP_PARTNERS, 7);
  const t0 = performance.now();
  await upsertPartners(app.db, records);
  const importSeconds = (performance.now() - t0) / 1000;
  await addStaff(app.db, "周敏", "AGENT", ["console:zhou"]);

  // What staff type: a code, part of a name, pinyin initials, full pinyin, a city.
  const r = rng(99);
  const queries = Array.from({ length: LOOKUP_QUERIES }, (_, i) => {
    const p = records[Math.floor(r() * records.length)];
    switch (i % 5) {
      case 0: return p.code;
      case 1: return p.name.slice(2, 6);
      case 2: return pinyin(p.name.slice(0, 4), { pattern: "first", toneType: "none", type: "array" }).join("");
      case 3: return pinyin(p.city, { toneType: "none", type: "array" }).join("");
      default: return p.name;
    }
  });
  const times: number[] = [];
  for (const q of queries) {
    const t = performance.now();
    await adapter.say("zhou", `/client ${q}`);
    times.push(performance.now() - t);
  }
  await app.close();

  const raw = new Database(url.slice("file:".length), { readonly: true });
  const scan = raw.prepare(`SELECT id, code, name, city, tier FROM Partner WHERE searchKey LIKE ? LIMIT 51`);
  const rawTimes: number[] = [];
  for (const q of queries) {
    const t = performance.now();
    scan.all(`%${searchTerm(q)}%`);
    rawTimes.push(performance.now() - t);
  }
  raw.close();
  times.sort((a, b) => a - b);
  rawTimes.sort((a, b) => a - b);
  return {
    importSeconds,
    p50: percentile(times, 50),
    p99: percentile(times, 99),
    rawP50: percentile(rawTimes, 50),
    rawP99: percentile(rawTimes, 99),
  };
}
