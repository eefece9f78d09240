// Satisfaction polls (seed 003: regular surveys): sent to partners' groups as buttons (Slack, Lark) or
// numbered choices (WeChat), one answer per person (a later one replaces it), a reminder to those who
// have not answered, and a mediation follow-up (调解回访) the moment someone scores 2 or less.
import type { OutboundMessage } from "../../adapters/contract.ts";
import type { Db } from "../db/client.ts";
import { resolveAudience } from "./audience.ts";
import { displayName } from "../text/person-name.ts";
import { isUniqueViolation } from "../db/errors.ts";
import { TIER_ORDER, TIERS, type Tier } from "../partners/fields.ts";
import type { Audience, ResolvedAudience } from "./audience.ts";

/** Scores 1..5; the option's number is its score, so "2" on WeChat means what it says. */
export const SCORE_LABELS = ["非常不满意", "不满意", "一般", "满意", "非常满意"];
/** At or below this a partner is unhappy enough for a mediation follow-up. */
export const LOW_SCORE = 2;

export const DEFAULT_POLL_TEXT = "您对我们近期的产品和服务满意吗？请打个分（5 分为非常满意）。想多说几句的话，可以回复「分数，意见」，例如「3，发货有点慢」。";

export const pollIdOf = (campaignId: number) => `sat-${campaignId}`;
export const campaignIdOf = (pollId: string) => (/^sat-(\d+)$/.exec(pollId) ? Number(pollId.slice(4)) : null);

export function pollMessage(campaignId: number, text: string, reminder = false): OutboundMessage {
  return {
    type: "poll",
    pollId: pollIdOf(campaignId),
    question: reminder ? `提醒一下：${text}` : text,
    options: SCORE_LABELS.map((label, i) => ({ value: String(i + 1), label: `${i + 1} 分 ${label}` })),
  };
}

export interface Vote {
  pollId: string;
  value: string;
  comment?: string;
  /** False for a bare number: an earlier answer stays unless they say 改成 (a button always replaces). */
  replaces?: boolean;
  /** contact:<id> or platform:<externalId>. */
  responder: string;
  partnerId: number | null;
  contactId: number | null;
  /** How to address them in the reply. */
  name?: string;
  at: Date;
}

export type VoteOutcome =
  | { kind: "not_a_poll" }
  /** A bare number from someone who answered already: their answer stands. */
  | { kind: "kept"; score: number }
  | {
      kind: "recorded";
      score: number;
      replaced: boolean;
      /** The mediation follow-up a low score opened (created: new now) or updated. */
      followUp: { id: number; assigneeName: string | null; partnerName: string; created: boolean } | null;
    };

/** Stores a vote (replacing the person's earlier one, comment included) and opens a mediation follow-up for a low score. */
export async function recordVote(db: Db, v: Vote): Promise<VoteOutcome> {
  const campaignId = campaignIdOf(v.pollId);
  const score = Number(v.value);
  if (campaignId === null || !Number.isInteger(score) || score < 1 || score > 5) return { kind: "not_a_poll" };
  const campaign = await db.campaign.findUnique({ where: { id: campaignId }, select: { id: true, title: true } });
  if (!campaign) return { kind: "not_a_poll" };
  const key = { campaignId_responder: { campaignId, responder: v.responder } };
  const before = await db.pollResponse.findUnique({ where: key, select: { score: true } });
  // A bare number after an answer may be meant for something else: the answer stands until they say 改成.
  if (before && v.replaces === false && before.score !== score) return { kind: "kept", score: before.score };
  const data = { score, answeredAt: v.at, partnerId: v.partnerId, contactId: v.contactId, comment: v.comment ?? null };
  const response = await db.pollResponse.upsert({ where: key, create: { campaignId, responder: v.responder, ...data }, update: data, select: { id: true } });
  let followUp = null;
  if (score <= LOW_SCORE && v.partnerId !== null) {
    const partner = await db.partner.findUnique({ where: { id: v.partnerId }, select: { name: true, ownerName: true } });
    const reason = `满意度调查「${campaign.title}」${v.name ?? "客户"}打了 ${score} 分${v.comment ? `：${v.comment}` : ""}`;
    const pollResponseId = response.id;
    // Still open from an earlier low score: update what they said. Closed already: this is a new one.
    const findOpen = () => db.followUp.findFirst({ where: { pollResponseId, kind: "MEDIATION", status: "OPEN" } });
    const open = await findOpen();
    const partnerId = v.partnerId;
    // Numbered per person and poll: the first, then one more each time an earlier one was closed. The key
    // makes two low scores at once open one follow-up, not two.
    const create = async () =>
      db.followUp.create({
        data: {
          partnerId, contactId: v.contactId, kind: "MEDIATION", reason, assigneeName: partner?.ownerName ?? null, createdAt: v.at, pollResponseId,
          dedupeKey: `mediation:${campaignId}:${v.responder}:${(await db.followUp.count({ where: { pollResponseId } })) + 1}`,
        },
      });
    let row;
    let created = false;
    if (open) row = await db.followUp.update({ where: { id: open.id }, data: { reason } });
    else {
      try {
        row = await create();
        created = true;
      } catch (err) {
        // The same person's other low score, a moment ago, opened it: update that one.
        const other = isUniqueViolation(err) ? await findOpen() : null;
        if (!other) throw err;
        row = await db.followUp.update({ where: { id: other.id }, data: { reason } });
      }
    }
    followUp = { id: row.id, assigneeName: row.assigneeName, partnerName: partner?.name ?? "", created };
  }
  return { kind: "recorded", score, replaced: before !== null, followUp };
}

