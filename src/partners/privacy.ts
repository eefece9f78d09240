// Data-protection requests about one partner (seed 003 客户保密): everything held about it, in one file;
// and forgetting it — the file, its people and their accounts, its chats and history, questions,
// prompts, polls, complaints and their files, proposals, follow-ups, care plan and pending deliveries — leaving one audit row that
// says a partner was forgotten, without its name or code. Audit rows that named it are blanked.
import { writeFileSync } from "node:fs";
import type { Db } from "../db/client.ts";
import { UserError } from "../lib/errors.ts";
import { normalizeText } from "../text/normalize.ts";

/** What a forgotten partner's name, code and people become where other rows mention them. */
const FORGOTTEN = "（已删除客户）";
/**
 * The complaint a message is about: the first named (`【投诉 #3】…`, `已记录投诉 #3 的进展`, `/complaint note 3 …`,
 * read as the registry reads commands: ／, capitals and Traditional too); a later mention is a cross-reference.
 */
const TICKET_REF = /投诉(?:超时)?\s*#(\d+)|^\/(?:complaint|投诉)\s+\S+\s+#?(\d+)/m;
/** Where staff lists cut a partner's words (src/text/excerpt.ts callers). */
const QUOTED_LENGTHS = [20, 30, 40, 60];
/** Staff posts about one partner (src/outreach/service.ts notifyStaff kinds): deleted with it. */
const STAFF_POST_KINDS = ["handoff", "staff", "proposal", "referral", "escalation", "complaint"];

/** Its complaints: filed under it or its people, or made from one of their accounts before it was linked to them. */
async function complaintsWhere(db: Db, partnerId: number, contactIds: number[]) {
  const accounts = (await db.identity.findMany({ where: { contactId: { in: contactIds } }, select: { platform: true, externalId: true } })).map((i) => `${i.platform}:${i.externalId}`);
  return { OR: [{ partnerId }, { contactId: { in: contactIds } }, { complainant: { in: accounts } }] };
}

async function partnerByCode(db: Db, code: string) {
  const p = await db.partner.findUnique({ where: { code: code.trim().toUpperCase() }, include: { contacts: true } });
  if (!p) throw new UserError(`没有编号为 ${code} 的客户。`, "no_partner");
  return p;
}

/** Everything held about one partner, as JSON; the number of history rows written. */
export async function exportPartner(db: Db, code: string, file: string): Promise<{ name: string; interactions: number }> {
  const p = await partnerByCode(db, code);
  const contactIds = p.contacts.map((c) => c.id);
  const mine = { OR: [{ partnerId: p.id }, { contactId: { in: contactIds } }] };
  const [identities, chats, interactions, questions, prompts, proposals, followUps, pollResponses, carePlan, referrals, complaints] = await Promise.all([
    db.identity.findMany({ where: { contactId: { in: contactIds } } }),
    db.chat.findMany({ where: { OR: [{ partnerId: p.id }, { contactId: { in: contactIds } }] } }),
    db.interaction.findMany({ where: mine, orderBy: { createdAt: "asc" }, omit: { event: true } }),
    db.question.findMany({ where: mine }),
    db.prompt.findMany({ where: mine }),
    db.proposal.findMany({ where: mine }),
    db.followUp.findMany({ where: { partnerId: p.id } }),
    db.pollResponse.findMany({ where: mine }),
    db.carePlan.findUnique({ where: { partnerId: p.id } }),
    db.partner.findMany({ where: { referredById: p.id }, select: { code: true, name: true, tier: true } }),
    db.complaint.findMany({ where: await complaintsWhere(db, p.id, contactIds), include: { steps: { orderBy: { at: "asc" } } }, orderBy: { receivedAt: "asc" } }),
  ]);
  const data = { partner: p, identities, chats, interactions, questions, prompts, proposals, followUps, pollResponses, carePlan, referrals, complaints };
  writeFileSync(file, `${JSON.stringify(data, null, 2)}\n`);
  return { name: p.name, interactions: interactions.length };
}

