// What the hub is built from (main.ts composes it): shared by the pipeline and the route handlers.
import type { Adapter, Platform } from "../../adapters/contract.ts";
import type { Answerer } from "../answer/answerer.ts";
import type { KnowledgeBase } from "../answer/kb-store.ts";
import type { CommandRegistry } from "../commands/registry.ts";
import type { Db } from "../db/client.ts";
import type { InteractionLog } from "../history/log.ts";
import type { Clock } from "../lib/clock.ts";
import type { Logger } from "../lib/logger.ts";
import type { Outbox } from "../outbox/outbox.ts";
import type { Outreach } from "../outreach/service.ts";
import type { PartnerSearchIndex } from "../partners/search-index.ts";
import type { ComplaintDesk } from "../service/complaints.ts";
import type { PollAnswer } from "../types/poll-answer.ts";
import type { IdentityResolver } from "./identity.ts";

export interface HubDeps {
  db: Db;
  clock: Clock;
  logger: Logger;
  log: InteractionLog;
  identities: IdentityResolver;
  partners: PartnerSearchIndex;
  commands: CommandRegistry;
  outbox: Outbox;
  adapters: ReadonlyMap<Platform, Adapter>;
  timeZone: string;
  maxMessageChars: number;
  /** Said when people join a bound partner group; {成员} and {客户} are filled in. Null: say nothing. */
  welcome: string | null;
  kb: KnowledgeBase;
  answerer: Answerer;
  /** How long a question's choices wait for a pick before it goes to staff (HUB_CHOICE_TIMEOUT_MINUTES). */
  choiceTimeoutMs: number;
  /**
   * Tells the staff chats (HUB_STAFF_CHAT), once per key, through the outbox's priority lane; the number of
   * chats it goes to (0: none is configured, and /questions still shows it).
   */
  notifyStaff(key: string, text: string, kind?: string, opts?: { afterMs?: number }): Promise<number>;
  /** A poll answer (button or numbered reply): recorded, and what to tell the person who voted. */
  onVote(vote: PollAnswer): Promise<string | null>;
  /** Notices, polls and greeting previews for staff commands. */
  outreach: Outreach;
  /** Complaint tickets: filed by commands and plain words, rated through the rate route. */
  complaints: ComplaintDesk;
  /** Start an outbox run now (after a command planned deliveries). */
  kick(): void;
}
