// Where the relationship stands, for the client card: satisfaction (latest and its trend), open complaints
// and their deadlines, follow-ups due,
// proposals waiting, referrals made, and for a key partner the care plan's goal and next step.
import type { CardFacts } from "./card-facts.ts";
import { formatDateTime, formatShortDateTime } from "../lib/time-format.ts";
import { TIERS, type Tier } from "./fields.ts";

type Field = { label: string; value: string };

/** A key partner: flagged 重点客户, or of the 战略/重点 tiers (seed 002: a care plan per key partner). */
export const isKeyPartner = (p: { isKeyAccount: boolean; tier: string }) => p.isKeyAccount || p.tier === "STRATEGIC" || p.tier === "KEY";

export function standingFields({ partner: p, scores, complaints, followUpsDue, referred, plan }: CardFacts, timeZone: string, now: Date): Field[] {
  const fields: Field[] = [];
  // By poll: the partner's people answering one poll are one score (their average), compared with the poll
  // before; two people's answers to the same poll are not a trend.
  const [latest, before] = byPoll(scores);
  if (latest) {
    const score = (poll: Poll) => `${formatScore(poll.average)} 分${poll.people > 1 ? `（${poll.people} 人平均` : "（"}`;
    const trend = !before ? "" : latest.average > before.average ? `，上次调查 ${formatScore(before.average)} 分，回升` : latest.average < before.average ? `，上次调查 ${formatScore(before.average)} 分，下降` : "，与上次调查持平";
    fields.push({ label: "满意度", value: `最近 ${score(latest)}${latest.people > 1 ? "，" : ""}${formatDateTime(latest.at, timeZone).slice(0, 10)}）${trend}` });
  }
  if (complaints.length) {
    // Past a deadline it has not met (src/service/complaint-views.ts reads it the same way).
    const late = complaints.filter((c) => (!c.respondedAt && c.respondBy <= now) || c.resolveBy <= now).length;
    const first = complaints[0];
    fields.push({ label: "投诉", value: `${complaints.length} 件未解决${late ? `（${late} 件已逾期）` : ""}，#${first.id} 解决期限 ${formatShortDateTime(first.resolveBy, timeZone)}（/complaint list ${p.code}）` });
  }
  if (followUpsDue.length) {
    const first = followUpsDue.find((d) => d);
    fields.push({ label: "待办回访", value: `${followUpsDue.length} 个${first ? `，最早 ${formatDateTime(first, timeZone).slice(0, 10)} 到期` : ""}（/followup 查看）` });
  }
  if (p.openProposals) fields.push({ label: "客户建议", value: `${p.openProposals} 条待处理（/proposal list）` });
  if (p.referrerName) fields.push({ label: "推荐人", value: `${p.referrerName}（${p.referrerCode}）` });
  if (referred.length) fields.push({ label: "转介绍", value: referred.map((r) => `${r.name}（${r.code}，${TIERS[r.tier as Tier] ?? r.tier}）`).join("；") });
  if (isKeyPartner(p)) {
    fields.push({ label: "关怀计划", value: plan?.goal || plan?.nextSteps ? [plan.goal && `目标：${plan.goal}`, plan.nextSteps && `下一步：${plan.nextSteps}`].filter(Boolean).join("；") : "还没有（/care 客户 目标 内容）" });
  }
  return fields;
}

interface Poll {
  average: number;
  people: number;
  /** Its latest answer. */
  at: Date;
}

/**
 * Answers, newest poll first, as one score per poll (in that order: a late answer to an old poll, or a
 * changed one, does not make it the latest).
 */
export function byPoll(scores: CardFacts["scores"]): Poll[] {
  const polls = new Map<number, { sum: number; people: number; at: Date }>();
  for (const s of scores) {
    const poll = polls.get(s.campaignId);
    if (poll) {
      poll.sum += s.score;
      poll.people++;
      if (s.answeredAt > poll.at) poll.at = s.answeredAt;
    } else polls.set(s.campaignId, { sum: s.score, people: 1, at: s.answeredAt });
  }
  return [...polls.values()].map((p) => ({ average: p.sum / p.people, people: p.people, at: p.at }));
}

/** 4, or 3.5: one decimal when the average needs it. */
export const formatScore = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(1));
