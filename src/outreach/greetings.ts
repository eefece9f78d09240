// Planning one day's greetings: festivals, birthdays, wedding anniversaries and partnership
// anniversaries (seed 000 第14条: wishes on the day). Each person is greeted in their private chat where
// the hub knows one, else in their company's bound group (one message naming everyone it greets there);
// a wedding anniversary only privately.
// Nothing is sent here: the result is Delivery rows for the outbox, keyed so that planning twice plans
// nothing twice.
import type { Platform } from "../../adapters/contract.ts";
import type { Db } from "../db/client.ts";
import type { DeliveryInput } from "../outbox/enqueue.ts";
import { decodeAnnualDate } from "../partners/annual-date.ts";
import { addDays, annualDateOccursOn, anniversaryYears, festivalsOn, formatLocalDay, instantAt, localDayOf, type FestivalCode, type LocalDay } from "./calendar.ts";
import { fill, groupSalutation, OCCASION_NAMES, salutation, type Occasion } from "./templates.ts";

export interface GreetingSettings {
  /** Festivals that are on. */
  festivals: ReadonlySet<FestivalCode>;
  templates: Record<Occasion, string>;
  /** Local wall-clock time greetings go out, "09:00". */
  sendTime: string;
  /** Occasions with their own time (除夕 in the evening, say). */
  sendTimes?: Partial<Record<Occasion, string>>;
  hubTimeZone: string;
  /** {我司} in templates. */
  company: string;
}

export interface PlannedOccasion {
  occasion: Occasion;
  name: string;
  /** People greeted (a group message counts everyone it names). */
  recipients: number;
  messages: number;
  /** People with no private chat and no bound group to greet them in. */
  unreachable: number;
}

export interface GreetingPlan {
  occasions: PlannedOccasion[];
  deliveries: DeliveryInput[];
}

interface ChatRow {
  id: number;
  platform: string;
  externalChatId: string;
}

interface ContactRow {
  id: number;
  partnerId: number;
  name: string;
  title: string | null;
  birthday: string | null;
  wedding: string | null;
}

/** What a day's planning needs, loaded in a handful of queries (100,000 contacts in about a second). */
async function load(db: Db) {
  const [partners, contacts, chats] = await Promise.all([
    db.partner.findMany({ where: { status: "ACTIVE" }, select: { id: true, name: true, partnerSince: true, timeZone: true } }),
    db.contact.findMany({ where: { unidentified: false }, select: { id: true, partnerId: true, name: true, title: true, birthday: true, wedding: true }, orderBy: { id: "asc" } }),
    db.chat.findMany({
      where: { internal: false, OR: [{ kind: "direct", contactId: { not: null } }, { kind: "group", partnerId: { not: null } }] },
      select: { id: true, platform: true, externalChatId: true, kind: true, partnerId: true, contactId: true },
      orderBy: { id: "asc" },
    }),
  ]);
  const direct = new Map<number, ChatRow>();
  const group = new Map<number, ChatRow>();
  for (const c of chats) {
    if (c.kind === "direct" && c.contactId !== null && !direct.has(c.contactId)) direct.set(c.contactId, c);
    // A partner with several groups is greeted in the first one bound.
    if (c.kind === "group" && c.partnerId !== null && !group.has(c.partnerId)) group.set(c.partnerId, c);
  }
  const byPartner = new Map<number, ContactRow[]>();
  for (const c of contacts) {
    const list = byPartner.get(c.partnerId);
    if (list) list.push(c);
    else byPartner.set(c.partnerId, [c]);
  }
  return { partners, byPartner, direct, group };
}

