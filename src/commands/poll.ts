// /poll: satisfaction polls. /poll send <筛选> [｜问题] drafts one, /poll confirm <编号> sends it,
// /poll results <编号> shows distribution, average, response rate and the breakdown by tier.
import { parseAudience } from "../outreach/audience.ts";
import { formatResults, pollResults } from "../outreach/polls.ts";
import { campaignId, requireManager } from "./notice.ts";
import { findFilterPartners } from "./partner-filter.ts";
import { text, UsageError, type Command } from "./types.ts";

export const pollCommand: Command = {
  name: "poll",
  aliases: ["调查", "满意度"],
  usage: "/poll send <筛选> [｜问题]  ·  /poll confirm <编号>  ·  /poll results <编号>",
  summary: "满意度调查：发送、确认、查看结果",
  staffOnly: true,
  confidential: true,
  async run(ctx) {
    const [verb = "", ...rest] = ctx.args.split(/\s+/);
    const args = ctx.args.slice(verb.length).trim();
    switch (verb) {
      case "send":
      case "发送": {
        const [filter, question] = args.split(/[|｜]/).map((s) => s.trim());
        const found = await findFilterPartners(ctx, parseAudience(filter ?? ""), `/poll ${ctx.args}`);
        if (found.answer) return found.answer;
        const { audience } = found;
        const { campaign } = await ctx.outreach.draft("poll", { title: "满意度调查", text: question || undefined, audience, createdBy: ctx.actor.kind === "staff" ? ctx.actor.name : undefined });
        const p = await ctx.outreach.preview(audience);
        return [text(`满意度调查草稿 #${campaign.id}：${p.description}，${p.partners} 家客户的 ${p.chats.length} 个群。\n确认请发送 /poll confirm ${campaign.id}`)];
      }
      case "confirm":
      case "确认": {
        requireManager(ctx, "发送满意度调查");
        const id = campaignId(rest[0]);
        const r = await ctx.outreach.confirm(id);
        ctx.kick();
        const held = ctx.outreach.heldNote(r.held);
        return [text(`满意度调查 #${id} 已加入发件箱：${r.planned} 个群${held ? `；${held}` : ""}。结果：/poll results ${id}`)];
      }
      case "results":
      case "结果": {
        const r = await pollResults(ctx.db, campaignId(rest[0]));
        return [text(r ? formatResults(r) : `没有编号为 ${rest[0]} 的满意度调查。`)];
      }
      default:
        throw new UsageError();
    }
  },
};
