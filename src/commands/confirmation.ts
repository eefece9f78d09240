// Actions that wait for a staff member's 确认 / 取消: what a command would do is stored (Confirmation
// row) with who asked, in which chat, and until when; only that person, in that chat, before it
// expires, confirms it, and taking the row deletes it, so a confirmation runs once even when the
// platform delivers "确认" twice or two instances see it. Commands register what their action does in
// confirm.ts.
import type { Db } from "../db/client.ts";
import { normalizeText } from "../text/normalize.ts";
import type { CommandContext } from "./types.ts";
import type { ParsedCommand } from "./parse.ts";

/** Long enough to check a question or ask a colleague; short enough that a stray 确认 tomorrow does nothing. */
export const CONFIRM_TTL_MS = 30 * 60_000;
const TTL_TEXT = `${CONFIRM_TTL_MS / 60_000} 分钟内有效`;

export interface ConfirmOutcome<P> {
  reply: string;
  /** Ask again with this (an edit that still needs checking, a question still missing). */
  again?: P;
}

export interface ConfirmAction<P> {
  action: string;
  /** One clause naming what waits, for "还有一项等您确认：…". */
  describe(payload: P): string;
  /** Does it. `edit`: what staff wrote after 确认 (an edited question), "" when nothing. */
  confirm(ctx: CommandContext, payload: P, edit: string): Promise<ConfirmOutcome<P>>;
  cancelled(payload: P): string;
}

/**
 * The line under every question put to staff: what 确认 and 取消 do, and `edit`, the text 确认 may
 * carry instead ("确认 改好的问题").
 */
export function confirmHint(yes: string, no: string, edit?: string): string {
  return `回复「确认」${yes}${edit ? `，或「确认 ${edit}」` : ""}；回复「取消」${no}（${TTL_TEXT}）。`;
}

function staffOf(ctx: CommandContext): number {
  if (ctx.actor.kind !== "staff") throw new Error("unreachable: confirmations are asked of staff");
  return ctx.actor.staffId;
}

export async function askConfirmation<P>(ctx: CommandContext, action: ConfirmAction<P>, payload: P): Promise<void> {
  const now = ctx.clock.now();
  await ctx.db.confirmation.create({
    data: {
      action: action.action,
      payload: JSON.stringify(payload),
      staffId: staffOf(ctx),
      chatId: ctx.chat.id,
      createdAt: now,
      expiresAt: new Date(now.getTime() + CONFIRM_TTL_MS),
    },
  });
}

export type Taken = { kind: "taken"; action: string; payload: unknown } | { kind: "expired" } | { kind: "none" };

/** The latest pending action of this person in this chat, removed so nobody else runs it. */
export async function takeConfirmation(ctx: CommandContext): Promise<Taken> {
  const staffId = staffOf(ctx);
  const now = ctx.clock.now();
  const mine = { staffId, chatId: ctx.chat.id };
  for (;;) {
    const latest = await ctx.db.confirmation.findFirst({ where: { ...mine, expiresAt: { gt: now } }, orderBy: [{ createdAt: "desc" }, { id: "desc" }] });
    if (!latest) {
      const expired = await ctx.db.confirmation.deleteMany({ where: { ...mine, expiresAt: { lte: now } } });
      return { kind: expired.count ? "expired" : "none" };
    }
    // Another delivery of the same 确认 (or a second instance) may take it first: then look again.
    if ((await ctx.db.confirmation.deleteMany({ where: { id: latest.id } })).count === 1) {
      return { kind: "taken", action: latest.action, payload: JSON.parse(latest.payload) };
    }
  }
}

/** What else this person still has waiting here, newest first. */
export async function stillPending(ctx: CommandContext): Promise<{ action: string; payload: unknown }[]> {
  const rows = await ctx.db.confirmation.findMany({
    where: { staffId: staffOf(ctx), chatId: ctx.chat.id, expiresAt: { gt: ctx.clock.now() } },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
  });
  return rows.map((r) => ({ action: r.action, payload: JSON.parse(r.payload) }));
}

/** 确认 / 确定 / 取消 alone, or "确认 改好的问题" / "确认：改好的问题" (a comma after 确认 is just talk). */
const BARE = /^(确认|确定|取消)(?:[\s。！!.～~]*$|(?:\s*[:：]\s*|\s+)(\S[\s\S]*)$)/;

/**
 * A staff member's plain 确认 or 取消 is a command where they have something waiting, or where it is said
 * to the bot (privately, or @ it); in a partner's group it is otherwise just a word to the partner.
 * Returns the command it stands for.
 */
export async function bareConfirmation(db: Db, staffId: number, chatId: number, raw: string, addressed = false): Promise<ParsedCommand | null> {
  const typed = raw.trim();
  const m = BARE.exec(normalizeText(typed));
  if (!m) return null;
  // Said to the bot (privately, or @ it) a bare 确认 / 取消 is for it even when nothing waits (too late, say):
  // the answer is that nothing waits, never a question handed to staff.
  if (!(await db.confirmation.count({ where: { staffId, chatId } })) && !(addressed && !m[2])) return null;
  if (m[1] === "取消") return m[2] ? null : { name: "cancel", args: "" };
  // The edit as typed (script, punctuation), not normalised.
  const edit = m[2] ? typed.replace(/^\S{2}(?:\s*[:：]\s*|\s+)/, "") : "";
  return { name: "confirm", args: edit };
}
