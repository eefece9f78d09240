// A staff command (or a partner's /help, /whoami): run through the registry, with what it may touch, and
// audited, refusals included.
import type { InboundEvent } from "../../../adapters/contract.ts";
import type { RouteDeps, Handler } from "./types.ts";

export const answerCommand: Handler<"command"> = async ({ facts, route, again }, deps) => {
  const { event, actor, chat, adapter } = facts;
  // A pick list's number runs its command once: a second number (or the same one again) does nothing.
  if (route.picked !== undefined) {
    const claimed = await deps.db.prompt.updateMany({ where: { id: route.picked, status: "OPEN" }, data: { status: "PICKED", pickedAt: event.at } });
    if (claimed.count !== 1 && !again) return null;
  }
  let sends = 0;
  return deps.commands.run(
    route.command,
    {
      db: deps.db,
      log: deps.log,
      clock: deps.clock,
      timeZone: deps.timeZone,
      platform: event.platform,
      eventId: event.messageId,
      senderId: event.sender.id,
      threadId: (event.type === "message" ? (event.threadId ?? event.replyAnchor) : undefined) ?? null,
      capabilities: adapter.capabilities,
      actor,
      chat,
      native: route.privately,
      mentions: (event.type === "message" || event.type === "command" ? event.mentions : undefined) ?? [],
      identities: deps.identities,
      partners: deps.partners,
      kb: deps.kb,
      outreach: deps.outreach,
      complaints: deps.complaints,
      kick: deps.kick,
      // Keyed by the command and the send's place in it: running the command again after a stop (the
      // event recovered) plans the same rows, so a partner never gets an /answer twice.
      // Said on the staff member's behalf: in the partner's history it is their action, not the bot's.
      send: (platform, chatId, message, threadId) => deps.sendTo(platform, chatId, message, threadId, "answer", `cmd:${event.platform}:${event.messageId}:${sends++}`, actor.kind === "staff" ? actor.staffId : undefined),
      forget: deps.forget,
      logger: deps.logger,
    },
    (entry) => audit(deps, event, actor.kind === "staff" ? actor.staffId : null, entry),
  );
};

async function audit(deps: RouteDeps, event: InboundEvent, staffId: number | null, entry: { action: string; detail: string; allowed: boolean }) {
  const actor = `${event.platform}:${event.sender.id}`;
  // Plain SQL: every command writes one, and Prisma's query compiler would cost more than the insert.
  await deps.db.$executeRaw`INSERT INTO "AuditLog" ("actor", "staffId", "action", "detail", "allowed", "createdAt") VALUES (${actor}, ${staffId}, ${entry.action}, ${entry.detail}, ${entry.allowed}, ${deps.clock.now()})`;
  if (!entry.allowed) deps.logger.warn({ actor, action: entry.action }, "command refused");
}
