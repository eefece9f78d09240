// A poll answer as the hub read it (a button pressed, or a bare number replied), for outreach to record.
import type { Platform } from "../../adapters/contract.ts";
import type { Actor } from "./identity.ts";

export interface PollAnswer {
  pollId: string;
  value: string;
  comment?: string;
  /** A button pressed, or "改成 3 分": it replaces the person's earlier answer. A bare number never does. */
  replaces: boolean;
  actor: Actor;
  platform: Platform;
  senderId: string;
  /** Where it was answered, and the message (or button event) it came in. */
  externalChatId: string;
  eventId: string;
  partnerId: number | null;
  at: Date;
}
