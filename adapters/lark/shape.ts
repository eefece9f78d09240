// The shape a decrypted Lark event must have before the SDK's dispatcher and our handlers read it: a signed
// but malformed body (null, an array, an event without its message) is refused with 400, never a 500.
// Fields as documented on open.feishu.cn (im-v1 message events, chat member events, card callbacks).
import { isObject } from "../http-body.ts";

type Obj = Record<string, unknown>;
const isStr = (v: unknown): v is string => typeof v === "string";
/** An id the hub keys messages by: an empty one would match nothing and dedupe nothing. */
const isId = (v: unknown): v is string => typeof v === "string" && v.length > 0;
const optional = (v: unknown, ok: (v: unknown) => boolean) => v === undefined || v === null || ok(v);

/** What each handled event type must carry; a missing field is named in the refusal (no values). */
const EVENT_SHAPES: Record<string, (e: Obj) => string | null> = {
  "im.message.receive_v1": (e) => {
    if (!isObject(e.sender) || !isObject(e.sender.sender_id) || !isStr(e.sender.sender_id.open_id)) return "event.sender.sender_id.open_id";
    const m = e.message;
    if (!isObject(m)) return "event.message";
    for (const k of ["message_id", "chat_id"]) if (!isId(m[k])) return `event.message.${k}`;
    for (const k of ["chat_type", "message_type", "content"]) if (!isStr(m[k])) return `event.message.${k}`;
    const mentionOk = (x: unknown) => isObject(x) && isStr(x.key) && isObject(x.id);
    if (!optional(m.mentions, (v) => Array.isArray(v) && v.every(mentionOk))) return "event.message.mentions";
    return null;
  },
  "im.chat.member.user.added_v1": (e) => {
    if (!isStr(e.chat_id)) return "event.chat_id";
    if (!optional(e.users, (v) => Array.isArray(v) && v.every((u) => isObject(u) && optional(u.user_id, isObject)))) return "event.users";
    if (!optional(e.operator_id, isObject)) return "event.operator_id";
    return null;
  },
  "card.action.trigger": (e) => {
    if (!isObject(e.operator) || !isStr(e.operator.open_id)) return "event.operator.open_id";
    if (!isObject(e.action) || !optional(e.action.value, isObject)) return "event.action";
    if (!optional(e.context, isObject)) return "event.context";
    return null;
  },
};

export type LarkEventShape = { ok: true; eventType: string } | { ok: false; missing: string };

/** The event type of a decrypted event (schema 2.0 header, or a v1 event's type) if its shape is sound. */
export function checkLarkEventShape(plain: Obj): LarkEventShape {
  if (!optional(plain.header, isObject)) return { ok: false, missing: "header" };
  const header = (plain.header ?? {}) as Obj;
  const event = plain.event;
  const eventType = header.event_type ?? (isObject(event) ? event.type : undefined);
  if (!isStr(eventType)) return { ok: false, missing: "header.event_type" };
  const check = EVENT_SHAPES[eventType];
  if (!check) return { ok: true, eventType }; // acknowledged without being read
  if (!isObject(event)) return { ok: false, missing: "event" };
  const missing = check(event);
  return missing ? { ok: false, missing } : { ok: true, eventType };
}
