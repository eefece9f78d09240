// WeChat through wechaty: the puppet is chosen by configuration (WECHATY_PUPPET), the login QR is
// printed on the terminal and logged as a link. Sends are paced, with jitter, by the outbox (capabilities.ts):
// the adapter sends when it is told to.
import { randomUUID } from "node:crypto";
import qrcodeTerminal from "qrcode-terminal";
import { WechatyBuilder, type types as WechatyTypes } from "wechaty";
import type { Logger } from "pino";
import { AdapterError, type Adapter, type ContentType, type InboundEvent, type InboundHandler, type OutboundMessage, type SendResult, type SendTarget } from "../contract.ts";
import { wechatCapabilities } from "./capabilities.ts";
import { READY_TIMEOUT_MS, WechatSession } from "./session.ts";
import { renderWechat } from "./render.ts";

export interface WechatOptions {
  /** A puppet package name (wechaty-puppet-wechat4u, wechaty-puppet-service, ...) or a puppet instance. */
  puppet: string | object;
  puppetToken?: string;
  logger: Logger;
  /** The outbox paces WeChat at this many messages a minute (its capabilities.rateLimit). */
  perMinute?: number;
  /** Where the login QR code is drawn; stderr by default. */
  drawQr?: (qr: string) => void;
  /** How long to wait for the puppet's "ready" after a login before re-attaching bindings anyway. */
  readyTimeoutMs?: number;
}

/**
 * While logged out (waiting for a QR scan) or re-attaching after a login, sends are retried rather
 * than failed: the account comes back, and what was queued for it should reach it then.
 */
export const LOGGED_OUT_RETRY_MS = 10 * 60_000;
export const SETTLING_RETRY_MS = 30_000;

// wechaty's MessageType enum values (wechaty-puppet types.Message).
const CONTENT: Record<number, [ContentType, string]> = {
  1: ["file", "[文件]"], // Attachment
  2: ["voice", "[语音]"], // Audio
  5: ["sticker", "[表情]"], // Emoticon
  6: ["image", "[图片]"], // Image
  15: ["video", "[视频]"], // Video
};
const TEXT_TYPE = 7;

export function createWechatAdapter(opts: WechatOptions): Adapter {
  const bot = WechatyBuilder.build({
    name: "partner-hub",
    puppet: opts.puppet as never,
    ...(opts.puppetToken ? { puppetOptions: { token: opts.puppetToken } } : {}),
  });
  let handler: InboundHandler | null = null;
  const session = new WechatSession(bot, opts.logger, opts.readyTimeoutMs ?? READY_TIMEOUT_MS);

  // After a login, events wait until the hub has re-attached its bindings to the new session's ids.
  // WeChat has no acknowledgement to withhold: an event that could not be stored is logged (by id).
  const deliver = async (event: InboundEvent): Promise<void> => {
    await session
      .after(async () => {
        await handler?.(event);
      })
      .catch((err) => opts.logger.error({ err, messageId: event.messageId }, "wechat event not stored"));
  };

  bot.on("scan", (qrcode: string, status: WechatyTypes.ScanStatus) => {
    const url = `https://wechaty.js.org/qrcode/${encodeURIComponent(qrcode)}`;
    opts.logger.info({ status, url }, "scan the QR code with the WeChat account the hub should use");
    (opts.drawQr ?? ((qr) => qrcodeTerminal.generate(qr, { small: true }, (s: string) => process.stderr.write(`${s}\n`))))(qrcode);
  });
  bot.on("login", (user) => {
    opts.logger.info({ account: user.name() }, "wechat logged in");
    session.loggedIn();
  });
  bot.on("logout", (user) => opts.logger.warn({ account: user.name() }, "wechat logged out"));
  // wechaty emits harmless errors (e.g. "no payload found" on room-join); unhandled they would crash Node.
  bot.on("error", (err) => opts.logger.warn({ err: String(err) }, "wechaty error"));

  bot.on("message", async (msg) => {
    if (msg.self()) return; // our own sends come back as messages
    const room = msg.room();
    const talker = msg.talker();
    const type = msg.type() as number;
    const [contentType, placeholder] = type === TEXT_TYPE ? (["text", ""] as const) : (CONTENT[type] ?? ["other", "[其他消息]"]);
    if (room) session.roomSeen(room.id);
    const text = type === TEXT_TYPE ? (room ? await msg.mentionText() : msg.text()) : placeholder;
    await deliver({
      type: "message",
      platform: "wechat",
      messageId: msg.id,
      chat: room ? { id: room.id, kind: "group", title: await room.topic() } : { id: talker.id, kind: "direct" },
      sender: { id: talker.id, name: talker.name() },
      at: msg.date(),
      text: text.trim(),
      contentType,
      mentioned: room ? await msg.mentionSelf() : true,
      mentions: room ? (await msg.mentionList()).filter((c) => !c.self()).map((c) => ({ id: c.id, name: c.name() })) : [],
    });
  });

  bot.on("room-join", async (room, invitees, inviter) => {
    const members = invitees.filter((c) => !c.self()).map((c) => ({ id: c.id, name: c.name() }));
    if (!members.length) return;
    await deliver({
      type: "member_joined",
      platform: "wechat",
      messageId: `join:${room.id}:${members.map((m) => m.id).join(",")}:${randomUUID()}`,
      chat: { id: room.id, kind: "group", title: await room.topic() },
      sender: { id: inviter.id, name: inviter.name() },
      at: new Date(),
      members,
    });
  });

  async function sayTo(chatId: string, text: string): Promise<string> {
    const id = session.translate(chatId);
    const target = (await bot.Room.find({ id })) ?? (await bot.Contact.find({ id }));
    if (!target) throw new AdapterError("not_found", `WeChat chat ${chatId} not found (is the account still in it?)`);
    const sent = await target.say(text);
    return (sent && typeof sent === "object" && "id" in sent ? String(sent.id) : "") || `wx-out-${randomUUID()}`;
  }

  return {
    platform: "wechat",
    capabilities: wechatCapabilities(opts.perMinute),
    session,
    async start(onEvent) {
      handler = onEvent;
      await bot.start();
    },
    async stop() {
      handler = null;
      await bot.stop();
    },
    async send(target: SendTarget, message: OutboundMessage): Promise<SendResult> {
      if (!bot.isLoggedIn) throw new AdapterError("transient", "WeChat account is not logged in (waiting for a QR scan)", LOGGED_OUT_RETRY_MS);
      if (session.settling) throw new AdapterError("transient", "WeChat is re-attaching chats after a login", SETTLING_RETRY_MS);
      const ids: string[] = [];
      try {
        for (const part of renderWechat(message)) ids.push(await sayTo(target.chatId, part));
      } catch (err) {
        if (err instanceof AdapterError) throw err;
        throw new AdapterError("transient", `WeChat send failed: ${(err as Error).message}`);
      }
      return { messageId: ids[0] };
    },
  };
}
