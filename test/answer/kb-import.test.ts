import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { importKb } from "../../src/answer/kb-import.ts";
import { exportKb } from "../../src/answer/kb-export.ts";
import { teachPhrasing } from "../../src/answer/kb-teach.ts";
import { openDatabase, type Database_ } from "../../src/db/client.ts";
import { ImportError } from "../../src/lib/errors.ts";
import { sqliteUrl } from "../helpers/databases.ts";

let database: Database_;
let dir: string;
beforeEach(async () => {
  database = await openDatabase(sqliteUrl());
  dir = mkdtempSync(path.join(os.tmpdir(), "kbimp-"));
});
afterEach(() => database.close());
const file = (name: string, content: string) => {
  writeFileSync(path.join(dir, name), content);
  return path.join(dir, name);
};

describe("kb import", () => {
  it("reads JSON, CSV and Markdown, keeping the given ids", async () => {
    await importKb(database.db, file("a.json", JSON.stringify([{ id: "kb-001", question: "运费谁出？", answer: "满1万元包邮。", tags: ["物流"] }])));
    await importKb(database.db, file("b.csv", "编号,问题,答案,标签\nkb-002,可以自提吗？,可以，提前一天预约。,物流、自提\n"));
    await importKb(database.db, file("c.md", "# 培训\n\n## [kb-003] 培训回放在哪看？\n登录学习平台的「直播回放」。\n标签：培训、回放\n\n## 证书有效期多久？\n两年。\n"));
    const rows = await database.db.kbEntry.findMany({ orderBy: { id: "asc" } });
    expect(rows.map((r) => [r.id, r.question, JSON.parse(r.tags)])).toEqual([
      ["kb-001", "运费谁出？", ["物流"]],
      ["kb-002", "可以自提吗？", ["物流", "自提"]],
      ["kb-003", "培训回放在哪看？", ["培训", "回放"]],
      ["md-2", "证书有效期多久？", []],
    ]);
    expect(rows.find((r) => r.id === "kb-003")!.answer).toBe("登录学习平台的「直播回放」。");
  });

  it("imports nothing when an entry is bad, and names each problem", async () => {
    const err = await importKb(
      database.db,
      file("bad.json", JSON.stringify([{ id: "ok-1", question: "q", answer: "a" }, { id: "x", question: "", answer: "a" }, { id: "ok-1", question: "q2", answer: "b" }])),
    ).catch((e) => e);
    expect(err).toBeInstanceOf(ImportError);
    expect(err.report()).toContain("第 2 行「question」：缺少问题");
    expect(err.report()).toContain("编号 ok-1 与第 1 条重复");
    expect(await database.db.kbEntry.count()).toBe(0);
  });

  it("updates an entry imported again under the same id", async () => {
    await importKb(database.db, file("a.json", JSON.stringify([{ id: "kb-1", question: "q", answer: "旧答案" }])));
    const r = await importKb(database.db, file("b.json", JSON.stringify([{ id: "kb-1", question: "q", answer: "新答案" }])));
    expect(r).toEqual({ created: 0, updated: 1, keptPhrasings: 0 });
    expect((await database.db.kbEntry.findUniqueOrThrow({ where: { id: "kb-1" } })).answer).toBe("新答案");
  });

  it("keeps phrasings taught in chat when the file has none, and takes the file's when it has the column", async () => {
    await importKb(database.db, file("a.csv", "编号,问题,答案\nkb-1,保证金什么时候退？,终止合作后30个工作日内退还。\n"));
    await teachPhrasing(database.db, "kb-1", "押金几时能拿回来");
    const again = await importKb(database.db, file("b.csv", "编号,问题,答案\nkb-1,保证金什么时候退？,终止合作后20个工作日内退还。\n"));
    expect(again).toEqual({ created: 0, updated: 1, keptPhrasings: 1 });
    const row = await database.db.kbEntry.findUniqueOrThrow({ where: { id: "kb-1" } });
    expect([row.answer, JSON.parse(row.learned)]).toEqual(["终止合作后20个工作日内退还。", ["押金几时能拿回来"]]);

    await importKb(database.db, file("c.csv", "编号,问题,相似问法,答案\nkb-1,保证金什么时候退？,按金几时退；保证金多久退回,终止合作后20个工作日内退还。\n"));
    expect(JSON.parse((await database.db.kbEntry.findUniqueOrThrow({ where: { id: "kb-1" } })).variants)).toEqual(["按金几时退", "保证金多久退回"]);
  });
});

describe("kb export", () => {
  it("writes every entry with its phrasings, and kb import reads the file back unchanged (JSON and CSV)", async () => {
    await importKb(
      database.db,
      file("a.json", JSON.stringify([
        { id: "kb-1", question: "保证金什么时候退？", answer: "终止合作后，30个工作日内退还。", tags: ["保证金", "财务"], trainingUrl: "https://learn.example.cn/1" },
        { id: "kb-2", question: "运费谁出？", answer: "满1万元包邮。", tags: [], source: "staff" },
      ])),
    );
    await teachPhrasing(database.db, "kb-1", "客人买回去就不合作了，押金呢");
    await teachPhrasing(database.db, "kb-1", "按金几时退");
    const snapshot = async () => (await database.db.kbEntry.findMany({ orderBy: { id: "asc" } })).map(({ createdAt: _c, updatedAt: _u, ...r }) => r);
    const before = await snapshot();
    for (const ext of ["json", "csv"]) {
      const out = path.join(dir, `kb.${ext}`);
      expect(await exportKb(database.db, out)).toBe(2);
      await database.db.kbEntry.deleteMany();
      expect((await importKb(database.db, out)).created).toBe(2);
      expect(await snapshot()).toEqual(before);
    }
    await expect(exportKb(database.db, path.join(dir, "kb.xlsx"))).rejects.toThrow("请使用 .json 或 .csv");
  });
});
