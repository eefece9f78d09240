import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openDatabase, type Database_ } from "../../src/db/client.ts";
import { ImportError } from "../../src/lib/errors.ts";
import { exportPartners, importPartners } from "../../src/partners/transfer.ts";
import { sqliteUrl } from "../helpers/databases.ts";

const EXAMPLES = path.resolve(import.meta.dirname, "../../examples");
const HEADER = readFileSync(path.join(EXAMPLES, "partners.csv"), "utf8").split("\n")[0];

let database: Database_;
let dir: string;
beforeEach(async () => {
  database = await openDatabase(sqliteUrl());
  dir = mkdtempSync(path.join(os.tmpdir(), "partner-hub-import-"));
});
afterEach(() => database.close());

function csv(name: string, ...rows: string[]): string {
  const file = path.join(dir, name);
  writeFileSync(file, [HEADER, ...rows].join("\n"));
  return file;
}

async function importError(file: string): Promise<ImportError> {
  const err = await importPartners(database.db, file).catch((e) => e);
  expect(err).toBeInstanceOf(ImportError);
  return err;
}

const ROW = (code: string, extra = "") =>
  `${code},测试客户${code},杭州,华东,,,,,重点,合作伙伴,是,14,周敏,2020-01-01,${extra},联系人${code},经理,13800000000,,,`;

