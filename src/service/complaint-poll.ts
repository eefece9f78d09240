// A satisfaction-poll score of 2 or less still opens a mediation follow-up (src/outreach/polls.ts); when the
// comment with a score (any score) is a complaint (我要投诉…, 投诉：…) it also opens a ticket, or joins the
// person's open one.
import type { PollAnswer } from "../types/poll-answer.ts";
import { complaintIn } from "../text/complaint-words.ts";
import { ref, type ComplaintDesk } from "./complaints.ts";

export async function complaintFromPoll(desk: ComplaintDesk, v: PollAnswer & { comment: string }, name: string | undefined): Promise<string | null> {
  const said = complaintIn(v.comment);
  if (!said) return null;
  const filed = await desk.file({
    partnerId: v.partnerId, contactId: v.actor.kind === "contact" ? v.actor.contactId : null, platform: v.platform, externalChatId: v.externalChatId, threadId: null,
    eventId: `poll:${v.eventId}`, complainant: `${v.platform}:${v.senderId}`, complainantName: name ?? null, text: said, source: "POLL", filedBy: null, at: v.at,
  });
  return filed.joined ? `您的意见已补充到${ref(filed.complaint)}。` : `您的投诉已登记为${ref(filed.complaint)}，${filed.complaint.ownerName ? `由${filed.complaint.ownerName}负责处理` : "同事会尽快处理"}，/complaint 可查看进展。`;
}
