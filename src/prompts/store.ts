// Prompts: questions the hub put to someone in a chat that are answered by a button or by replying a
// number. One table for both kinds: a satisfaction poll (anyone in the chat may answer it, for a week)
// a question's choices (only its asker, until HUB_CHOICE_TIMEOUT_MINUTES), and a complaint's handling rated
// (only the person who complained, for a week). A bare number answers the latest prompt open to that
// person in that chat, never one addressed to someone else.
import type { Db } from "../db/client.ts";

/** A question's choices as buttons and the history name them: q-<promptId> (a poll keeps its own id, sat-<n>). */
export const choicesRef = (promptId: number) => `q-${promptId}`;
export const promptIdOfRef = (ref: string) => (/^q-(\d+)$/.exec(ref) ? Number(ref.slice(2)) : null);
/** A complaint's rating as buttons name it: r-<promptId>. */
export const ratingRef = (promptId: number) => `r-${promptId}`;
export const ratingIdOfRef = (ref: string) => (/^r-(\d+)$/.exec(ref) ? Number(ref.slice(2)) : null);
/** Choices and ratings are stored when offered; a poll's prompt is opened once the outbox sent it. */
export const storedWhenOffered = (ref: string) => promptIdOfRef(ref) !== null || ratingIdOfRef(ref) !== null;

export type PromptKind = "POLL" | "CHOICES" | "RATING" | "PICK";

/** A staff pick list (several partners matched a command's 客户): p-<promptId>; its options' values are what to run. */
export const pickRef = (promptId: number) => `p-${promptId}`;
/** How long a pick list's numbers stay answerable. */
export const PICK_WINDOW_MS = 10 * 60_000;

export interface PickInput {
  platform: string;
  chatId: number;
  externalChatId: string;
  addressee: string;
  /** The command's message: one pick list per command, also when it is run again after a stop. */
  eventId: string;
  options: PromptOption[];
  at: Date;
}

/** The partners a staff command matched, numbered for that person in that chat. */
export async function openPick(db: Db, p: PickInput): Promise<void> {
  // Plain SQL: a pick list follows many a /client, the command staff run most (see src/partners/card-facts.ts).
  const expiresAt = new Date(p.at.getTime() + PICK_WINDOW_MS);
  const [made] = await db.$queryRaw<{ id: number }[]>`
    INSERT INTO "Prompt" ("kind", "ref", "platform", "chatId", "externalChatId", "addressee", "options", "createdAt", "expiresAt", "status", "eventId")
    VALUES ('PICK', '', ${p.platform}, ${p.chatId}, ${p.externalChatId}, ${p.addressee}, ${JSON.stringify(p.options)}, ${p.at}, ${expiresAt}, 'OPEN', ${`pick:${p.eventId}`})
    ON CONFLICT ("platform", "eventId") DO NOTHING
    RETURNING "id"`;
  // Made just now (not again, after a stop): its ref is made from its id.
  if (made) await db.$executeRaw`UPDATE "Prompt" SET "ref" = ${pickRef(Number(made.id))} WHERE "id" = ${made.id}`;
}

export interface PromptOption {
  value: string;
  label: string;
}

/** How long after a poll was sent a bare number in the chat still answers it. */
export const POLL_REPLY_WINDOW_MS = 7 * 86_400_000;

/** Who a prompt is for, as the prompt stores it. */
export const addresseeOf = (platform: string, senderId: string) => `${platform}:${senderId}`;

export const optionsOf = (prompt: { options: string }): PromptOption[] => JSON.parse(prompt.options);

/** A stored prompt, as the routes and the timeout read it. */
export type PromptRow = NonNullable<Awaited<ReturnType<Db["prompt"]["findUnique"]>>>;

/** A poll the chat received (the outbox calls this once the platform took it). */
export async function openPoll(db: Db, p: { ref: string; platform: string; chatId: number; externalChatId: string; options: PromptOption[]; at: Date; openMs?: number }) {
  await db.prompt.create({
    data: {
      kind: "POLL", ref: p.ref, platform: p.platform, chatId: p.chatId, externalChatId: p.externalChatId, options: JSON.stringify(p.options),
      createdAt: p.at, expiresAt: new Date(p.at.getTime() + (p.openMs ?? POLL_REPLY_WINDOW_MS)),
    },
  });
}

