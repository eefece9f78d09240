// Who is speaking, and for which partner. Identity(platform, externalId) -> Contact or Staff;
// Chat(platform, externalChatId) -> Partner. A stranger writing in a partner's bound group becomes an
// unidentified contact of that partner, so nothing they say is lost or misfiled.
import type { ChatRef, Platform, SenderRef } from "../../adapters/contract.ts";
import type { Db } from "../db/client.ts";
import { isUniqueViolation } from "../db/errors.ts";
import type { Clock } from "../lib/clock.ts";
import { TtlCache } from "../lib/ttl-cache.ts";
import type { Actor, IdentityCache, ResolvedChat } from "../types/identity.ts";

/** How long a cached identity or chat may be stale when another instance changed it. */
export const IDENTITY_CACHE_TTL_MS = 30_000;

/** Insert, or when a concurrent writer got there first, read what it wrote. */
async function createOrGet<T>(create: () => Promise<T>, get: () => Promise<T | null>): Promise<T> {
  try {
    return await create();
  } catch (err) {
    if (!isUniqueViolation(err)) throw err;
    const found = await get();
    if (!found) throw err;
    return found;
  }
}

export class IdentityResolver implements IdentityCache {
  #chats: TtlCache<ResolvedChat>;
  #actors: TtlCache<Actor>;

  constructor(
    private readonly db: Db,
    clock: Clock,
  ) {
    this.#chats = new TtlCache(clock, IDENTITY_CACHE_TTL_MS);
    this.#actors = new TtlCache(clock, IDENTITY_CACHE_TTL_MS);
  }

  /** After /bind, /link, staff changes: forget what this instance cached. */
  invalidate(): void {
    this.#chats.clear();
    this.#actors.clear();
  }

  async chat(platform: Platform, ref: ChatRef): Promise<ResolvedChat> {
    const key = `${platform}\u0000${ref.id}`;
    const cached = this.#chats.get(key);
    if (cached) return cached;
    const where = { platform_externalChatId: { platform, externalChatId: ref.id } };
    const row =
      (await this.db.chat.findUnique({ where })) ??
      (await createOrGet(
        () => this.db.chat.create({ data: { platform, externalChatId: ref.id, kind: ref.kind, title: ref.title ?? null } }),
        () => this.db.chat.findUnique({ where }),
      ));
    const chat: ResolvedChat = { id: row.id, platform, externalId: ref.id, kind: row.kind as ResolvedChat["kind"], partnerId: row.partnerId, internal: row.internal, contactId: row.contactId };
    this.#chats.set(key, chat);
    return chat;
  }

  /** Remembers who a direct chat is with, so greetings can reach them there. */
  async directChatWith(chat: ResolvedChat, contactId: number): Promise<void> {
    if (chat.kind !== "direct" || chat.contactId === contactId) return;
    await this.db.chat.update({ where: { id: chat.id }, data: { contactId } });
    chat.contactId = contactId;
  }

  async actor(platform: Platform, sender: SenderRef, chat: ResolvedChat): Promise<Actor> {
    const key = `${platform}\u0000${sender.id}`;
    const cached = this.#actors.get(key);
    if (cached) return cached;
    const where = { platform_externalId: { platform, externalId: sender.id } };
    const include = { staff: true, contact: true } as const;
    const identity =
      (await this.db.identity.findUnique({ where, include })) ??
      (await createOrGet(
        () => this.db.identity.create({ data: { platform, externalId: sender.id, displayName: sender.name ?? null }, include }),
        () => this.db.identity.findUnique({ where, include }),
      ));
    let actor: Actor;
    if (identity.staff) {
      actor = { kind: "staff", identityId: identity.id, staffId: identity.staff.id, name: identity.staff.name, role: identity.staff.role };
    } else if (identity.contact) {
      const c = identity.contact;
      actor = { kind: "contact", identityId: identity.id, contactId: c.id, name: c.name, partnerId: c.partnerId, unidentified: c.unidentified };
    } else if (chat.partnerId !== null && chat.kind === "group") {
      actor = await this.#adoptStranger(identity.id, platform, sender, chat.partnerId);
    } else {
      // Strangers are not cached: binding their chat must take effect on their next message.
      return { kind: "stranger", identityId: identity.id, name: sender.name };
    }
    this.#actors.set(key, actor);
    return actor;
  }

  async #adoptStranger(identityId: number, platform: Platform, sender: SenderRef, partnerId: number): Promise<Actor> {
    const name = `${sender.name ?? "未知"}（${platform}:${sender.id}）`;
    const where = { partnerId_name: { partnerId, name } };
    const contact =
      (await this.db.contact.findUnique({ where })) ??
      (await createOrGet(
        () => this.db.contact.create({ data: { partnerId, name, unidentified: true } }),
        () => this.db.contact.findUnique({ where }),
      ));
    await this.db.identity.update({ where: { id: identityId }, data: { contactId: contact.id } });
    return { kind: "contact", identityId, contactId: contact.id, name: contact.name, partnerId, unidentified: true };
  }
}
