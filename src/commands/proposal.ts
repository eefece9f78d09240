// /proposal: a partner's proposal (建议) — `/proposal <内容>`, or a message starting 建议：… — filed with a
// number for the owner and the staff chats; `/proposal` alone shows how theirs stand. Staff list, answer
// and close them: /proposal list [全部], /proposal reply <编号> <回复>, /proposal done <编号> [结果].
import type { Platform } from "../../adapters/contract.ts";
import { fileProposal, openProposals, proposalsOf } from "../service/proposals.ts";
import { normalizeText } from "../text/normalize.ts";
import { notYours, ownPartnerIds } from "./file-access.ts";
import { text, UsageError, type Command, type CommandContext } from "./types.ts";
import { excerpt } from "../text/excerpt.ts";

/** Shorter than this is not a proposal anyone could act on ("建议：好"). */
const MIN_PROPOSAL_CHARS = 4;

export const proposalCommand: Command = {
  name: "proposal",
  aliases: ["建议", "提案"],
  usage: "/proposal <建议内容>（或直接发「建议：内容」）  ·  /proposal 查看进展  ·  员工：/proposal list [全部] · /proposal reply <编号> <回复> · /proposal done <编号> [结果]",
  summary: "提建议，查看建议的进展；员工查看、回复、处理客户建议",
  staffOnly: false,
  async run(ctx) {
    if (ctx.actor.kind === "staff") return staffRun(ctx);
    const partnerId = ctx.chat.partnerId ?? (ctx.actor.kind === "contact" ? ctx.actor.partnerId : null);
    const said = ctx.args.trim();
    if (!said || /^(查看|进展|状态|查询)$/.test(said)) {
      return [text(partnerId === null ? "您的账号还没有登记为客户的联系人，暂时查不到建议记录。" : await proposalsOf(ctx.db, partnerId))];
    }
    // Staff's verbs typed by a partner: not a proposal, and not theirs to use.
    if (/^(list|reply|done|列表|回复|回覆|完成)(\s|$)/i.test(normalizeText(said))) return [text("抱歉，回复和处理建议是员工的功能。您可以发送 /proposal 查看建议的进展。")];
    if ([...said].length < MIN_PROPOSAL_CHARS) throw new UsageError("请写下具体的建议，例如：建议：门锁的安装视频能不能加上字幕");
    return [text(await fileProposal(ctx.db, ctx.outreach, {
      partnerId, contactId: ctx.actor.kind === "contact" ? ctx.actor.contactId : null, platform: ctx.platform, externalChatId: ctx.chat.externalId,
      threadId: null, eventId: ctx.eventId, text: said, at: ctx.clock.now(),
    }))];
  },
};

async function staffRun(ctx: CommandContext) {
  const [verb = "", id = "", ...rest] = ctx.args.split(/\s+/);
  const more = rest.join(" ").trim();
  switch (verb.toLowerCase()) {
    case "list":
    case "列表": {
      // Other partners' proposals: not where a partner reads along.
      if (ctx.chat.kind === "group" && !ctx.chat.internal && !ctx.native) return [text("客户建议不能在客户群里查看，请私聊我，或在内部员工群里使用。")];
      return [text(await openProposals(ctx.db, /^(全部|all)$/i.test(id), await ownPartnerIds(ctx)))];
    }
    case "reply":
    case "回复": {
      const p = await proposalById(ctx, id);
      if (typeof p === "string") return [text(p)];
      if (!more) throw new UsageError("请写上回复内容，例如 /proposal reply 3 感谢建议，下个月起安装视频会加字幕");
      const delivered = await ctx.send(p.platform as Platform, p.externalChatId, { type: "text", text: `关于您的建议 #${p.id}「${excerpt(p.text)}」：\n${more}` }, p.threadId ?? undefined);
      if (!delivered) return [text(`建议 #${p.id} 的回复没能发出，请稍后再试。`)];
      await ctx.db.proposal.update({ where: { id: p.id }, data: { status: p.status === "DONE" ? "DONE" : "REPLIED", reply: more, repliedBy: ctx.actor.kind === "staff" ? ctx.actor.name : null, repliedAt: ctx.clock.now() } });
      return [text(`已回复建议 #${p.id}，客户在原来的会话里会看到。处理完后：/proposal done ${p.id}`)];
    }
    case "done":
    case "完成": {
      const p = await proposalById(ctx, id);
      if (typeof p === "string") return [text(p)];
      if (p.status === "DONE") return [text(`建议 #${p.id} 已经是已处理。`)];
      // A result given here is the partner's answer too, when they have not had one.
      if (more) await ctx.send(p.platform as Platform, p.externalChatId, { type: "text", text: `您的建议 #${p.id}「${excerpt(p.text)}」已处理：${more}\n谢谢您的支持！` }, p.threadId ?? undefined);
      await ctx.db.proposal.update({ where: { id: p.id }, data: { status: "DONE", doneAt: ctx.clock.now(), ...(more && !p.reply ? { reply: more, repliedBy: ctx.actor.kind === "staff" ? ctx.actor.name : null, repliedAt: ctx.clock.now() } : {}) } });
      return [text(`建议 #${p.id} 已标记为已处理${more ? "，结果已告诉客户" : ""}。`)];
    }
    default:
      throw new UsageError("员工用法：/proposal list [全部]、/proposal reply <编号> <回复>、/proposal done <编号> [结果]");
  }
}

async function proposalById(ctx: CommandContext, raw: string) {
  const m = /^#?(\d{1,9})$/.exec(raw);
  if (!m) throw new UsageError("请写上建议编号，例如 /proposal reply 3 回复内容");
  const p = await ctx.db.proposal.findUnique({ where: { id: Number(m[1]) } });
  if (!p) return `没有编号为 #${m[1]} 的建议，可以用 /proposal list 查看。`;
  return (await notYours(ctx, p.partnerId)) ?? p;
}
