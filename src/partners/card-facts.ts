// What a client card shows, read in one round of plain SQL: the file and its referrer, its people, the
// last contact, and where the relationship stands (scores, open complaints, follow-ups, proposals,
// referrals, the care plan). /client is the command staff run most; through Prisma's query compiler these
// thirteen reads cost several milliseconds of CPU, as SQL well under one (`npm run bench -- lookup`).
// Columns come back typed as declared (dates as Date, on SQLite and PostgreSQL alike); counts are
// converted here.
import type { Db } from "../db/client.ts";

export interface CardFacts {
  partner: {
    id: number;
    code: string;
    name: string;
    city: string;
    region: string | null;
    tier: string;
    isKeyAccount: boolean;
    relationship: string | null;
    ownerName: string | null;
    industry: string | null;
    size: string | null;
    creditLimit: number | null;
    partnerSince: Date | null;
    contactEveryDays: number | null;
    address: string | null;
    notes: string | null;
    referredById: number | null;
    referrerName: string | null;
    referrerCode: string | null;
    /** The 负责人 named in the file is registered as staff. */
    ownerRegistered: boolean;
    openQuestions: number;
    openProposals: number;
  };
  contacts: { name: string; title: string | null; phone: string | null; email: string | null; birthday: string | null }[];
  lastContact: Date | null;
  /** The partner's answers to the latest polls, newest poll first (by when it was sent), enough for the last two. */
  scores: { campaignId: number; score: number; answeredAt: Date }[];
  complaints: { id: number; respondedAt: Date | null; respondBy: Date; resolveBy: Date }[];
  followUpsDue: (Date | null)[];
  referred: { name: string; code: string; tier: string }[];
  plan: { goal: string | null; nextSteps: string | null } | null;
}

type Counted = { ownerRegistered: bigint | number; openQuestions: bigint | number; openProposals: bigint | number };

/** Null when there is no such partner. */
export async function cardFacts(db: Db, partnerId: number): Promise<CardFacts | null> {
  const [partners, contacts, last, scores, complaints, followUps, referred, plans] = await Promise.all([
    db.$queryRaw<(Omit<CardFacts["partner"], keyof Counted> & Counted)[]>`
      SELECT p."id", p."code", p."name", p."city", p."region", p."tier", p."isKeyAccount", p."relationship", p."ownerName",
        p."industry", p."size", p."creditLimit", p."partnerSince", p."contactEveryDays", p."address", p."notes", p."referredById",
        r."name" AS "referrerName", r."code" AS "referrerCode",
        (SELECT COUNT(*) FROM "Staff" s WHERE s."name" = p."ownerName") AS "ownerRegistered",
        (SELECT COUNT(*) FROM "Question" q WHERE q."partnerId" = p."id" AND q."status" = 'OPEN') AS "openQuestions",
        (SELECT COUNT(*) FROM "Proposal" x WHERE x."partnerId" = p."id" AND x."status" <> 'DONE') AS "openProposals"
      FROM "Partner" p LEFT JOIN "Partner" r ON r."id" = p."referredById"
      WHERE p."id" = ${partnerId}`,
    db.$queryRaw<CardFacts["contacts"]>`
      SELECT "name", "title", "phone", "email", "birthday" FROM "Contact" WHERE "partnerId" = ${partnerId} AND "unidentified" = false ORDER BY "id"`,
    db.$queryRaw<{ createdAt: Date }[]>`
      SELECT "createdAt" FROM "Interaction" WHERE "partnerId" = ${partnerId} AND ("contactId" IS NOT NULL OR "staffId" IS NOT NULL) ORDER BY "createdAt" DESC LIMIT 1`,
    pollScores(db, partnerId),
    db.$queryRaw<CardFacts["complaints"]>`
      SELECT "id", "respondedAt", "respondBy", "resolveBy" FROM "Complaint"
      WHERE "partnerId" = ${partnerId} AND "status" IN ('RECEIVED', 'INVESTIGATING', 'REOPENED') ORDER BY "resolveBy", "id"`,
    db.$queryRaw<{ dueAt: Date | null }[]>`SELECT "dueAt" FROM "FollowUp" WHERE "partnerId" = ${partnerId} AND "status" = 'OPEN' ORDER BY "dueAt"`,
    db.$queryRaw<CardFacts["referred"]>`SELECT "name", "code", "tier" FROM "Partner" WHERE "referredById" = ${partnerId} ORDER BY "id"`,
    db.$queryRaw<{ goal: string | null; nextSteps: string | null }[]>`SELECT "goal", "nextSteps" FROM "CarePlan" WHERE "partnerId" = ${partnerId}`,
  ]);
  const p = partners[0];
  if (!p) return null;
  return {
    partner: { ...p, ownerRegistered: Number(p.ownerRegistered) > 0, openQuestions: Number(p.openQuestions), openProposals: Number(p.openProposals) },
    contacts,
    lastContact: last[0]?.createdAt ?? null,
    scores,
    complaints,
    followUpsDue: followUps.map((f) => f.dueAt),
    referred,
    plan: plans[0] ?? null,
  };
}

/** A partner's answers to the latest polls, newest poll first (by when it was sent): what byPoll reads. */
export function pollScores(db: Db, partnerId: number): Promise<CardFacts["scores"]> {
  return db.$queryRaw<CardFacts["scores"]>`
    SELECT r."campaignId", r."score", r."answeredAt" FROM "PollResponse" r JOIN "Campaign" c ON c."id" = r."campaignId"
    WHERE r."partnerId" = ${partnerId} ORDER BY c."sendAt" DESC, c."id" DESC, r."answeredAt" DESC LIMIT 50`;
}