export async function planGreetings(db: Db, day: LocalDay, s: GreetingSettings): Promise<GreetingPlan> {
  const { partners, byPartner, direct, group } = await load(db);
  const tally = new Map<Occasion, PlannedOccasion>();
  const count = (occasion: Occasion, recipients: number, messages: number, unreachable: number) => {
    const t = tally.get(occasion) ?? { occasion, name: OCCASION_NAMES[occasion], recipients: 0, messages: 0, unreachable: 0 };
    t.recipients += recipients;
    t.messages += messages;
    t.unreachable += unreachable;
    tally.set(occasion, t);
  };
  const deliveries: DeliveryInput[] = [];
  const festivals = festivalsOn(day).filter((f) => s.festivals.has(f));
  const year = day.year;
  // Groups already greeted for today's festivals (an earlier planning of the day). Whoever that greeting
  // named stays greeted there, even if they have written privately since: no second wish in private.
  const greetedGroups = new Map<FestivalCode, Set<number>>(festivals.map((f) => [f, new Set()]));
  if (festivals.length) {
    // A group greeting is the occasion's message without a contact of its own, sent on the day in the
    // partner's zone: within two days of the hub's day whatever the zone, and a festival comes round once a year.
    const around = { gte: instantAt(addDays(day, -2), "00:00", s.hubTimeZone), lt: instantAt(addDays(day, 3), "00:00", s.hubTimeZone) };
    const rows = await db.delivery.findMany({ where: { occasion: { in: festivals }, contactId: null, kind: "greeting", notBefore: around }, select: { chatId: true, occasion: true } });
    for (const r of rows) if (r.chatId !== null) greetedGroups.get(r.occasion as FestivalCode)?.add(r.chatId);
  }

  // The same few instants for everyone in a zone: computed once each.
  const instants = new Map<string, Date>();
  const at = (zone: string, time: string, on = day) => {
    const key = `${zone}|${time}|${on === day ? "" : "next"}`;
    let v = instants.get(key);
    if (!v) instants.set(key, (v = instantAt(on, time, zone)));
    return v;
  };
  const nextDay = addDays(day, 1);
  for (const p of partners) {
    const zone = p.timeZone ?? s.hubTimeZone;
    // A greeting is for its day: not sent by the partner's midnight, it is not sent at all.
    const expiresAt = at(zone, "00:00", nextDay);
    const people = byPartner.get(p.id) ?? [];
    const groupChat = group.get(p.id);
    const add = (dedupeKey: string, occasion: Occasion, chat: ChatRow, text: string, contactId: number | null) =>
      deliveries.push({
        dedupeKey,
        kind: "greeting",
        occasion,
        platform: chat.platform as Platform,
        externalChatId: chat.externalChatId,
        chatId: chat.id,
        partnerId: p.id,
        contactId,
        timeZone: zone,
        message: { type: "text", text },
        notBefore: at(zone, s.sendTimes?.[occasion] ?? s.sendTime),
        expiresAt,
      });
    const vars = (称呼: string) => ({ 称呼, 公司: p.name, 我司: s.company });

    for (const f of festivals) {
      const inGroup: ContactRow[] = [];
      const groupDone = groupChat !== undefined && greetedGroups.get(f)!.has(groupChat.id);
      for (const c of people) {
        const dm = direct.get(c.id);
        if (dm && !groupDone) {
          add(`greet:${c.id}:${f}:${year}`, f, dm, fill(s.templates[f], vars(salutation(c.name, c.title))), c.id);
          count(f, 1, 1, 0);
        } else inGroup.push(c);
      }
      if (groupChat && (inGroup.length || !people.length)) {
        const names = inGroup.map((c) => salutation(c.name, c.title));
        add(`greet:chat:${groupChat.id}:${f}:${year}`, f, groupChat, fill(s.templates[f], vars(groupSalutation(names, p.name))), null);
        count(f, inGroup.length, 1, 0);
      } else count(f, 0, 0, inGroup.length);
    }

    for (const c of people) {
      for (const [occasion, stored] of [["BIRTHDAY", c.birthday], ["WEDDING", c.wedding]] as const) {
        if (!stored || !annualDateOccursOn(decodeAnnualDate(stored), day)) continue;
        // A wedding anniversary is private: never wished in the company's group.
        const chat = direct.get(c.id) ?? (occasion === "BIRTHDAY" ? groupChat : undefined);
        if (!chat) {
          count(occasion, 0, 0, 1);
          continue;
        }
        // Keyed by the day: a lunar date can fall twice in one solar year (冬月十五: 2026-01-03 and 2026-12-23).
        add(`greet:${c.id}:${occasion}:${formatLocalDay(day)}`, occasion, chat, fill(s.templates[occasion], vars(salutation(c.name, c.title))), c.id);
        count(occasion, 1, 1, 0);
      }
    }

    if (p.partnerSince) {
      const years = anniversaryYears(localDayOf(p.partnerSince, "UTC"), day);
      if (years !== null) {
        const first = people.find((c) => direct.has(c.id));
        const chat = groupChat ?? (first && direct.get(first.id));
        if (chat) {
          add(`greet:partner:${p.id}:PARTNERSHIP:${year}`, "PARTNERSHIP", chat, fill(s.templates.PARTNERSHIP, { ...vars(p.name), 年数: String(years) }), null);
          count("PARTNERSHIP", 1, 1, 0);
        } else count("PARTNERSHIP", 0, 0, 1);
      }
    }
  }
  const order: Occasion[] = [...festivals, "BIRTHDAY", "WEDDING", "PARTNERSHIP"];
  return { occasions: order.filter((o) => tally.has(o)).map((o) => tally.get(o)!), deliveries };
}
