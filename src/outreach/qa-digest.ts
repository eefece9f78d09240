// The morning digest's line on yesterday's questions (in the staff chats with the day's follow-ups): how
// many the bot answered directly, offered choices for (and how many were picked), and handed to staff.
import type { Db } from "../db/client.ts";

/** "【昨日问答】…": yesterday's questions answered directly, picked from choices, handed to staff; null when none. */
export async function qaDigestLine(db: Db, from: Date, to: Date): Promise<string | null> {
  const during = { gte: from, lt: to };
  const [answered, offered, picked, handedOff] = await Promise.all([
    db.interaction.count({ where: { direction: "OUT", kind: "answer", createdAt: during } }),
    db.prompt.count({ where: { kind: "CHOICES", createdAt: during } }),
    db.prompt.count({ where: { kind: "CHOICES", pickedAt: during } }),
    db.question.count({ where: { askedAt: during } }),
  ]);
  if (!answered && !offered && !handedOff) return null;
  return `【昨日问答】直接回答 ${answered} 个，给出选项 ${offered} 个（客户选定 ${picked} 个），转给同事 ${handedOff} 个。知识库薄弱处：/kb gaps`;
}
