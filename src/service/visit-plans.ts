// 回访 chosen by method (seed 000 第19条) and done in one of five forms (第20条). Each method finds the
// partners it is for and says why, so staff see the reason before they confirm the plan:
//   随机 RANDOM            a random pick, by city, region, code or tier
//   满意度低 LOW_SATISFACTION the latest poll's score is 2 or lower, or lower than the poll before's (by poll: its people's average)
//   有待办 PENDING          complaints not yet resolved, questions still waiting for staff, proposals not handled
//   久未联系 SILENT          no contact for longer than the partner's agreed contact frequency (联系频率)
// A partner first in the files gets a 指导回访 (NEW_PARTNER) by itself, within HUB_NEW_PARTNER_VISIT_DAYS.
import type { Db } from "../db/client.ts";
import type { Clock } from "../lib/clock.ts";
import { wholeDaysBetween } from "../lib/time-format.ts";
import { pollScores } from "../partners/card-facts.ts";
import { TIERS } from "../partners/fields.ts";
import { byPoll, formatScore } from "../partners/standing.ts";
import type { Method } from "../outreach/follow-ups.ts";
import { OPEN_STATUSES } from "./complaints.ts";

export { DEFAULT_FORM, FORMS, METHODS, type Form, type Method } from "../outreach/follow-ups.ts";

export interface Chosen {
  partnerId: number;
  code: string;
  name: string;
  why: string;
}

type Candidate = { id: number; code: string; name: string; city: string; region: string | null; tier: string; contactEveryDays: number | null; createdAt: Date };

/** Partners the method picks, at most `count`, among those matching `filter` (city, region, code or tier). */
export async function choosePartners(db: Db, method: Exclude<Method, "NEW_PARTNER">, filter: string | null, count: number, now: Date, timeZone: string, random: () => number = Math.random, only: { ownerName: string } | null = null): Promise<Chosen[]> {
  const all: Candidate[] = await db.partner.findMany({
    where: { status: "ACTIVE", ...(only ?? {}) },
    orderBy: { id: "asc" },
    select: { id: true, code: true, name: true, city: true, region: true, tier: true, contactEveryDays: true, createdAt: true },
  });
  const tierOf = Object.fromEntries(Object.entries(TIERS).map(([k, v]) => [v, k]));
  const matches = (p: Candidate) => !filter || p.city.includes(filter) || p.region === filter || p.code === filter.toUpperCase() || p.tier === tierOf[filter];
  // A partner with a visit already planned and open is not planned twice.
  const planned = new Set((await db.followUp.findMany({ where: { status: "OPEN", kind: "VISIT" }, select: { partnerId: true } })).map((f) => f.partnerId));
  const pool = all.filter((p) => matches(p) && !planned.has(p.id));
  const chosen: Chosen[] = [];
  const take = (p: Candidate, why: string) => chosen.push({ partnerId: p.id, code: p.code, name: p.name, why });
  switch (method) {
    case "RANDOM": {
      const shuffled = [...pool];
      for (let i = shuffled.length - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        [shuffled[i], shuffled[j]] = [shuffled[j], shuffled[i]];
      }
      for (const p of shuffled.slice(0, count)) take(p, filter ? `随机抽取（${filter}）` : "随机抽取");
      break;
    }
    case "LOW_SATISFACTION":
      for (const p of pool) {
        // By poll, as the card reads it: two people's answers to one poll are not a fall.
        const [latest, before] = byPoll(await pollScores(db, p.id));
        if (latest && latest.average <= 2) take(p, `最近满意度 ${formatScore(latest.average)} 分`);
        else if (latest && before && latest.average < before.average) take(p, `满意度从 ${formatScore(before.average)} 分降到 ${formatScore(latest.average)} 分`);
      }
      break;
    case "PENDING":
      for (const p of pool) {
        const [complaints, questions, proposals] = await Promise.all([
          db.complaint.count({ where: { partnerId: p.id, status: { in: OPEN_STATUSES } } }),
          db.question.count({ where: { partnerId: p.id, status: "OPEN" } }),
          db.proposal.count({ where: { partnerId: p.id, status: "OPEN" } }),
        ]);
        const open = [complaints && `${complaints} 件投诉未解决`, questions && `${questions} 个问题待回答`, proposals && `${proposals} 条建议待处理`].filter(Boolean);
        if (open.length) take(p, open.join("，"));
      }
      break;
    case "SILENT":
      for (const p of pool) {
        if (!p.contactEveryDays) continue;
        const last = await db.interaction.findFirst({ where: { partnerId: p.id, OR: [{ contactId: { not: null } }, { staffId: { not: null } }] }, orderBy: { createdAt: "desc" }, select: { createdAt: true } });
        const days = wholeDaysBetween(last?.createdAt ?? p.createdAt, now, timeZone);
        if (days > p.contactEveryDays) take(p, `${last ? `${days} 天没有联系` : `建档 ${days} 天从未联系`}（约定每 ${p.contactEveryDays} 天）`);
      }
      break;
  }
  return method === "RANDOM" ? chosen : chosen.slice(0, count);
}

export interface NewPartnerVisitDeps {
  db: Db;
  clock: Clock;
  /** HUB_NEW_PARTNER_VISIT_DAYS */
  days: number;
}

/**
 * A 指导回访 for every active partner created in the last `days` days that has none: due `days` after it
 * was filed, owned by its owner. Keyed per partner, so running it again (or on another instance) plans none twice.
 */
export async function planNewPartnerVisits(d: NewPartnerVisitDeps): Promise<number> {
  const now = d.clock.now();
  const since = new Date(now.getTime() - d.days * 86_400_000);
  const fresh = await d.db.partner.findMany({ where: { status: "ACTIVE", createdAt: { gte: since } }, select: { id: true, ownerName: true, createdAt: true } });
  let planned = 0;
  for (const p of fresh) {
    const dedupeKey = `guidance:${p.id}`;
    if (await d.db.followUp.findUnique({ where: { dedupeKey }, select: { id: true } })) continue;
    const created = await d.db.followUp
      .create({ data: { partnerId: p.id, kind: "VISIT", form: "GUIDANCE", method: "NEW_PARTNER", reason: "新客户指导回访：了解开业和经营情况，给出经营建议", assigneeName: p.ownerName, dueAt: new Date(p.createdAt.getTime() + d.days * 86_400_000), dedupeKey, createdAt: now } })
      .then(() => ({ count: 1 }))
      // Planned meanwhile by another instance: the key says it exists.
      .catch((err: { code?: string }) => (err.code === "P2002" ? { count: 0 } : Promise.reject(err)));
    planned += created.count;
  }
  return planned;
}
