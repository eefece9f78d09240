// Where an inbound event goes, decided without the database: from the event and what was looked up about
// it beforehand (src/hub/facts.ts). One answer per event; each route has its handler in src/hub/routes/.
import type { Capabilities, InboundEvent } from "../../adapters/contract.ts";
import { parseCommandText, type ParsedCommand } from "../commands/parse.ts";
import type { Actor, ResolvedChat } from "../types/identity.ts";
import { forTheBot, SHARE_FLAG } from "./event-kind.ts";
import { promptIdOfRef, ratingIdOfRef } from "../prompts/store.ts";
import type { NumberedReply } from "./numbered-reply.ts";

export interface Facts {
  event: InboundEvent;
  actor: Actor;
  chat: ResolvedChat;
  /** Typed (/client …), native (a Slack slash command), or a staff member's bare 确认 / 取消. */
  command: ParsedCommand | null;
  /** A bare number (with or without a comment) answering the latest prompt open to the sender, when one was found. */
  numbered: NumberedReply | null;
  /** Over HUB_MAX_MESSAGE_CHARS: refused, whatever it says. */
  tooLong: boolean;
  capabilities: Pick<Capabilities, "buttons" | "ephemeral">;
}

export type Route =
  /** `privately`: the answer is shown to the sender only. */
  | { kind: "too_long"; privately: boolean }
  /** `picked`: the pick list (a Prompt) whose number this is: the command runs once per pick list. */
  | { kind: "command"; command: ParsedCommand; privately: boolean; picked?: number }
  /** People joined a group: welcomed when the hub has something to say and the group is a partner's. */
  | { kind: "join" }
  /** A poll answered by a button, or by replying an option's number (`numbered`). */
  | { kind: "vote"; answer: { pollId: string; value: string; comment?: string; replaces: boolean }; numbered: NumberedReply | null; privately: boolean }
  /** One of a question's choices picked (option 0: none fits), by a button or by replying its number. */
  | { kind: "pick"; promptId: number; option: number; value: string; numbered: boolean; privately: boolean }
  /** A complaint's handling rated by the person who complained (a button, or their number). */
  | { kind: "rate"; promptId: number; score: number; comment?: string; numbered: boolean; privately: boolean }
  /** Said to the bot, or a question in a partner's group: answered, or handed to staff. */
  | { kind: "question" }
  /** Nothing to answer: talk among people, an image, a button that is not a poll's. Stored as handled. */
  | { kind: "chatter" };

/** A prompt's button: its action id is poll:<pollId>:<option> (a question's choices: poll:q-<promptId>:<option>). */
const POLL_BUTTON = /^poll:(.+):(\d+)$/;

export function classify(f: Facts): Route {
  const { event, actor, chat, capabilities } = f;
  // A native slash command answers privately unless the asker adds "公开" / "--share".
  const native = event.type === "command";
  if (f.tooLong) return { kind: "too_long", privately: native && capabilities.ephemeral };
  if (f.command) {
    const shared = native && SHARE_FLAG.test(f.command.args);
    const command = shared ? { ...f.command, args: f.command.args.replace(SHARE_FLAG, "").trim() } : f.command;
    return { kind: "command", command, privately: native && !shared && capabilities.ephemeral };
  }
  switch (event.type) {
    case "member_joined":
      return { kind: "join" };
    case "action": {
      const pressed = POLL_BUTTON.exec(event.actionId);
      if (!pressed) return { kind: "chatter" };
      const promptId = promptIdOfRef(pressed[1]);
      if (promptId !== null) return { kind: "pick", promptId, option: Number(pressed[2]), value: event.value, numbered: false, privately: capabilities.ephemeral };
      const ratingId = ratingIdOfRef(pressed[1]);
      if (ratingId !== null) return { kind: "rate", promptId: ratingId, score: Number(pressed[2]), numbered: false, privately: capabilities.ephemeral };
      return { kind: "vote", answer: { pollId: pressed[1], value: event.value, replaces: true }, numbered: null, privately: capabilities.ephemeral };
    }
    case "message": {
      // Staff are not surveyed: their "2" in a partner's group is just a number, unless it picks their own choices.
      const n = actor.kind === "staff" && f.numbered?.prompt.kind !== "CHOICES" && f.numbered?.prompt.kind !== "PICK" ? null : f.numbered;
      // A staff pick list's number: its command again, with the partner picked.
      if (n?.prompt.kind === "PICK") {
        const picked = JSON.parse(n.value) as { command: string; privately: boolean };
        const command = parseCommandText(picked.command);
        if (command) return { kind: "command", command, privately: picked.privately && capabilities.ephemeral, picked: n.prompt.id };
      }
      if (n?.prompt.kind === "CHOICES") return { kind: "pick", promptId: n.prompt.id, option: n.option, value: n.value, numbered: true, privately: false };
      if (n?.prompt.kind === "RATING") return { kind: "rate", promptId: n.prompt.id, score: n.option, ...(n.comment ? { comment: n.comment } : {}), numbered: true, privately: false };
      if (n) return { kind: "vote", answer: { pollId: n.prompt.ref, value: n.value, ...(n.comment ? { comment: n.comment } : {}), replaces: !!n.change }, numbered: n, privately: false };
      return event.contentType === "text" && forTheBot(event, chat, actor) ? { kind: "question" } : { kind: "chatter" };
    }
    default:
      return { kind: "chatter" }; // a native command whose text is not a command
  }
}
