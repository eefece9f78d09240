// The console has no buttons or cards: it shows every message in its text form (adapters/fallback.ts).
import type { OutboundMessage } from "../contract.ts";
import { asText } from "../fallback.ts";

export function renderConsole(m: OutboundMessage): string {
  return asText(m);
}