describe("importing client files", () => {
  it.each(["partners.csv", "partners.xlsx"])("imports the shipped example %s with every field", async (name) => {
    const stats = await importPartners(database.db, path.join(EXAMPLES, name));
    expect(stats).toMatchObject({ partnersCreated: 7, contactsCreated: 8 });
    const p = await database.db.partner.findUniqueOrThrow({ where: { code: "HZ001" }, include: { contacts: { orderBy: { id: "asc" } } } });
    expect(p).toMatchObject({ name: "杭州云帆智能科技有限公司", tier: "STRATEGIC", relationship: "ALLIANCE", isKeyAccount: true, contactEveryDays: 7, creditLimit: 500000 });
    expect(p.partnerSince?.toISOString().slice(0, 10)).toBe("2019-03-15");
    expect(p.contacts.map((c) => [c.name, c.birthday, c.wedding])).toEqual([
      ["张伟", "lunar:--03-08", "solar:2008-10-01"],
      ["李娜", "solar:1988-06-21", null],
    ]);
  });

  it("upserts by 客户编号: a second import updates, never duplicates", async () => {
    await importPartners(database.db, csv("a.csv", ROW("T1"), ROW("T2")));
    const stats = await importPartners(database.db, csv("b.csv", ROW("T1", "改过的备注"), ROW("T3")));
    expect(stats).toMatchObject({ partnersCreated: 1, partnersUpdated: 1, contactsCreated: 1, contactsUpdated: 1 });
    expect(await database.db.partner.count()).toBe(3);
    expect((await database.db.partner.findUniqueOrThrow({ where: { code: "T1" } })).notes).toBe("改过的备注");
  });

  it("a sparse file updates what it gives and leaves the rest of the file as it was", async () => {
    await importPartners(database.db, path.join(EXAMPLES, "partners.csv"));
    const file = path.join(dir, "sparse.csv");
    writeFileSync(file, "客户编号,客户名称,城市,客户等级,联系人,电话\nHZ001,杭州云帆智能科技有限公司,杭州,重点,张伟,13900000009\n");
    await importPartners(database.db, file);
    const p = await database.db.partner.findUniqueOrThrow({ where: { code: "HZ001" }, include: { contacts: { where: { name: "张伟" } } } });
    expect(p).toMatchObject({ tier: "KEY", region: "华东", isKeyAccount: true, creditLimit: 500000, ownerName: "周敏", notes: "年度返利按季度结算" });
    expect(p.contacts[0]).toMatchObject({ phone: "13900000009", title: "总经理", birthday: "lunar:--03-08" });
  });

  it("keeps text as written: Traditional characters, full-width punctuation, phone formatting", async () => {
    const file = path.join(dir, "asis.csv");
    writeFileSync(file, "客户编号,客户名称,城市,客户等级,备注,联系人,电话\nTW1,台北華碩（集團）,台北,一般,返利，按季度結算！,張偉,0571-88886666\n");
    await importPartners(database.db, file);
    const p = await database.db.partner.findUniqueOrThrow({ where: { code: "TW1" }, include: { contacts: true } });
    expect(p).toMatchObject({ name: "台北華碩（集團）", notes: "返利，按季度結算！" });
    expect(p.contacts[0]).toMatchObject({ name: "張偉", phone: "0571-88886666" });
    expect(p.searchKey).toContain("台北华硕(集团)"); // matching still sees the simplified form
  });

  it("a file with bad rows imports nothing and names every bad row", async () => {
    await importPartners(database.db, csv("ok.csv", ROW("T1")));
    const bad = csv(
      "bad.csv",
      ROW("T2"),
      ROW("T3").replace(",重点,", ",超级,"),
      ROW("T4").replace("2020-01-01", "2020-13-45"),
      ",无编号客户,杭州,,,,,,一般,,,,,,,,,,,,",
      ROW("T5").replace(",13800000000,", ",13800000000,not-an-email"),
      ROW("T 6"),
    );
    const err = await importError(bad);
    expect(err.report()).toContain("未写入任何数据");
    expect(err.problems.map((p) => [p.row, p.column])).toEqual([
      [3, "客户等级"],
      [4, "合作开始日期"],
      [5, "客户编号"],
      [6, "邮箱"],
      [7, "客户编号"],
    ]);
    expect(err.report()).toContain("第 7 行「客户编号」：客户编号「T 6」不能包含空格");
    expect(err.report()).toContain("第 3 行「客户等级」：客户等级「超级」无效");
    expect(await database.db.partner.count()).toBe(1);
    expect(await database.db.partner.findUnique({ where: { code: "T2" } })).toBeNull();
  });

  it("rows of one 客户编号 must agree on the partner columns", async () => {
    const err = await importError(csv("x.csv", ROW("T1"), ROW("T1").replace("杭州,华东", "宁波,华东").replace("联系人T1", "另一人")));
    expect(err.problems).toEqual([{ row: 3, column: "城市", reason: "与第 2 行同一客户编号 T1 的值不一致" }]);
  });

  it("refuses wrong headers and lists what is missing or unknown", async () => {
    const file = path.join(dir, "h.csv");
    writeFileSync(file, "客户编号,客户名字,城市,客户等极\nA1,甲,杭州,重点\n");
    const err = await importError(file);
    expect(err.report()).toContain("表头「客户名字」：无法识别的列名");
    expect(err.report()).toContain("表头「客户名称」：缺少必填列");
    expect(err.report()).toContain("表头「客户等级」：缺少必填列");
  });

  it("reports empty required fields and contact details without a name", async () => {
    const err = await importError(csv("r.csv", "T9,,杭州,,,,,,重点,,,,,,,,经理,,,,"));
    expect(err.problems).toEqual([
      { row: 2, column: "联系人", reason: "填写了联系人信息但缺少联系人姓名" },
      { row: 2, column: "客户名称", reason: "客户 T9 的必填项，不能为空" },
    ]);
  });

  it("reads CSV saved by Excel on Chinese Windows (GB18030) and Traditional headers", async () => {
    const text = `客戶編號,客戶名稱,城市,客戶等級\nG1,廣州測試,廣州,重點\n`;
    const gbk = Buffer.from(
      // "客户编号,客户名称,城市,客户等级\nG1,广州测试,广州,重点\n" in GB18030
      "bfcdbba7b1e0bac52cbfcdbba7c3fbb3c62cb3c7cad02cbfcdbba7b5c8bcb60a47312cb9e3d6ddb2e2cad42cb9e3d6dd2cd6d8b5e30a",
      "hex",
    );
    writeFileSync(path.join(dir, "gbk.csv"), gbk);
    await importPartners(database.db, path.join(dir, "gbk.csv"));
    expect(await database.db.partner.findUnique({ where: { code: "G1" } })).toMatchObject({ name: "广州测试", tier: "KEY" });
    writeFileSync(path.join(dir, "trad.csv"), text);
    await importPartners(database.db, path.join(dir, "trad.csv"));
    expect(await database.db.partner.findUnique({ where: { code: "G1" } })).toMatchObject({ name: "廣州測試", city: "廣州" });
  });

  it("export writes the same shape back: export, re-import elsewhere, same files", async () => {
    await importPartners(database.db, path.join(EXAMPLES, "partners.csv"));
    for (const ext of ["xlsx", "csv"]) {
      const out = path.join(dir, `out.${ext}`);
      expect(await exportPartners(database.db, out)).toEqual({ partners: 7, rows: 8 });
      const other = await openDatabase(sqliteUrl());
      try {
        await importPartners(other.db, out);
        const pick = { orderBy: { code: "asc" as const }, include: { contacts: { orderBy: { name: "asc" as const } } } };
        const strip = (ps: { id: number; createdAt: Date; updatedAt: Date; contacts: { id: number; partnerId: number; createdAt: Date; updatedAt: Date }[] }[]) =>
          ps.map(({ id: _i, createdAt: _c, updatedAt: _u, contacts, ...rest }) => ({
            ...rest,
            contacts: contacts.map(({ id: _ci, partnerId: _p, createdAt: _cc, updatedAt: _cu, ...c }) => c),
          }));
        expect(strip(await other.db.partner.findMany(pick))).toEqual(strip(await database.db.partner.findMany(pick)));
      } finally {
        await other.close();
      }
    }
  }, 20_000); // two databases and two file formats: seconds on a loaded machine


  it("refuses a file type it cannot read", async () => {
    const file = path.join(dir, "x.txt");
    writeFileSync(file, "hello");
    await expect(importPartners(database.db, file)).rejects.toThrow("不支持的文件类型");
  });
});

