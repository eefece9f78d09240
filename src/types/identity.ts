// Who is speaking, and in which chat: what the hub resolves (src/hub/identity.ts) and what commands,
// routes and outreach read. Types only, here so that none of them imports the hub to name a person.
import type { Platform } from "../../adapters/contract.ts";

export type Actor =
  | { kind: "staff"; identityId: number; staffId: number; name: string; role: string }
  | { kind: "contact"; identityId: number; contactId: number; name: string; partnerId: number; unidentified: boolean }
  | { kind: "stranger"; identityId: number; name?: string };

export interface ResolvedChat {
  id: number;
  platform: Platform;
  externalId: string;
  kind: "group" | "direct";
  partnerId: number | null;
  /** An internal staff group (/bind 内部). */
  internal: boolean;
  /** A direct chat: the contact on the other side, once they have written. */
  contactId: number | null;
}

/** What a command may do to the hub's cached identities: forget them after it changed who is who. */
export interface IdentityCache {
  invalidate(): void;
}