/** What the person who voted reads: a call is promised only when someone has been asked to make it. */
export function voteReply(o: Extract<VoteOutcome, { kind: "recorded" }>): string {
  if (o.score <= LOW_SCORE) {
    if (!o.followUp) return `收到您的评分（${o.score} 分），很抱歉让您不满意，我们会认真改进。`;
    return `收到您的评分（${o.score} 分），很抱歉让您不满意。我们已请${o.followUp.assigneeName ?? "客户经理"}尽快联系您，了解情况并跟进处理。`;
  }
  return o.replaced ? `已更新您的评分为 ${o.score} 分，谢谢！` : `收到您的评分（${o.score} 分），谢谢您的反馈！`;
}

export interface PollResults {
  campaignId: number;
  title: string;
  /** Responses per score 1..5. */
  distribution: number[];
  average: number | null;
  responses: number;
  partnersAsked: number;
  partnersAnswered: number;
  byTier: { tier: Tier; asked: number; answered: number; average: number | null }[];
  /** Partners the poll was for who have no chat it could reach: not counted in the rate. */
  unreachable: number;
  comments: string[];
}

export async function pollResults(db: Db, campaignId: number): Promise<PollResults | null> {
  const campaign = await db.campaign.findFirst({ where: { id: campaignId, kind: "poll" } });
  if (!campaign) return null;
  const responses = await db.pollResponse.findMany({ where: { campaignId }, select: { score: true, partnerId: true, contactId: true, comment: true } });
  const asked = await db.delivery.findMany({ where: { campaignId, kind: "poll", status: "SENT" }, select: { partnerId: true }, distinct: ["partnerId"] });
  const askedIds = new Set(asked.map((a) => a.partnerId).filter((id): id is number => id !== null));
  const answeredIds = new Set(responses.map((r) => r.partnerId).filter((id): id is number => id !== null));
  const tiers = new Map(
    (await db.partner.findMany({ where: { id: { in: [...new Set([...askedIds, ...answeredIds])] } }, select: { id: true, tier: true } })).map((p) => [p.id, p.tier as Tier]),
  );
  const avg = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);
  const distribution = [1, 2, 3, 4, 5].map((s) => responses.filter((r) => r.score === s).length);
  const byTier = TIER_ORDER.map((tier) => {
    const inTier = (id: number | null) => id !== null && tiers.get(id) === tier;
    return {
      tier,
      asked: [...askedIds].filter(inTier).length,
      answered: [...answeredIds].filter(inTier).length,
      average: avg(responses.filter((r) => inTier(r.partnerId)).map((r) => r.score)),
    };
  }).filter((t) => t.asked || t.answered);
  return {
    campaignId,
    title: campaign.title,
    distribution,
    average: avg(responses.map((r) => r.score)),
    responses: responses.length,
    partnersAsked: askedIds.size,
    partnersAnswered: [...answeredIds].filter((id) => askedIds.has(id)).length,
    byTier,
    unreachable: (await resolveAudience(db, JSON.parse(campaign.audience) as Audience)).unreachable,
    comments: await namedComments(db, responses),
  };
}

