// Bindings that survive a re-login. WeChat's web protocol hands out new room and contact ids at every
// login (wechaty/puppet-wechat#139, nodeWechat/wechat4u#269), so after each login the rows that name a
// chat or an account by an id the new session no longer has are matched to the session again:
//   accounts by the marker the hub keeps in the contact's remark (PH:<identity row id>; remarks are the
//     account's own and survive a re-login), never by display name: a stranger can call himself anything;
//   groups by topic, and by who is in them when two groups share a topic;
//   direct chats follow their account.
// What has an id the session still holds is left alone, so puppets with stable ids (puppet-service,
// WeCom-backed ones) pass through untouched.
import type { Platform, SessionDirectory } from "../../adapters/contract.ts";
import type { Db } from "../db/client.ts";

const MARKER = /(?:^|\s)PH:(\d+)(?=\s|$)/g;

/** The identity row ids a remark carries markers for. */
export function markersIn(alias: string | undefined): number[] {
  return [...(alias ?? "").matchAll(MARKER)].map((m) => Number(m[1]));
}

/** The remark to set: what the account wrote there (earlier markers removed), then this identity's marker. */
export function remarkWith(alias: string | undefined, identityId: number): string {
  const own = (alias ?? "").replace(MARKER, "").trim();
  return own ? `${own} PH:${identityId}` : `PH:${identityId}`;
}

export interface ReattachResult {
  /** Old id -> new id, for chats and accounts that moved. */
  moved: Record<string, string>;
  rooms: { kept: number; moved: number; dropped: number };
  accounts: { kept: number; moved: number; dropped: number };
  /** Bound groups (a partner's or internal) not found in the session: Chat row ids. */
  missingRooms: number[];
  /** Bound groups whose topic several groups share, with nothing to tell them apart: Chat row ids. */
  ambiguousRooms: number[];
  /** Staff accounts and partners' contacts not found: Identity row ids. */
  missingAccounts: number[];
  /** Outbox rows and open questions redirected to a moved id. */
  deliveries: number;
  questions: number;
}

type IdentityRow = { id: number; externalId: string; contactId: number | null; staffId: number | null; contact: { unidentified: boolean } | null };
type ChatRow = { id: number; platform: string; externalChatId: string; kind: string; title: string | null; partnerId: number | null; internal: boolean };

const linked = (i: IdentityRow) => i.staffId !== null || (i.contact !== null && !i.contact.unidentified);
const bound = (c: ChatRow) => c.partnerId !== null || c.internal;

export async function reattach(db: Db, platform: Platform, dir: SessionDirectory): Promise<ReattachResult> {
  const result: ReattachResult = {
    moved: {},
    rooms: { kept: 0, moved: 0, dropped: 0 },
    accounts: { kept: 0, moved: 0, dropped: 0 },
    missingRooms: [],
    ambiguousRooms: [],
    missingAccounts: [],
    deliveries: 0,
    questions: 0,
  };
  const present = new Set([...dir.contacts.map((c) => c.id), ...dir.rooms.flatMap((r) => r.memberIds)]);
  // identity row id -> the contact carrying its marker; null when two contacts carry the same one
  const marked = new Map<number, string | null>();
  for (const c of dir.contacts) for (const id of markersIn(c.alias)) marked.set(id, marked.has(id) ? null : c.id);

  const identities: IdentityRow[] = await db.identity.findMany({
    where: { platform },
    select: { id: true, externalId: true, contactId: true, staffId: true, contact: { select: { unidentified: true } } },
  });
  const holderOf = new Map(identities.map((i) => [i.externalId, i]));
  /** identity row id -> its id in this session */
  const current = new Map<number, string>();
  const gaveWay = new Set<number>();
  for (const i of identities) {
    if (gaveWay.has(i.id)) continue;
    if (present.has(i.externalId)) {
      current.set(i.id, i.externalId);
      result.accounts.kept++;
      continue;
    }
    const to = marked.get(i.id);
    const holder = to ? holderOf.get(to) : undefined;
    // The new id may already have a row, made for a message that came before this ran: an empty one
    // gives way; one that is someone's account is a conflict for staff to look at.
    if (to && (!holder || (holder.contactId === null && holder.staffId === null))) {
      await db.$transaction([
        ...(holder ? [db.identity.delete({ where: { id: holder.id } })] : []),
        db.identity.update({ where: { id: i.id }, data: { externalId: to } }),
      ]);
      await redirect(db, platform, i.externalId, to, result);
      if (holder && current.delete(holder.id)) result.accounts.kept--;
      if (holder) gaveWay.add(holder.id);
      holderOf.set(to, i);
      current.set(i.id, to);
      result.moved[i.externalId] = to;
      result.accounts.moved++;
    } else if (linked(i)) result.missingAccounts.push(i.id);
    else result.accounts.dropped++;
  }

  const chats: ChatRow[] = await db.chat.findMany({
    where: { platform },
    select: { id: true, platform: true, externalChatId: true, kind: true, title: true, partnerId: true, internal: true },
    orderBy: { id: "asc" },
  });
  const chatAt = new Map(chats.map((c) => [c.externalChatId, c]));
  const roomIds = new Set(dir.rooms.map((r) => r.id));
  // A room is taken once a row holds it, unless that row is an unbound one that can give way.
  const taken = new Set(chats.filter((c) => roomIds.has(c.externalChatId) && bound(c)).map((c) => c.externalChatId));
  const missingGroups = chats.filter((c) => c.kind === "group" && !roomIds.has(c.externalChatId));
  for (const c of chats) {
    if (c.kind === "group" && roomIds.has(c.externalChatId)) {
      result.rooms.kept++;
      const topic = dir.rooms.find((r) => r.id === c.externalChatId)!.topic;
      if (topic && topic !== c.title) await db.chat.update({ where: { id: c.id }, data: { title: topic } });
    } else if (c.kind === "direct") {
      const to = present.has(c.externalChatId) ? null : result.moved[c.externalChatId];
      if (to) await moveChat(db, c, to, chatAt.get(to), result);
    }
  }
  // Bound groups first: they are what partners' messages are filed by.
  missingGroups.sort((a, b) => Number(bound(b)) - Number(bound(a)));
  for (const c of missingGroups) {
    const candidates = dir.rooms.filter((r) => r.topic === c.title && !taken.has(r.id));
    const pick = candidates.length === 1 ? candidates[0] : candidates.length > 1 ? await byMembers(db, c, candidates, identities, current) : null;
    if (pick) {
      taken.add(pick.id);
      await moveChat(db, c, pick.id, chatAt.get(pick.id), result);
      result.rooms.moved++;
    } else if (!bound(c)) result.rooms.dropped++;
    else (candidates.length ? result.ambiguousRooms : result.missingRooms).push(c.id);
  }

  return result;
}

