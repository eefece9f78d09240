// Who sends what: a worker's claims on Delivery rows (a conditional UPDATE, so of two workers on one database
// only one gets a row) and its hold on a platform's lane (an OutboxLane lease: one instance at a time paces a
// platform, since the platforms' limits are per app). Every update names its claim, so a worker that outlived
// its claim changes nothing.
import { randomUUID } from "node:crypto";
import type { Platform } from "../../adapters/contract.ts";
import type { Db } from "../db/client.ts";
import { isUniqueViolation } from "../db/errors.ts";
import type { Clock } from "../lib/clock.ts";
import { PRIORITY } from "./enqueue.ts";

/** A claimed row is another worker's for this long; a send takes seconds at most. */
export const LEASE_MS = 5 * 60_000;
/** A platform held by an instance that stopped renewing is taken over after this. */
export const LANE_LEASE_MS = 60_000;
/** A long, slowly paced lane renews its hold this often. */
export const LANE_RENEW_MS = 10_000;
const CLAIM_BATCH = 200;

export type Claimed = Awaited<ReturnType<Db["delivery"]["findMany"]>>[number];

export class Claims {
  /** When this instance last took or renewed each platform's lane. */
  readonly laneRenewed = new Map<Platform, number>();

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    readonly instance: string,
  ) {}

  /**
   * Takes or renews this instance's hold on a platform's outbox (an OutboxLane row with a lease). False
   * while another live instance holds it; a holder that stops renewing loses it after LANE_LEASE_MS.
   */
  async holdLane(platform: Platform): Promise<boolean> {
    const { db, clock } = this;
    const now = clock.now();
    const leaseUntil = new Date(now.getTime() + LANE_LEASE_MS);
    const { count } = await db.outboxLane.updateMany({
      where: { platform, OR: [{ owner: this.instance }, { leaseUntil: { lt: now } }] },
      data: { owner: this.instance, leaseUntil },
    });
    if (count) {
      this.laneRenewed.set(platform, now.getTime());
      return true;
    }
    try {
      await db.outboxLane.create({ data: { platform, owner: this.instance, leaseUntil } });
      this.laneRenewed.set(platform, now.getTime());
      return true;
    } catch (err) {
      if (isUniqueViolation(err)) return false; // held by another instance
      throw err;
    }
  }

  /**
   * Claims up to a batch of this platform's due rows, the priority lane first; another worker's live claims
   * are left alone. `repliesOnly`: what a wake-up adds to a lane already running.
   */
  async claim(platform: Platform, repliesOnly = false): Promise<Claimed[]> {
    const { db, clock } = this;
    const now = clock.now();
    const claimable = {
      platform,
      ...(repliesOnly ? { priority: { gt: PRIORITY.outreach } } : {}),
      OR: [
        { status: "PENDING", notBefore: { lte: now } },
        { status: "SENDING", leaseUntil: { lt: now } },
      ],
    };
    // Another worker may take the rows we picked between our look and our claim: look again.
    for (let tries = 0; tries < 5; tries++) {
      const candidates = await db.delivery.findMany({ where: claimable, orderBy: [{ priority: "desc" }, { notBefore: "asc" }, { id: "asc" }], take: CLAIM_BATCH, select: { id: true, status: true, sendingSince: true } });
      if (!candidates.length) return [];
      // A lapsed claim whose send had begun: its worker died, perhaps after the platform took the message.
      // Recorded in the row, so whoever sends it next looks first. Rows it never started are simply sent.
      for (const c of candidates) {
        if (c.status === "SENDING" && c.sendingSince) {
          await db.delivery.updateMany({ where: { id: c.id, status: "SENDING", leaseUntil: { lt: now }, uncertainSince: null }, data: { uncertainSince: c.sendingSince } });
        }
      }
      const token = `${this.instance}:${randomUUID().slice(0, 8)}`;
      const { count } = await db.delivery.updateMany({
        where: { id: { in: candidates.map((c) => c.id) }, ...claimable },
        data: { status: "SENDING", claimedBy: token, leaseUntil: new Date(now.getTime() + LEASE_MS), attempts: { increment: 1 } },
      });
      if (count) return db.delivery.findMany({ where: { claimedBy: token, status: "SENDING" }, orderBy: [{ priority: "desc" }, { notBefore: "asc" }, { id: "asc" }] });
    }
    return [];
  }

  /** Updates a row only while it is still ours: a worker that outlived its claim changes nothing. */
  update(d: Claimed, data: Parameters<Db["delivery"]["updateMany"]>[0]["data"]) {
    return this.db.delivery.updateMany({ where: { id: d.id, claimedBy: d.claimedBy, status: "SENDING" }, data });
  }

  async release(rows: Claimed[]): Promise<void> {
    // A lane holds rows of several claims (the first batch, then replies taken in as they came).
    for (const claim of new Set(rows.map((r) => r.claimedBy))) {
      const mine = rows.filter((r) => r.claimedBy === claim);
      await this.db.delivery.updateMany({
        where: { id: { in: mine.map((r) => r.id) }, claimedBy: claim, status: "SENDING" },
        data: { status: "PENDING", leaseUntil: null, attempts: { decrement: 1 } },
      });
    }
  }

  /** Hands this instance's lanes over at once (a stop) rather than after their lease. */
  async handOver(): Promise<void> {
    await this.db.outboxLane.deleteMany({ where: { owner: this.instance } });
  }
}
