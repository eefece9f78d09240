// node --import tsx test/bench/import-memory.ts [rows]: peak memory (max RSS) of importing a client
// file of 50,000 partners (100,000 rows with their contacts would be the row limit) from .xlsx, in a
// process of its own as `partner-hub import partners` runs. The goal is under 300 MB (about 285 MB, 18 s;
// the 100,000-row limit about 325 MB, 29 s).
import { execFileSync } from "node:child_process";
import { mkdtempSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import ExcelJS from "exceljs";
import { fakePartners } from "./fixtures.ts";

const ROOT = path.resolve(import.meta.dirname, "../..");

if (process.argv[2] === "--child") {
  const [, , , file, url] = process.argv;
  const { openDatabase } = await import("../../src/db/client.ts");
  const { importPartners } = await import("../../src/partners/transfer.ts");
  const database = await openDatabase(url);
  const t = performance.now();
  const stats = await importPartners(database.db, file);
  await database.close();
  console.log(JSON.stringify({ ...stats, seconds: (performance.now() - t) / 1000, maxRssMb: process.resourceUsage().maxRSS / 1024 }));
} else {
  const count = Number(process.argv[2] ?? 50_000);
  const dir = mkdtempSync(path.join(os.tmpdir(), "partner-hub-rss-"));
  const file = path.join(dir, "clients.xlsx");
  const book = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useSharedStrings: true });
  const sheet = book.addWorksheet("客户档案");
  sheet.addRow(["客户编号", "客户名称", "城市", "客户等级", "信用额度", "联系频率（天）", "联系人", "电话"]).commit();
  const tiers = { STRATEGIC: "战略", KEY: "重点", GENERAL: "一般", POTENTIAL: "潜在" };
  for (const p of fakePartners(count)) {
    sheet.addRow([p.code, p.name, p.city, tiers[p.tier], p.creditLimit, p.contactEveryDays, p.contacts[0].name, "13800000000"]).commit();
  }
  sheet.commit();
  await book.commit();
  const url = `file:${path.join(dir, "hub.db")}`;
  const out = execFileSync(process.execPath, [...(process.env.BENCH_NODE_FLAGS ? process.env.BENCH_NODE_FLAGS.split(" ") : []), "--import", "tsx", import.meta.filename, "--child", file, url], { cwd: ROOT, encoding: "utf8" });
  const r = JSON.parse(out.trim().split("\n").pop()!);
  console.log(`import  ${count} partners from .xlsx (${(statSync(file).size / 1024 / 1024).toFixed(1)} MB): ${r.seconds.toFixed(1)} s, peak RSS ${r.maxRssMb.toFixed(0)} MB (goal < 300 MB)`);
}
