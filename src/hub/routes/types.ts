// The shape every route handler has: what was found out about the event and where classify sent it in,
// the messages to answer with out (or null: nothing to say). Handlers never send; the pipeline does.
import type { OutboundMessage, Platform } from "../../../adapters/contract.ts";
import type { trainingInWindow } from "../../service/training-followup.ts";
import type { Route } from "../classify.ts";
import type { HubDeps } from "../deps.ts";
import type { Looked } from "../facts.ts";

export type TrainingWindow = Awaited<ReturnType<typeof trainingInWindow>>;

export interface RouteDeps extends HubDeps {
  /** The hub speaking in another chat (an /answer to a handed-off question), through the outbox. */
  sendTo(platform: Platform, externalChatId: string, message: OutboundMessage, threadId?: string, kind?: string, key?: string, staffId?: number): Promise<boolean>;
  /** Drops cached identities, chats and training windows, after a command changed them. */
  forget(): void;
  /** The partner's training whose follow-up window this is, if any (cached briefly). */
  trainingFor(partnerId: number | null, at: Date): Promise<TrainingWindow>;
}

export interface Handling<K extends Route["kind"]> {
  facts: Looked;
  route: Extract<Route, { kind: K }>;
  /** Answered once more after a stop: what the first try did (a hand-off) may be done already. */
  again: boolean;
}

/** What a handler answers with, when it says more than messages in the event's own thread. */
export interface Answered {
  messages: OutboundMessage[];
  /** Into this thread instead of the event's (a pick's answer goes under the question it answers). */
  threadId?: string;
  /** As the history files them: answer, choices, handoff (reply when not said). */
  kind?: string;
  /** Overrides the route's: shown to the sender only, where the platform can. */
  privately?: boolean;
}

export type Handler<K extends Route["kind"]> = (h: Handling<K>, deps: RouteDeps) => Promise<OutboundMessage[] | Answered | null>;
