// Reading a command out of what was typed: shared by the registry, which runs it, and by the hub and the
// confirmations, which only need to know that a message is one.
import { normalizeText } from "../text/normalize.ts";

export interface ParsedCommand {
  name: string;
  args: string;
}

/**
 * "/client 杭州" (also full-width ／ and Traditional) -> { name: "client", args: "杭州" }; else null.
 * The name is normalized; the arguments stay as typed (an answer to a partner keeps its punctuation),
 * and each command normalizes what it matches on.
 */
export function parseCommandText(raw: string): ParsedCommand | null {
  const m = /^\/(\S+)\s*([\s\S]*)$/.exec(normalizeText(raw));
  if (!m) return null;
  const typed = raw.trim();
  const space = typed.search(/\s/);
  return { name: m[1].toLowerCase(), args: space < 0 ? "" : typed.slice(space).trim() };
}
