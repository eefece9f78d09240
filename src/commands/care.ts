// /care <客户>: a key partner's care plan (客户关怀计划, seed 002): long-term goal, sales target, obstacles and
// next steps. `/care <客户> 目标|销售目标|障碍|下一步 <内容>` writes one of them; the client card shows the goal
// and the next step.
import { isKeyPartner } from "../partners/standing.ts";
import { formatDateTime } from "../lib/time-format.ts";
import { fileRefusal } from "./file-access.ts";
import { partnerArg } from "./partner-arg.ts";
import { text, UsageError, type Command } from "./types.ts";

/** The plan's fields by the words staff type for them, in the order the plan shows them. */
const FIELDS = { 目标: "goal", 销售目标: "salesTarget", 障碍: "obstacles", 下一步: "nextSteps" } as const;
type Label = keyof typeof FIELDS;
const LABELS = Object.keys(FIELDS) as Label[];
const EDIT = new RegExp(`^(\\S+)\\s+(${[...LABELS].sort((a, b) => b.length - a.length).join("|")})\\s+([\\s\\S]+)$`);

export const careCommand: Command = {
  name: "care",
  aliases: ["关怀"],
  usage: "/care <客户>  ·  /care <客户> 目标|销售目标|障碍|下一步 <内容>",
  summary: "重点客户的关怀计划：查看或修改目标、销售目标、障碍、下一步",
  staffOnly: true,
  confidential: true,
  async run(ctx) {
    if (!ctx.args) throw new UsageError("请写上客户，例如 /care HZ001");
    const edit = EDIT.exec(ctx.args);
    const keyword = edit ? edit[1] : ctx.args;
    const found = await partnerArg(ctx, keyword, (code) => (edit ? `/care ${code} ${edit[2]} ${edit[3]}` : `/care ${code}`));
    if (found.answer) return found.answer;
    const refused = await fileRefusal(ctx, found.partner);
    if (refused) return [text(refused)];
    const partner = await ctx.db.partner.findUniqueOrThrow({ where: { id: found.partner.id }, select: { id: true, name: true, code: true, tier: true, isKeyAccount: true } });
    const title = `${partner.name}（${partner.code}）`;
    const note = isKeyPartner(partner) ? "" : "\n（这家不是重点客户：关怀计划主要用于战略和重点客户，也可以照常记录。）";
    if (edit) {
      const field = FIELDS[edit[2] as Label];
      const value = edit[3].trim();
      const who = ctx.actor.kind === "staff" ? ctx.actor.name : null;
      await ctx.db.carePlan.upsert({
        where: { partnerId: partner.id },
        create: { partnerId: partner.id, [field]: value, updatedBy: who, updatedAt: ctx.clock.now() },
        update: { [field]: value, updatedBy: who, updatedAt: ctx.clock.now() },
      });
      return [text(`已更新 ${title} 关怀计划的「${edit[2]}」：${value}${note}`)];
    }
    const plan = await ctx.db.carePlan.findUnique({ where: { partnerId: partner.id } });
    if (!plan) return [text(`${title} 还没有关怀计划。用 /care ${partner.code} 目标 内容 开始写。${note}`)];
    return [{
      type: "card",
      title: `关怀计划 · ${title}`,
      fields: [
        ...LABELS.map((label) => ({ label, value: plan[FIELDS[label]] ?? "（未填）" })),
        { label: "更新", value: `${plan.updatedBy ?? "—"} ${formatDateTime(plan.updatedAt, ctx.timeZone)}` },
      ],
    }];
  },
};
