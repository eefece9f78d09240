// A command's 客户 argument, found as /client finds it (code, name, pinyin, city, a contact's name or
// phone, 王总, typos). One match is the partner; several are a numbered pick list, kept for the person who
// asked in that chat: their next bare number (1, 2…) within ten minutes runs the command again with that
// partner's code in the keyword's place, as privately as the first time.
import type { OutboundMessage } from "../../adapters/contract.ts";
import { pickList } from "../partners/card.ts";
import { findPartners, type FoundPartner } from "../partners/search.ts";
import { addresseeOf, openPick } from "../prompts/store.ts";
import { text, type CommandContext } from "./types.ts";

/** What a pick list's option runs: the command, and whether its answer was private. */
export interface PickedCommand {
  command: string;
  privately: boolean;
}

export type PartnerArg = { partner: FoundPartner; answer?: undefined } | { partner?: undefined; answer: OutboundMessage[] };

/**
 * `rerun(code)`: the command as it would be typed with that code for the keyword (/history 王总 20 ->
 * /history SH002 20).
 */
export async function partnerArg(ctx: CommandContext, keyword: string, rerun: (code: string) => string): Promise<PartnerArg> {
  const match = await findPartners(ctx.partners, keyword);
  if (match.kind === "none") return { answer: [text(`没有找到与「${keyword}」匹配的客户。可以试试客户编号、名称中的几个字、拼音、城市，或联系人的姓名、电话。`)] };
  if (match.kind === "one") return { partner: match.partner };
  const shown = match.partners.slice(0, PICK_SHOWN);
  await openPick(ctx.db, {
    platform: ctx.platform, chatId: ctx.chat.id, externalChatId: ctx.chat.externalId, addressee: addresseeOf(ctx.platform, ctx.senderId), eventId: ctx.eventId, at: ctx.clock.now(),
    options: shown.map((p) => ({ value: JSON.stringify({ command: rerun(p.code), privately: ctx.native } satisfies PickedCommand), label: `${p.code} ${p.name}` })),
  });
  return { answer: [text(pickList(match.partners, match.more, PICK_SHOWN))] };
}

/** How many of the matches a pick list numbers. */
export const PICK_SHOWN = 10;