/** Deletes everything held about one partner in one transaction; what was removed, by kind. */
export async function forgetPartner(db: Db, code: string, actor: string, now: Date): Promise<Record<string, number>> {
  const p = await partnerByCode(db, code);
  const contactIds = p.contacts.map((c) => c.id);
  const mine = { OR: [{ partnerId: p.id }, { contactId: { in: contactIds } }] };
  const theirComplaints = await complaintsWhere(db, p.id, contactIds);
  return db.$transaction(async (tx) => {
    const removed: Record<string, number> = {};
    const count = (kind: string, r: { count: number }) => void (removed[kind] = r.count);
    // What staff were told about it (hand-off posts, proposals, referrals) is about it: deleted. Anything
    // else that names it (a staff list of several partners) keeps the rest, with its names blanked.
    const naming = (field: "text" | "message") => ({ OR: [{ [field]: { contains: p.name } }, { [field]: { contains: p.code } }] });
    const aboutIt = { kind: { in: STAFF_POST_KINDS } };
    count("interactions", await tx.interaction.deleteMany({ where: { OR: [...mine.OR, { ...naming("text"), ...aboutIt }] } }));
    count("deliveries", await tx.delivery.deleteMany({ where: { OR: [...mine.OR, { ...naming("message"), ...aboutIt }] } }));
    // Its people too: their names, phones and e-mail addresses (a client card shown to staff lists them).
    // And their words where a staff list quotes them beside others' (a question, a proposal, a complaint, cut
    // at the lengths lists cut them).
    const said = [
      ...(await tx.question.findMany({ where: mine, select: { text: true } })).map((q) => q.text),
      ...(await tx.proposal.findMany({ where: mine, select: { text: true } })).map((q) => q.text),
      ...(await tx.complaint.findMany({ where: theirComplaints, select: { text: true } })).map((q) => q.text),
    ].flatMap((t) => [t, ...QUOTED_LENGTHS.map((n) => t.slice(0, n))]).filter((t) => t.length >= 6);
    const names = [...new Set([...said.sort((a, b) => b.length - a.length), p.name, p.code, ...p.contacts.flatMap((c) => [c.name, c.phone ?? "", c.email ?? ""])])].filter((n) => n.length >= 2);
    const blank = (s: string) => names.reduce((t, n) => t.split(n).join(FORGOTTEN), s);
    for (const r of await tx.interaction.findMany({ where: naming("text"), select: { id: true, text: true, meta: true } })) {
      await tx.interaction.update({ where: { id: r.id }, data: { text: blank(r.text), meta: r.meta && blank(r.meta) } });
    }
    // Staff's commands about its complaints and what the hub answered name them by number, not by
    // partner: they are about it, and go (a list of several partners' tickets is blanked below).
    const tickets = new Set((await tx.complaint.findMany({ where: theirComplaints, select: { id: true } })).map((c) => c.id));
    if (tickets.size) {
      const about = (text: string) => {
        const m = TICKET_REF.exec(normalizeText(text).toLowerCase());
        return !!m && tickets.has(Number(m[1] ?? m[2]));
      };
      const candidates = (field: "text" | "message") => ({ OR: ["投诉", "投訴", "omplaint", "OMPLAINT"].map((w) => ({ [field]: { contains: w } })) });
      const rows = (await tx.interaction.findMany({ where: candidates("text"), select: { id: true, text: true } })).filter((r) => about(r.text));
      count("complaintRecords", await tx.interaction.deleteMany({ where: { id: { in: rows.map((r) => r.id) } } }));
      const planned = (await tx.delivery.findMany({ where: candidates("message"), select: { id: true, message: true } })).filter((r) => about(r.message));
      await tx.delivery.deleteMany({ where: { id: { in: planned.map((r) => r.id) } } });
    }
    for (const r of await tx.delivery.findMany({ where: naming("message"), select: { id: true, message: true } })) {
      await tx.delivery.update({ where: { id: r.id }, data: { message: blank(r.message) } });
    }
    // Staff's searches for its people (a phone, an e-mail, a contact's name typed as a command) and the pick
    // lists that offered it.
    const people = p.contacts.flatMap((c) => [c.phone ?? "", c.email ?? "", c.name]).filter((n) => n.length >= 2);
    if (people.length) {
      const searched = { AND: [{ text: { startsWith: "/" } }, { OR: people.map((n) => ({ text: { contains: n } })) }] };
      for (const r of await tx.interaction.findMany({ where: searched, select: { id: true, text: true } })) {
        await tx.interaction.update({ where: { id: r.id }, data: { text: blank(r.text) } });
      }
      await tx.auditLog.updateMany({ where: { OR: people.map((n) => ({ detail: { contains: n } })) }, data: { detail: "（已删除客户的记录）" } });
    }
    await tx.prompt.deleteMany({ where: { kind: "PICK", OR: [{ options: { contains: `"${p.code} ` } }, { options: { contains: p.name } }] } });
    // Actions waiting for a 确认 that list it, and the notes of companies it referred.
    await tx.confirmation.deleteMany({ where: { OR: [{ payload: { contains: p.name } }, { payload: { contains: p.code } }] } });
    for (const r of await tx.partner.findMany({ where: { referredById: p.id, notes: { not: null } }, select: { id: true, notes: true } })) {
      await tx.partner.update({ where: { id: r.id }, data: { notes: blank(r.notes!) } });
    }
    count("questions", await tx.question.deleteMany({ where: mine }));
    count("prompts", await tx.prompt.deleteMany({ where: mine }));
    count("proposals", await tx.proposal.deleteMany({ where: mine }));
    count("complaints", await tx.complaint.deleteMany({ where: theirComplaints })); // their steps go with them
    count("followUps", await tx.followUp.deleteMany({ where: { partnerId: p.id } }));
    count("pollResponses", await tx.pollResponse.deleteMany({ where: mine }));
    count("carePlans", await tx.carePlan.deleteMany({ where: { partnerId: p.id } }));
    count("identities", await tx.identity.deleteMany({ where: { contactId: { in: contactIds } } }));
    count("chats", await tx.chat.deleteMany({ where: { OR: [{ partnerId: p.id }, { contactId: { in: contactIds } }] } }));
    // Companies it referred stay (they are their own); they just no longer point at it.
    await tx.partner.updateMany({ where: { referredById: p.id }, data: { referredById: null } });
    await tx.partner.delete({ where: { id: p.id } }); // its contacts go with it
    removed.contacts = contactIds.length;
    // Audit rows that named it (a /client look-up) keep what happened, not whom it was about.
    const named = await tx.auditLog.updateMany({ where: { OR: [{ detail: { contains: p.code } }, { detail: { contains: p.name } }] }, data: { detail: "（已删除客户的记录）" } });
    removed.auditRowsBlanked = named.count;
    await tx.auditLog.create({ data: { actor, action: "forget_partner", detail: `partner #${p.id} forgotten`, allowed: true, createdAt: now } });
    return removed;
  });
}
