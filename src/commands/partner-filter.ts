// 客户=… in a notice's or a poll's filter: each keyword found as /client finds it (code, name, pinyin, a
// contact's name or phone…). One match is that partner; several are the same pick list as any command's,
// whose number runs the command again with that partner's code in the keyword's place.
import type { Audience } from "../outreach/audience.ts";
import { partnerArg } from "./partner-arg.ts";
import type { CommandContext } from "./types.ts";
import type { OutboundMessage } from "../../adapters/contract.ts";
import { normalizeText } from "../text/normalize.ts";

/**
 * The command as typed, with `keyword` in its 客户= filters replaced by `code`. The filter (before ｜) is
 * compared as parseAudience reads it (Simplified, full-width folded); the text after ｜ is left as written.
 */
export function withPartnerCode(command: string, keyword: string, code: string): string {
  const bar = command.search(/[|｜]/);
  const filter = normalizeText(bar < 0 ? command : command.slice(0, bar));
  const rest = bar < 0 ? "" : ` ${command.slice(bar)}`;
  const replaced = filter.replace(/(客户编号|客户|client)([=:：])(\S+)/gi, (_, key: string, eq: string, values: string) =>
    `${key}${eq}${values.split(/([,，、])/).map((v) => (v.trim() === keyword ? code : v)).join("")}`,
  );
  return replaced + rest;
}

/**
 * The audience with its 客户= keywords found: their ids and names in their place. Or what to answer
 * instead (a pick list, nothing found). `command`: the command as typed, for the pick list's rerun.
 */
export async function findFilterPartners(ctx: CommandContext, audience: Audience, command: string): Promise<{ audience: Audience; answer?: undefined } | { answer: OutboundMessage[] }> {
  if (!audience.partnerKeywords?.length) return { audience };
  const { partnerKeywords, ...rest } = audience;
  const ids: number[] = [];
  const names: string[] = [];
  for (const keyword of partnerKeywords) {
    const found = await partnerArg(ctx, keyword, (code) => withPartnerCode(command, keyword, code));
    if (found.answer) return { answer: found.answer };
    if (ids.includes(found.partner.id)) continue;
    ids.push(found.partner.id);
    names.push(`${found.partner.name}（${found.partner.code}）`);
  }
  // Alongside other conditions (等级=…), the chosen partners are narrowed by them too.
  return { audience: { ...rest, partnerIds: rest.partnerIds ? rest.partnerIds.filter((id) => ids.includes(id)) : ids, partnerNames: names } };
}
