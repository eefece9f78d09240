// The local channel: try the hub, or drive it from scripts, without any platform account.
// Identities are "console:<id>"; a chat is a private one with the hub unless /in names a group.
import { randomUUID } from "node:crypto";
import { type Adapter, type InboundHandler, type OutboundMessage, type SendResult, type SendTarget } from "../contract.ts";
import { CONSOLE_CAPABILITIES } from "./capabilities.ts";
import { renderConsole } from "./render.ts";

export interface ConsoleOutput {
  chatId: string;
  message: OutboundMessage;
  rendered: string;
}

export interface ConsoleAdapter extends Adapter {
  /** One message from `as` (an id, with or without "console:") into `chat` (a group id) or a private chat. */
  say(as: string, text: string, chat?: string, at?: Date): Promise<void>;
}

const bare = (id: string) => id.replace(/^console:/, "");
const BOT_MENTION = /@(?:伙伴通|bot)(?=\s|$)/g;

/** The private chat between the hub and one console identity. */
export const directChatId = (as: string) => `dm:${bare(as)}`;

export function createConsoleAdapter(opts: { output(o: ConsoleOutput): void; now?: () => Date }): ConsoleAdapter {
  let handler: InboundHandler | null = null;
  const now = opts.now ?? (() => new Date());
  return {
    platform: "console",
    capabilities: CONSOLE_CAPABILITIES,
    async start(onEvent) {
      handler = onEvent;
    },
    async stop() {
      handler = null;
    },
    directChatId: (userId) => `dm:${userId}`,
    async send(target: SendTarget, message: OutboundMessage): Promise<SendResult> {
      opts.output({ chatId: target.chatId, message, rendered: renderConsole(message) });
      return { messageId: `out-${randomUUID()}` };
    },
    async say(as, text, chat, at) {
      if (!handler) throw new Error("console adapter is not started");
      const id = bare(as);
      if (!id) throw new Error("an identity is required, e.g. console:zhou");
      const group = chat ? bare(chat) : undefined;
      // In a group the hub is addressed as @伙伴通 (or @bot); in a private chat every message is for it.
      const mentioned = !group || text.search(BOT_MENTION) >= 0;
      text = text.replace(BOT_MENTION, " ").trim();
      const accepted = await handler({
        type: "message",
        platform: "console",
        messageId: `in-${randomUUID()}`,
        chat: group ? { id: group, kind: "group" } : { id: directChatId(id), kind: "direct" },
        sender: { id, name: id },
        at: at ?? now(),
        text,
        contentType: "text",
        mentioned,
        // "@alice" names the console identity console:alice.
        // Not the middle of an e-mail address (wq@abc.example): a mention starts the text or follows a space.
        mentions: [...text.matchAll(/(?:^|\s)@([\w.-]+)/g)].map((m) => ({ id: m[1], name: m[1] })),
      });
      // A script (or a person at the terminal) waits for the answer, not only for the message to be kept.
      await accepted.handled;
    },
  };
}
