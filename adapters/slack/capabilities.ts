// What Slack can do and how fast the outbox may send there: data the hub reads (no SDK here).
import { PLATFORM_NAMES, type Capabilities } from "../contract.ts";

export const SLACK_CAPABILITIES: Capabilities = {
  displayName: PLATFORM_NAMES.slack,
  // chat.postMessage: about one message per second per channel, short bursts allowed
  // (docs.slack.dev/reference/methods/chat.postMessage, Rate limiting). No app-wide figure is published for it,
  // so the app-wide pace is 20/s, well under the workspace limits seen in practice.
  rateLimit: { perPlatform: 20, perChat: 1 },
  buttons: true,
  cards: true,
  threads: true,
  ephemeral: true,
  slashCommands: true,
  // chat.postMessage truncates text beyond 40,000 characters (docs.slack.dev/reference/methods/chat.postMessage).
  maxTextLength: 40_000,
};