/** "2 分 · 杭州云帆智能科技有限公司（HZ001）张伟：售后响应太慢": each comment with who said it. */
async function namedComments(db: Db, responses: { score: number; partnerId: number | null; contactId: number | null; comment: string | null }[]): Promise<string[]> {
  const said = responses.filter((r) => r.comment);
  const [partners, contacts] = await Promise.all([
    db.partner.findMany({ where: { id: { in: said.flatMap((r) => (r.partnerId === null ? [] : [r.partnerId])) } }, select: { id: true, name: true, code: true } }),
    db.contact.findMany({ where: { id: { in: said.flatMap((r) => (r.contactId === null ? [] : [r.contactId])) } }, select: { id: true, name: true } }),
  ]);
  const partner = new Map(partners.map((p) => [p.id, `${p.name}（${p.code}）`]));
  const contact = new Map(contacts.map((c) => [c.id, displayName(c.name)]));
  return said.map((r) => `${r.score} 分 · ${(r.partnerId !== null && partner.get(r.partnerId)) || "未绑定客户"}${r.contactId !== null ? ` ${contact.get(r.contactId) ?? ""}` : ""}：${r.comment}`);
}

export function formatResults(r: PollResults): string {
  const pct = (a: number, b: number) => (b ? `${Math.round((a / b) * 100)}%` : "—");
  const lines = [
    `满意度调查 #${r.campaignId}「${r.title}」`,
    `回复率：${r.partnersAnswered}/${r.partnersAsked} 家收到调查的客户（${pct(r.partnersAnswered, r.partnersAsked)}），共 ${r.responses} 人作答${r.unreachable ? `；另有 ${r.unreachable} 家没有可发送的群，没有收到，未计入` : ""}`,
    `平均分：${r.average === null ? "暂无" : r.average.toFixed(2)}`,
    "分布：" + r.distribution.map((n, i) => `${i + 1}分 ${n}`).join("  "),
    ...r.byTier.map((t) => `  ${TIERS[t.tier]}客户：回复 ${t.answered}/${t.asked}，平均 ${t.average === null ? "—" : t.average.toFixed(2)}`),
  ];
  if (r.comments.length) lines.push("意见：", ...r.comments.slice(0, 10).map((c) => `  · ${c}`));
  return lines.join("\n");
}

export interface NewPoll {
  title: string;
  text?: string;
  audience: Audience;
  trigger: "manual" | "scheduled" | "training" | "complaint";
  /** Planned polls are created once, whatever the number of instances: poll:2027-Q1. */
  dedupeKey?: string;
  createdBy?: string;
  sendAt: Date;
  remindAfterDays: number | null;
}

/** Creates the campaign, or finds the one already planned under the same key. */
export async function createCampaign(db: Db, kind: "poll" | "notice", c: NewPoll & { text: string }, now: Date) {
  const data = {
    kind, title: c.title, text: c.text, audience: JSON.stringify(c.audience), trigger: c.trigger, dedupeKey: c.dedupeKey ?? null,
    createdBy: c.createdBy ?? null, sendAt: c.sendAt, remindAfterDays: c.remindAfterDays, createdAt: now,
  };
  if (!c.dedupeKey) return { campaign: await db.campaign.create({ data }), created: true };
  const existing = await db.campaign.findUnique({ where: { dedupeKey: c.dedupeKey } });
  if (existing) return { campaign: existing, created: false };
  try {
    return { campaign: await db.campaign.create({ data }), created: true };
  } catch (err) {
    if (!isUniqueViolation(err)) throw err;
    return { campaign: (await db.campaign.findUnique({ where: { dedupeKey: c.dedupeKey } }))!, created: false };
  }
}

/** Who was asked and has not answered: their groups get one reminder. */
export async function unansweredChats(db: Db, campaignId: number, audience: ResolvedAudience) {
  const answered = new Set(
    (await db.pollResponse.findMany({ where: { campaignId }, select: { partnerId: true } })).map((r) => r.partnerId).filter((id) => id !== null),
  );
  const sent = new Set((await db.delivery.findMany({ where: { campaignId, kind: "poll", status: "SENT" }, select: { chatId: true } })).map((d) => d.chatId));
  return audience.chats.filter((c) => sent.has(c.chatId) && !answered.has(c.partnerId));
}
