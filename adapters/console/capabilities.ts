// What the local console can do: data the hub reads.
import { PLATFORM_NAMES, type Capabilities } from "../contract.ts";

export const CONSOLE_CAPABILITIES: Capabilities = {
  displayName: PLATFORM_NAMES.console,
  // Local: unlimited.
  rateLimit: { perPlatform: Infinity, perChat: Infinity },
  buttons: false,
  cards: false,
  threads: false,
  ephemeral: false,
  slashCommands: false,
  maxTextLength: 100_000,
};