export interface ChoicesInput {
  platform: string;
  chatId: number;
  externalChatId: string;
  /** addresseeOf(platform, sender) */
  addressee: string;
  options: PromptOption[];
  question: string;
  askedAt: Date;
  /** The asking message's id: one prompt per question, also when it is answered again after a stop. */
  eventId: string;
  /** Where the picked answer goes: under the question. */
  threadId: string | null;
  partnerId: number | null;
  contactId: number | null;
  at: Date;
  timeoutMs: number;
}

/** The choices offered for a question; the same prompt when the question is answered again after a stop. */
export async function openChoices(db: Db, c: ChoicesInput) {
  const { options, at, timeoutMs, ...rest } = c;
  const prompt = await db.prompt.upsert({
    where: { platform_eventId: { platform: c.platform, eventId: c.eventId } },
    create: { ...rest, kind: "CHOICES", ref: "", options: JSON.stringify(options), createdAt: at, expiresAt: new Date(at.getTime() + timeoutMs) },
    update: {},
  });
  // Its ref names it, as its buttons do (q-<id>): known once the row has its id.
  return prompt.ref ? prompt : db.prompt.update({ where: { id: prompt.id }, data: { ref: choicesRef(prompt.id) } });
}

export interface RatingInput {
  platform: string;
  chatId: number;
  externalChatId: string;
  /** The person who complained (null: anyone at the partner, when staff filed it for them). */
  addressee: string | null;
  complaintId: number;
  /** One rating per resolution: complaint:<id>:<round>. */
  eventId: string;
  partnerId: number | null;
  contactId: number | null;
  at: Date;
}

/** Scores 1-5, as a rating's options. */
export const RATING_OPTIONS: PromptOption[] = ["很不满意", "不满意", "一般", "满意", "非常满意"].map((label, i) => ({ value: String(i + 1), label: `${i + 1} 分 ${label}` }));

/** A complaint's handling put to the person who complained; the same prompt when asked again. */
export async function openRating(db: Db, r: RatingInput) {
  const { at, ...rest } = r;
  const prompt = await db.prompt.upsert({
    where: { platform_eventId: { platform: r.platform, eventId: r.eventId } },
    create: { ...rest, kind: "RATING", ref: "", options: JSON.stringify(RATING_OPTIONS), createdAt: at, expiresAt: new Date(at.getTime() + POLL_REPLY_WINDOW_MS) },
    update: {},
  });
  return prompt.ref ? prompt : db.prompt.update({ where: { id: prompt.id }, data: { ref: ratingRef(prompt.id) } });
}

/**
 * The prompt a bare number from this person in this chat answers, or null: the newer of their latest prompt
 * (choices or a rating) while still open, and the latest poll open to everyone. Only their latest: a number
 * after they picked from a list (or it went to staff) never reaches an older list or rating they moved on
 * from (`打分 4` still rates: openRatingFor). A rating answered leaves their next open rating to answer.
 */
export async function latestPrompt(db: Db, chatId: number, addressee: string, now: Date) {
  const newest = { orderBy: [{ createdAt: "desc" as const }, { id: "desc" as const }] };
  const [latest, poll] = await Promise.all([
    db.prompt.findFirst({ where: { chatId, addressee, kind: { in: ["CHOICES", "RATING", "PICK"] } }, ...newest }),
    db.prompt.findFirst({ where: { chatId, addressee: null, status: "OPEN", expiresAt: { gt: now } }, ...newest }),
  ]);
  const open = latest && latest.status === "OPEN" && latest.expiresAt > now ? latest : latest?.kind === "RATING" ? await openRatingFor(db, chatId, addressee, now) : null;
  return open && (!poll || open.createdAt >= poll.createdAt) ? open : poll;
}

/** Their newest rating still open in this chat (what `打分 4` answers, whatever came since). */
export function openRatingFor(db: Db, chatId: number, addressee: string, now: Date) {
  return db.prompt.findFirst({ where: { chatId, addressee, kind: "RATING", status: "OPEN", expiresAt: { gt: now } }, orderBy: [{ createdAt: "desc" }, { id: "desc" }] });
}
