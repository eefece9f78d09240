// npm run bench [-- ingest|lookup|qa]: speed figures as ratios against a baseline run in the same process,
// so they survive a noisy machine. Targets come from the issues that asked for them.
import { benchIngest, INGEST_CONCURRENCY, INGEST_MESSAGES, INGEST_PARTNERS } from "./ingest.ts";
import { benchLookup, LOOKUP_PARTNERS, LOOKUP_QUERIES } from "./lookup.ts";
import { benchQa } from "./qa.ts";

const only = new Set(process.argv.slice(2));
const want = (name: string) => only.size === 0 || only.has(name);
const verdict = (ok: boolean) => (ok ? "PASS" : "MISS");
const f = (n: number, d = 1) => n.toFixed(d);
let failed = false;

if (want("ingest")) {
  const r = await benchIngest();
  const ok = r.ratio >= 0.2 && r.stored === INGEST_MESSAGES;
  failed ||= !ok;
  console.log(`ingest  ${INGEST_MESSAGES} messages from ${INGEST_PARTNERS} partners, SQLite, ${INGEST_CONCURRENCY} in flight`);
  console.log(`  pipeline            ${f(r.pipelineRate, 0)} msg/s (${r.stored} stored; ${r.replies} replies sent and logged, ${r.handoffs} handed to staff)`);
  console.log(`  raw autocommit      ${f(r.rawRate, 0)} rows/s (baseline)`);
  console.log(`  ratio               ${f(r.ratio, 2)}x   target >= 0.20x   ${verdict(ok)}`);
}

if (want("lookup")) {
  const r = await benchLookup();
  const ok = r.p99 < 20;
  failed ||= !ok;
  console.log(`lookup  /client over ${LOOKUP_PARTNERS} partners, ${LOOKUP_QUERIES} queries (code, name part, initials, pinyin, full name)`);
  console.log(`  import ${LOOKUP_PARTNERS} partners   ${f(r.importSeconds)} s`);
  console.log(`  /client end to end  p50 ${f(r.p50, 2)} ms   p99 ${f(r.p99, 2)} ms   target p99 < 20 ms   ${verdict(ok)}`);
  console.log(`  raw LIKE scan       p50 ${f(r.rawP50, 2)} ms   p99 ${f(r.rawP99, 2)} ms (baseline)`);
  console.log(`  ratio p99           ${f(r.p99 / r.rawP99, 2)}x of the bare scan`);
}

if (want("qa")) {
  const r = benchQa();
  if (!r) console.log("qa      skipped: ../shared/qa-dev is not beside the project");
  else {
    const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
    const ok = r.ours.top1 >= 0.92 && r.ours.abstentionPrecision >= 0.85 && r.ours.abstentionRecall >= 0.7 && r.latency[2].p99 < 5;
    failed ||= !ok;
    console.log(`qa      ${r.questions} partner messages over ${r.entries} entries (../shared/qa-dev), no LLM, min confidence ${r.threshold}`);
    console.log(`  ours                top-1 ${pct(r.ours.top1)}   abstention precision ${pct(r.ours.abstentionPrecision)} recall ${pct(r.ours.abstentionRecall)}`);
    console.log(`  ours, never abstain top-1 ${pct(r.ranked.top1)}`);
    console.log(`  MiniSearch baseline top-1 ${pct(r.baseline.top1)}   abstention precision ${pct(r.baseline.abstentionPrecision)} recall ${pct(r.baseline.abstentionRecall)}`);
    for (const l of r.latency) console.log(`  latency ${String(l.n).padStart(6)} entries  p50 ${f(l.p50, 3)} ms  p99 ${f(l.p99, 3)} ms`);
    console.log(`  targets: top-1 >= 92%, abstention precision >= 85% and recall >= 70%, p99 < 5 ms at 10,000   ${verdict(ok)}`);
  }
}

process.exitCode = failed ? 1 : 0;
