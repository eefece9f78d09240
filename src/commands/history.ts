// /history <客户> [条数]: the partner's interaction timeline, newest first.
import { formatTimeline, timeline } from "../history/timeline.ts";
import { fileRefusal } from "./file-access.ts";
import { partnerArg } from "./partner-arg.ts";
import { text, UsageError, type Command } from "./types.ts";

export const HISTORY_DEFAULT = 10;
export const HISTORY_MAX = 50;

export const historyCommand: Command = {
  name: "history",
  aliases: ["记录", "历史"],
  usage: `/history <客户> [条数，默认 ${HISTORY_DEFAULT}，最多 ${HISTORY_MAX}]`,
  summary: "查看客户的互动记录",
  staffOnly: true,
  confidential: true,
  async run(ctx) {
    const parts = ctx.args.split(/\s+/).filter(Boolean);
    let limit = HISTORY_DEFAULT;
    if (parts.length > 1 && /^\d+$/.test(parts[parts.length - 1])) limit = Number(parts.pop());
    if (parts.length === 0) throw new UsageError("请输入客户，例如 /history HZ001 20");
    if (limit < 1 || limit > HISTORY_MAX) return [text(`条数应在 1 到 ${HISTORY_MAX} 之间。`)];
    const keyword = parts.join(" ");
    const { partner, answer } = await partnerArg(ctx, keyword, (code) => `/history ${code} ${limit}`);
    if (answer) return answer;
    const refused = await fileRefusal(ctx, partner);
    if (refused) return [text(refused)];
    const entries = await timeline(ctx.db, partner.id, limit);
    if (entries.length === 0) return [text(`${partner.name}（${partner.code}）还没有互动记录。`)];
    const head = `${partner.name}（${partner.code}）最近 ${entries.length} 条互动记录（新的在前）：`;
    return [text(`${head}\n${formatTimeline(entries, ctx.timeZone)}`)];
  },
};