/** The candidate with the most people the hub knows from this group (its speakers, its partner's contacts). */
async function byMembers(
  db: Db,
  chat: ChatRow,
  candidates: SessionDirectory["rooms"],
  identities: IdentityRow[],
  current: Map<number, string>,
): Promise<SessionDirectory["rooms"][number] | null> {
  const spoke = await db.interaction.findMany({ where: { chatId: chat.id, direction: "IN" }, distinct: ["contactId", "staffId"], select: { contactId: true, staffId: true } });
  const contactIds = new Set(spoke.map((s) => s.contactId).filter((x) => x !== null));
  const staffIds = new Set(spoke.map((s) => s.staffId).filter((x) => x !== null));
  if (chat.partnerId !== null) for (const c of await db.contact.findMany({ where: { partnerId: chat.partnerId }, select: { id: true } })) contactIds.add(c.id);
  const known = new Set(
    identities
      .filter((i) => (i.contactId !== null && contactIds.has(i.contactId)) || (i.staffId !== null && staffIds.has(i.staffId)))
      .map((i) => current.get(i.id))
      .filter((x) => x !== undefined),
  );
  const scored = candidates.map((r) => ({ r, n: r.memberIds.filter((m) => known.has(m)).length })).sort((a, b) => b.n - a.n);
  return scored[0].n > 0 && scored[0].n > scored[1].n ? scored[0].r : null;
}

async function moveChat(db: Db, chat: ChatRow, to: string, holder: ChatRow | undefined, result: ReattachResult): Promise<void> {
  if (holder && holder.id !== chat.id) {
    // A row made for the new id before this ran (its first message): its history joins the old row.
    await db.$transaction([
      db.interaction.updateMany({ where: { chatId: holder.id }, data: { chatId: chat.id } }),
      db.delivery.updateMany({ where: { chatId: holder.id }, data: { chatId: chat.id } }),
      db.chat.delete({ where: { id: holder.id } }),
      db.chat.update({ where: { id: chat.id }, data: { externalChatId: to } }),
    ]);
  } else await db.chat.update({ where: { id: chat.id }, data: { externalChatId: to } });
  await redirect(db, chat.platform as Platform, chat.externalChatId, to, result);
  result.moved[chat.externalChatId] = to;
}

/** What is queued for an old id goes to the new one: outbox rows not yet sent, answers to open questions. */
async function redirect(db: Db, platform: Platform, from: string, to: string, result: ReattachResult): Promise<void> {
  const [deliveries, questions] = await db.$transaction([
    db.delivery.updateMany({ where: { platform, externalChatId: from, status: { in: ["PENDING", "SENDING"] } }, data: { externalChatId: to } }),
    db.question.updateMany({ where: { platform, externalChatId: from, status: "OPEN" }, data: { externalChatId: to } }),
  ]);
  result.deliveries += deliveries.count;
  result.questions += questions.count;
}
