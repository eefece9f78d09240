// A data-protection request about one partner: `export partner` writes everything held about it, and
// `forget partner` (after its code is typed) deletes it all, leaving nothing of it in any table but one
// audit row that says a partner was forgotten. Other partners are untouched.
import { mkdtempSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.ts";
import { importKbEntries, type TestHub } from "../helpers/hub.ts";
import { startStaffHub } from "../helpers/staff-hub.ts";

let hub: TestHub | null = null;
afterEach(async () => {
  await hub?.close();
  hub = null;
});

const HZ001 = ["HZ001", "杭州云帆智能科技有限公司", "13800000001", "13800000002", "张伟", "李娜", "zhangwei@yunfan.example"];

describe("export partner, then forget partner", () => {
  it("exports everything about it, and forgetting leaves nothing of it but the audit row", async () => {
    hub = await startStaffHub();
    await importKbEntries(hub.db, [{ id: "kb-003", question: "返利什么时候到账？", answer: "下一季度首月20日前。" }]);
    await hub.say("zhou", "/link @zhangwei HZ001 张伟", "hz-group");
    await hub.say("zhangwei", "返利什么时候到账？", "hz-group");
    await hub.say("zhangwei", "展会的展位费公司补贴吗？", "hz-group");
    await hub.say("zhangwei", "建议：样机能不能按季度换新", "hz-group");
    await hub.say("zhou", "/care HZ001 目标 成为华东第一大经销商");
    await hub.say("zhou", "/client HZ001");
    await hub.say("zhou", "/bind SH002", "sh-group");
    await hub.say("wang", "展会的展位费公司补贴吗？", "sh-group");
    await hub.say("wang", "建议：旺季提前开放预订", "sh-group");
    // Staff's own records that name it beside others, a plan waiting for 确认, a company it referred.
    await hub.say("zhou", "/proposal list");
    await hub.say("zhangwei", "/referral 宁波安家电器有限公司 王磊 13900001111 宁波", "hz-group");
    await hub.say("zhou", "/followup plan 随机 杭州");
    // A complaint worked to its rating, one staff filed, and a staff list naming it beside another's.
    await hub.say("zhangwei", "投诉：张伟订的货少了两箱，业务员私下收费", "hz-group");
    await hub.say("zhou", "/complaint note 1 已电话联系张伟 13800000001，内部：别给补发");
    await hub.say("zhou", "/complaint reply 1 非常抱歉，明天补发");
    await hub.say("zhou", "/complaint resolve 1 已补发两箱");
    await hub.say("zhangwei", "2，业务员还在收费", "hz-group");
    await hub.say("zhou", "/complaint show 1");
    await hub.say("zhou", "/complaint add HZ001 电话反映：门锁异响");
    await hub.say("wang", "投诉：发票开错了", "sh-group");
    // Typed as staff type commands (／, capitals, Traditional); another partner's ticket naming this one's.
    await hub.say("zhou", "／Complaint NOTE 1 备忘甲：张伟");
    await hub.say("zhou", "/投訴 备注 1 备忘乙");
    await hub.say("zhou", "/complaint note 3 申达已电话联系，类似投诉 #1 的处理");
    await hub.say("zhou", "/complaint list");
    // Searches for its people, and a pick list that offered it.
    await hub.say("zhou", "/client 13800000001");
    await hub.say("zhou", "/history zhangwei@yunfan.example");
    await hub.say("zhou", "/client 张伟");
    await hub.say("zhou", "/client 杭州云帆");
    await hub.app.worker.drain();
    await hub.app.log.flush();
    const url = hub.databaseUrl;
    await hub.close();
    hub = null;
    const env = { DATABASE_URL: url };

    const file = path.join(mkdtempSync(path.join(os.tmpdir(), "privacy-")), "hz001.json");
    expect((await runCli(["export", "partner", "HZ001", file], { env })).stdout).toContain("已导出 杭州云帆智能科技有限公司 的全部资料");
    const exported = JSON.parse(readFileSync(file, "utf8"));
    expect(exported.partner.contacts.map((c: { name: string }) => c.name)).toContain("张伟");
    expect(exported.interactions.map((i: { text: string }) => i.text)).toContain("返利什么时候到账？");
    expect([exported.questions.length, exported.proposals.length, exported.carePlan.goal]).toEqual([1, 1, "成为华东第一大经销商"]);
    expect(exported.complaints.map((c: { text: string; steps: { action: string }[] }) => [c.text, c.steps.map((st) => st.action)])).toEqual([
      ["张伟订的货少了两箱，业务员私下收费", ["FILED", "NOTE", "REPLIED", "RESOLVED", "RATED", "REOPENED", "NOTE", "NOTE"]],
      ["电话反映：门锁异响", ["FILED"]],
    ]);

    const wrong = await runCli(["forget", "partner", "HZ001"], { env, input: "HZ002\n" });
    expect(wrong.stderr).toContain("输入的编号不一致，没有删除任何资料。");
    const done = await runCli(["forget", "partner", "HZ001"], { env, input: "HZ001\n" });
    expect(done.stdout).toContain("已删除客户 HZ001 的全部资料");

    // Nothing of it anywhere: every row of every table, read raw.
    const raw = new Database(url.replace(/^file:/, ""), { readonly: true });
    try {
      const tables = raw.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '\\_prisma%' ESCAPE '\\' AND name NOT LIKE 'sqlite%'`).all() as { name: string }[];
      const left: string[] = [];
      for (const { name } of tables) {
        for (const row of raw.prepare(`SELECT * FROM "${name}"`).all()) {
          const text = JSON.stringify(row);
          // Another partner's own notes may name the code ("与 HZ001 同一集团", HZ007's): that file is theirs.
          for (const needle of HZ001) if (text.includes(needle) && !(name === "Partner" && needle === "HZ001")) left.push(`${name}: ${needle}: ${text.slice(0, 300)}`);
        }
      }
      // Nor what was said in its complaints, by the partner or by staff about them.
      for (const { name } of tables) {
        for (const row of raw.prepare(`SELECT * FROM "${name}"`).all()) {
          const text = JSON.stringify(row);
          for (const needle of ["业务员私下收费", "别给补发", "明天补发", "补发两箱", "业务员还在收费", "备忘甲", "备忘乙"]) if (text.includes(needle)) left.push(`${name}: ${needle}: ${text.slice(0, 200)}`);
        }
      }
      expect(left).toEqual([]);
      expect(raw.prepare(`SELECT "action", "detail" FROM "AuditLog" WHERE "action" = 'forget_partner'`).all()).toEqual([{ action: "forget_partner", detail: expect.stringMatching(/^partner #\d+ forgotten$/) }]);
      // A staff list that named it beside another partner keeps the other, its name blanked; the company it
      // referred stays, no longer linked.
      const list = raw.prepare(`SELECT "text" FROM "Interaction" WHERE "text" LIKE '待处理的客户建议%'`).all() as { text: string }[];
      expect(list.map((r) => r.text.includes("上海申达电器贸易有限公司") && r.text.includes("（已删除客户）"))).toEqual([true]);
      const complaints = raw.prepare(`SELECT "text" FROM "Interaction" WHERE "text" LIKE '未结案的投诉%'`).all() as { text: string }[];
      expect(complaints.map((r) => r.text.includes("上海申达电器贸易有限公司") && r.text.includes("（已删除客户）"))).toEqual([true]);
      expect(raw.prepare(`SELECT "text" FROM "Complaint"`).all()).toEqual([{ text: "发票开错了" }]);
      // Another partner's ticket keeps its record, though it mentions this one's.
      expect(raw.prepare(`SELECT "text" FROM "Interaction" WHERE "text" LIKE '%申达已电话联系%' ORDER BY "id"`).all()).toEqual([
        { text: "/complaint note 3 申达已电话联系，类似投诉 #1 的处理" },
        { text: "【投诉 #3】进展：申达已电话联系，类似投诉 #1 的处理" },
      ]);
      expect(raw.prepare(`SELECT "referredById", "notes" FROM "Partner" WHERE "code" = 'REF001'`).get()).toEqual({ referredById: null, notes: "由 （已删除客户）（（已删除客户））转介绍" });
      // Another partner's file and question are untouched.
      expect(raw.prepare(`SELECT count(*) AS n FROM "Question" WHERE "text" = '展会的展位费公司补贴吗？'`).get()).toEqual({ n: 1 });
      expect(raw.prepare(`SELECT count(*) AS n FROM "Partner" WHERE "code" = 'SH002'`).get()).toEqual({ n: 1 });
    } finally {
      raw.close();
    }
  });
});
