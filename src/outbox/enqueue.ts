// Planning puts deliveries in the outbox; the worker sends them. A dedupe key already there is left
// alone, so planning the same day twice, or on two instances at once, plans nothing twice.
import type { OutboundMessage, Platform } from "../../adapters/contract.ts";
import type { Db } from "../db/client.ts";
import { Prisma } from "../db/sql.ts";

export interface DeliveryInput {
  dedupeKey: string;
  kind: string;
  occasion?: string | null;
  campaignId?: number | null;
  platform: Platform;
  externalChatId: string;
  threadId?: string | null;
  chatId?: number | null;
  partnerId?: number | null;
  contactId?: number | null;
  /** Quiet hours apply in this zone; null for staff notices. */
  timeZone?: string | null;
  message: OutboundMessage;
  notBefore: Date;
  /** Not sent by then, not sent at all (a greeting is for its day). */
  expiresAt?: Date | null;
  /** The platform may already have it (a send that got no answer): look before sending. */
  uncertainSince?: Date | null;
  /** The priority lane (replies, staff alerts): sent before outreach, retried sooner. */
  priority?: number;
  /** A reply: the platform message id of the event it answers. */
  inReplyTo?: string | null;
  /** Shown to this sender only (Slack ephemeral). */
  ephemeralTo?: string | null;
  /** Said on a staff member's behalf: their action in the partner's history. */
  staffId?: number | null;
}

/**
 * The lanes of the one outbox: a staff alert goes before what outreach planned, and a reply to someone
 * waiting before both (on WeChat one account sends everything, so the partner is not kept behind the post
 * about their own question).
 */
export const PRIORITY = { outreach: 0, staff: 1, reply: 2 } as const;

/** Rows per INSERT: 25 columns each stays well under SQLite's bound-variable limit. */
const CHUNK = 500;

/** A worker's claim on rows it plans itself: inserted SENDING under it, so no other worker takes them. */
export interface Claim {
  by: string;
  until: Date;
}

/** Inserts the new ones (claimed by `claim`, when given); returns the dedupe keys that were new, with their ids. */
export async function enqueue(db: Db, rows: DeliveryInput[], now: Date, claim?: Claim): Promise<Map<string, number>> {
  const created = new Map<string, number>();
  // A claimed row is also marked as on its way (sendingSince): its worker sends it without writing again, and
  // should that worker die, whoever takes it over looks on the platform before sending (uncertain). Not a
  // private (ephemeral) one: it cannot be looked for, and one that may have been shown is not sent again, so
  // it is marked only as its send begins.
  const [status, attempts, claimedBy, leaseUntil, sendingSince] = claim ? ["SENDING", 1, claim.by, claim.until, now] : ["PENDING", 0, null, null, null];
  for (let i = 0; i < rows.length; i += CHUNK) {
    const values = rows.slice(i, i + CHUNK).map(
      (r) => Prisma.sql`(${r.dedupeKey}, ${r.kind}, ${r.occasion ?? null}, ${r.campaignId ?? null}, ${r.platform}, ${r.externalChatId}, ${r.threadId ?? null}, ${r.chatId ?? null},
        ${r.partnerId ?? null}, ${r.contactId ?? null}, ${r.timeZone ?? null}, ${JSON.stringify(r.message)}, ${r.notBefore}, ${r.expiresAt ?? null}, ${r.uncertainSince ?? null}, ${status}, ${attempts}, ${now},
        ${r.priority ?? PRIORITY.outreach}, ${r.inReplyTo ?? null}, ${r.ephemeralTo ?? null}, ${claimedBy}, ${leaseUntil},
        ${r.ephemeralTo ? null : sendingSince}, ${r.staffId ?? null})`,
    );
    const stored = await db.$queryRaw<{ dedupeKey: string; id: number | bigint }[]>`
      INSERT INTO "Delivery" ("dedupeKey", "kind", "occasion", "campaignId", "platform", "externalChatId", "threadId", "chatId",
        "partnerId", "contactId", "timeZone", "message", "notBefore", "expiresAt", "uncertainSince", "status", "attempts", "createdAt",
        "priority", "inReplyTo", "ephemeralTo", "claimedBy", "leaseUntil", "sendingSince", "staffId")
      VALUES ${Prisma.join(values)}
      ON CONFLICT ("dedupeKey") DO NOTHING
      RETURNING "dedupeKey", "id"`;
    for (const s of stored) created.set(s.dedupeKey, Number(s.id));
  }
  return created;
}

export interface DeliveryReport {
  total: number;
  byStatus: Record<"PENDING" | "SENDING" | "SENT" | "FAILED", number>;
  byPlatform: Record<string, Record<string, number>>;
  failures: { reason: string; count: number }[];
}

/** Sent / failed / pending, per platform, with the reasons for failures. */
export async function deliveryReport(db: Db, where: { campaignId?: number; kind?: string; occasion?: string }): Promise<DeliveryReport> {
  const groups = await db.delivery.groupBy({ by: ["platform", "status"], where, _count: { _all: true } });
  const report: DeliveryReport = { total: 0, byStatus: { PENDING: 0, SENDING: 0, SENT: 0, FAILED: 0 }, byPlatform: {}, failures: [] };
  for (const g of groups) {
    const n = g._count._all;
    report.total += n;
    report.byStatus[g.status as keyof DeliveryReport["byStatus"]] += n;
    (report.byPlatform[g.platform] ??= {})[g.status] = n;
  }
  const failed = await db.delivery.groupBy({ by: ["lastError"], where: { ...where, status: "FAILED" }, _count: { _all: true } });
  report.failures = failed.map((f) => ({ reason: f.lastError ?? "未知原因", count: f._count._all })).sort((a, b) => b.count - a.count);
  return report;
}
