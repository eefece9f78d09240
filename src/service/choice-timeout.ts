// Choices nobody picked: once HUB_CHOICE_TIMEOUT_MINUTES pass, the question goes to staff like a
// hand-off (the choices listed in the staff post), once, and the partner is told who follows up, under
// the question. Run every minute; of several instances, one files each (src/prompts/choices-handoff.ts).
import type { Platform } from "../../adapters/contract.ts";
import type { Db } from "../db/client.ts";
import type { Clock } from "../lib/clock.ts";
import { fileChoices } from "../answer/choices-handoff.ts";
import { laterNotice } from "../answer/handoff.ts";

export interface ChoiceTimeoutDeps {
  db: Db;
  clock: Clock;
  /** Into the outbox, to the staff chats, under a dedupe key. */
  notifyStaff(key: string, text: string, kind?: string): Promise<unknown>;
  /** Privately to the colleague it is given to, wherever they have an account, under a dedupe key. */
  notifyPerson(name: string, key: string, text: string): Promise<unknown>;
  /** The partner's notice, into the chat and thread the question was asked in, under a dedupe key. */
  tellPartner(platform: Platform, externalChatId: string, text: string, threadId: string | undefined, key: string): Promise<unknown>;
}

/** Prompts settled per pass; the rest wait a minute. */
const BATCH = 100;

export async function handOffUnpicked(d: ChoiceTimeoutDeps): Promise<number[]> {
  const now = d.clock.now();
  const due = await d.db.prompt.findMany({
    where: { kind: "CHOICES", OR: [{ status: "OPEN", expiresAt: { lte: now } }, { status: "TIMEOUT", settledAt: null }] },
    orderBy: { expiresAt: "asc" },
    take: BATCH,
  });
  const filed: number[] = [];
  for (const prompt of due) {
    const f = await fileChoices(d.db, prompt, "TIMEOUT", ["OPEN"]);
    if (!f || f.question.via !== "TIMEOUT") continue; // picked, or 都不是, meanwhile
    await d.notifyStaff(`handoff:${f.question.id}`, f.toStaff, "handoff");
    if (f.question.assigneeName) await d.notifyPerson(f.question.assigneeName, `handoff:${f.question.id}`, f.toStaff);
    const notice = laterNotice(f.question.id, f.question.assigneeName, f.question.text);
    await d.tellPartner(prompt.platform as Platform, prompt.externalChatId, notice, prompt.threadId ?? undefined, `choices-timeout:${prompt.id}`);
    await d.db.prompt.update({ where: { id: prompt.id }, data: { settledAt: now } });
    filed.push(f.question.id);
  }
  return filed;
}
