// A command's 客户 argument, found as /client finds it (code, name, pinyin, city, a contact's name or
// phone, 王总, typos). One match is the partner; several are a numbered pick list, kept for the person who
// asked in that chat: their next bare number (1, 2…) within ten minutes runs the command again with that
// partner's code in the keyword's place, as privately as the first time.
import type { OutboundMessage } from "../../adapters/contract.ts";
import { pickList } from "../partners/card.ts";
import { Prisma } from "../db/sql.ts";
import { findPartners, type FoundPartner, type PartnerMatch } from "../partners/search.ts";
import { addresseeOf, openPick } from "../prompts/store.ts";
import { ownPartnerIds } from "./file-access.ts";
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
export async function partnerArg(ctx: CommandContext, keyword: string, rerun: (code: string) => string, opts: { listHere?: boolean } = {}): Promise<PartnerArg> {
  let match = await findPartners(ctx.partners, keyword);
  // A partner removed meanwhile (forget partner, in another process, seen by the index within half a
  // minute): never acted on or listed, with its people; the index is built again and asked again.
  const ids = (m: PartnerMatch) => (m.kind === "one" ? [m.partner.id] : m.kind === "many" ? m.partners.map((p) => p.id) : []);
  if (ids(match).length && (await ctx.db.$queryRaw<unknown[]>`SELECT "id" FROM "Partner" WHERE "id" IN (${Prisma.join(ids(match))})`).length < ids(match).length) {
    ctx.partners.reload();
    match = await findPartners(ctx.partners, keyword);
  }
  const none = [text(`没有找到与「${keyword}」匹配的客户。可以试试客户编号、名称中的几个字、拼音、城市，或联系人的姓名、电话。`)];
  // An agent finds others' partners by their names (and is refused their files), never by their people:
  // a phone, an e-mail or 王总 must not tell whose contact that is.
  const own = await ownPartnerIds(ctx);
  const shownAsFound = (p: FoundPartner) => own === null || own.includes(p.id) || !p.why?.startsWith("联系人");
  const partners = (match.kind === "none" ? [] : match.kind === "one" ? [match.partner] : match.partners)
    .filter((p) => shownAsFound(p) || p.byFile)
    // Another's partner found by its own words too: shown by those, without its people.
    .map((p) => (shownAsFound(p) ? p : { ...p, why: undefined }));
  if (!partners.length) return { answer: none };
  // Found by its own words: that partner. Found only by sound or a typo: asked first, as a list of one.
  const only = partners.length === 1 ? partners[0] : null;
  if (only && !FUZZY.test(only.why ?? "") && (opts.listHere !== false || !only.why)) return { partner: only };
  // Where a partner's people read along, no list of partners: the code is asked for instead.
  if (opts.listHere === false) return { answer: [text(`「${keyword}」${partners.length > 1 ? `对应 ${partners.length} 个客户` : "是按联系人、读音或相近拼音找到的"}，为免在群里列出客户，请用客户编号（可私聊我 /client ${keyword} 查编号）。`)] };
  const shown = partners.slice(0, PICK_SHOWN);
  await openPick(ctx.db, {
    platform: ctx.platform, chatId: ctx.chat.id, externalChatId: ctx.chat.externalId, addressee: addresseeOf(ctx.platform, ctx.senderId), eventId: ctx.eventId, at: ctx.clock.now(),
    options: shown.map((p) => ({ value: JSON.stringify({ command: rerun(p.code), privately: ctx.native } satisfies PickedCommand), label: `${p.code} ${p.name}` })),
  });
  return { answer: [text(pickList(partners, match.kind === "many" && match.more, PICK_SHOWN))] };
}

/** A match by sound or by a pinyin typo: a guess, confirmed by its number before anything is done. */
const FUZZY = /^(按读音|相近拼音)/;

/** How many of the matches a pick list numbers. */
export const PICK_SHOWN = 10;