describe("spreadsheets as they come from real offices", () => {
  it("finds the header under a title row, on the sheet that has it, and reads Excel day numbers", async () => {
    const ExcelJS = (await import("exceljs")).default;
    const book = new ExcelJS.Workbook();
    book.addWorksheet("填写说明").addRow(["请按下表填写客户资料"]);
    const sheet = book.addWorksheet("客户档案");
    sheet.addRow(["2026年渠道客户档案"]);
    sheet.addRow(["客户编号", "客户名称", "城市", "客户等级", "合作开始日期"]);
    sheet.addRow(["X1", "厦门测试", "厦门", "一般", 44270]); // a date cell formatted as 常规
    const file = path.join(dir, "office.xlsx");
    await book.xlsx.writeFile(file);
    await importPartners(database.db, file);
    const p = await database.db.partner.findUniqueOrThrow({ where: { code: "X1" } });
    expect(p.partnerSince?.toISOString().slice(0, 10)).toBe("2021-03-15");
  });

  it("reports data in a column that has no header instead of dropping it", async () => {
    const file = path.join(dir, "unnamed.csv");
    writeFileSync(file, "客户编号,客户名称,城市,客户等级,\nU1,无名列客户,杭州,一般,重要信息\n");
    const err = await importError(file);
    expect(err.problems).toEqual([{ row: 2, column: "第 5 列", reason: "这一列没有列名，但有数据；请补上列名或删掉这一列" }]);
  });

  it("says in Chinese what is wrong with a broken CSV or a missing file", async () => {
    const file = path.join(dir, "broken.csv");
    writeFileSync(file, '客户编号,客户名称,城市,客户等级\nB1,"没闭合的引号,杭州,一般\n');
    await expect(importPartners(database.db, file)).rejects.toThrow(/CSV 文件.*引号没有闭合/);
    await expect(importPartners(database.db, path.join(dir, "nope.csv"))).rejects.toThrow("找不到文件");
  });
});
