// Lookup: /client latency over 50,000 imported partners, through the whole pipeline as a staff member
// types it, beside the bare SQL scan it rests on (raw better-sqlite3, same file, same process).
import Database from "better-sqlite3";
import { pinyin } from "pinyin-pro";
import { createConsoleAdapter } from "../../adapters/console/index.ts";
import { loadConfig } from "../../src/config.ts";
import { createLogger } from "../../src/lib/logger.ts";
import { createApp } from "../../src/main.ts";
import { searchTerm } from "../../src/partners/search-key.ts";
import { findPartners } from "../../src/partners/search.ts";
import { upsertPartners } from "../../src/partners/store.ts";
import { addStaff } from "../../src/staff/store.ts";
import { fakePartners, rng } from "./fixtures.ts";
import { sqliteUrl } from "./temp.ts";

export const LOOKUP_PARTNERS = 50_000;
export const LOOKUP_QUERIES = 2_400;
/** What each query kind is, in the order queries cycle through them. */
export const QUERY_KINDS = ["code", "name part", "initials", "city pinyin", "full name", "contact", "王总", "phone end", "phone", "e-mail", "homophone", "pinyin typo"];
const HOMOPHONES = ["杭洲", "上海申打", "广洲", "成督", "武汗"];
const TYPOS = ["hangzou", "shanghia", "guangzho", "chendu", "wuhna"];

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
  await addStaff(app.db, "周敏", "MANAGER", ["console:zhou"]);

  // What staff type: a code, part of a name, pinyin initials, full pinyin, a city, a whole name; a contact's
  // name, 王总, a phone's last four digits, a whole phone number, an e-mail; a city by its sound, a pinyin typo.
  const r = rng(99);
  const queries = Array.from({ length: LOOKUP_QUERIES }, (_, i) => {
    const n = Math.floor(r() * records.length);
    const p = records[n];
    const c = p.contacts[i % 2];
    switch (i % QUERY_KINDS.length) {
      case 0: return p.code;
      case 1: return p.name.slice(2, 6);
      case 2: return pinyin(p.name.slice(0, 4), { pattern: "first", toneType: "none", type: "array" }).join("");
      case 3: return pinyin(p.city, { toneType: "none", type: "array" }).join("");
      case 4: return p.name;
      case 5: return c.name;
      case 6: return `${c.name.slice(0, 1)}总`;
      case 7: return c.phone!.slice(-4);
      case 8: return c.phone!;
      case 9: return c.email!;
      case 10: return HOMOPHONES[n % HOMOPHONES.length];
      default: return TYPOS[n % TYPOS.length];
    }
  });
  // The index alone (what the scan below is the baseline of), then /client end to end.
  const index = app.hub.partnerIndex;
  await findPartners(index, "warm");
  const indexTimes: number[] = [];
  const byKind = QUERY_KINDS.map(() => [] as number[]);
  const found = { none: 0, one: 0, many: 0 };
  for (const [i, q] of queries.entries()) {
    const t = performance.now();
    found[(await findPartners(index, q)).kind]++;
    indexTimes.push(performance.now() - t);
    byKind[i % QUERY_KINDS.length].push(performance.now() - t);
  }
  const times: number[] = [];
  for (const q of queries) {
    const t = performance.now();
    await adapter.say("zhou", `/client ${q}`);
    times.push(performance.now() - t);
  }
  // The pipeline without a search: what every command costs (storing the event, the audit row, the reply).
  const bare: number[] = [];
  for (let i = 0; i < queries.length; i++) {
    const t = performance.now();
    await adapter.say("zhou", "/whoami");
    bare.push(performance.now() - t);
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
  for (const xs of [times, rawTimes, indexTimes, bare]) xs.sort((a, b) => a - b);
  return {
    importSeconds,
    found,
    indexP50: percentile(indexTimes, 50),
    indexP99: percentile(indexTimes, 99),
    /** The slowest kinds of query, by their p99. */
    slowest: QUERY_KINDS.map((kind, i) => ({ kind, p99: percentile(byKind[i].sort((a, b) => a - b), 99) })).sort((a, b) => b.p99 - a.p99).slice(0, 3),
    bareP99: percentile(bare, 99),
    p50: percentile(times, 50),
    p99: percentile(times, 99),
    rawP50: percentile(rawTimes, 50),
    rawP99: percentile(rawTimes, 99),
  };
}
