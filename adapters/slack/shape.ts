// The shape a verified Slack body must have before Bolt and our listeners read it. Bolt reads fields without
// checking them (a `null` body crashed the process, a block_actions payload without `user` gave a 500, one
// without a type was left unacknowledged for 3 s and answered 404); a body that is not what Slack documents
// is refused with 400 instead. Shapes from docs.slack.dev: Events API callbacks, slash command payloads,
// block_actions payloads.
import { isObject } from "../http-body.ts";

type Obj = Record<string, unknown>;
const isStr = (v: unknown): v is string => typeof v === "string";
/** An id the hub keys messages by: an empty one would match nothing and dedupe nothing. */
const isId = (v: unknown): v is string => typeof v === "string" && v.length > 0;
const optional = (v: unknown, ok: (v: unknown) => boolean) => v === undefined || ok(v);

/** Inner events the adapter listens to, and the fields its listeners read. */
const EVENT_SHAPES: Record<string, (e: Obj) => string | null> = {
  message: (e) => messageShape(e),
  app_mention: (e) => messageShape(e),
  member_joined_channel: (e) => {
    for (const k of ["channel", "user", "event_ts"]) if (!isStr(e[k])) return `event.${k}`;
    return optional(e.inviter, isStr) ? null : "event.inviter";
  },
};

function messageShape(e: Obj): string | null {
  for (const k of ["channel", "ts"]) if (!isId(e[k])) return `event.${k}`;
  for (const k of ["user", "text", "thread_ts", "subtype", "bot_id", "channel_type"]) if (!optional(e[k], isStr)) return `event.${k}`;
  const fileOk = (f: unknown) => isObject(f) && optional(f.mimetype, isStr) && optional(f.name, isStr);
  if (!optional(e.files, (f) => Array.isArray(f) && f.every(fileOk))) return "event.files";
  return null;
}

function eventCallbackShape(body: Obj): string | null {
  const e = body.event;
  if (!isObject(e) || !isStr(e.type)) return "event.type";
  return EVENT_SHAPES[e.type]?.(e) ?? null;
}

function commandShape(body: Obj): string | null {
  for (const k of ["command", "channel_id", "user_id", "trigger_id"]) if (!isStr(body[k])) return k;
  for (const k of ["text", "channel_name", "user_name"]) if (!optional(body[k], isStr)) return k;
  return null;
}

function blockActionsShape(body: Obj): string | null {
  if (!isObject(body.user) || !isStr(body.user.id)) return "user.id";
  const actionOk = (a: unknown) => isObject(a) && isStr(a.action_id) && optional(a.value, isStr) && optional(a.action_ts, isStr);
  if (!Array.isArray(body.actions) || !body.actions.length || !body.actions.every(actionOk)) return "actions";
  if (!optional(body.channel, (c) => isObject(c) && isStr(c.id))) return "channel.id";
  if (!optional(body.container, isObject)) return "container";
  return null;
}

/**
 * What is missing or wrong in a body as Bolt parses it (null when it is sound). `form` is a slash command or
 * an interactive `payload=`; otherwise the body is an Events API callback.
 */
export function slackShapeProblem(body: Obj, kind: "events" | "command" | "interactive"): string | null {
  if (kind === "command") return commandShape(body);
  if (kind === "interactive") {
    // The hub posts Block Kit buttons only; views, shortcuts and legacy attachments are not its own.
    return body.type === "block_actions" ? blockActionsShape(body) : "type";
  }
  if (body.type === "event_callback") return eventCallbackShape(body);
  if (body.type === "url_verification") return isStr(body.challenge) ? null : "challenge";
  return "type";
}
