// Slack through @slack/bolt: HTTP mode (signed requests to POST /slack/events on the hub's server) or
// Socket Mode (SLACK_APP_TOKEN). Bolt verifies signatures; we normalise and hand to the hub, and the HTTP
// answer goes only once the hub has stored the event (processBeforeResponse): a 200 means it is kept.
import { App, HTTPReceiver, LogLevel, webApi } from "@slack/bolt";
import type { Logger } from "pino";
import { AdapterError, type Adapter, type InboundHandler, type OutboundMessage, type SendResult, type SendTarget } from "../contract.ts";
import { SLACK_CAPABILITIES } from "./capabilities.ts";
import { slackEventsRoute } from "./http.ts";
import { fromMessageEvent, mentionsIn, plainText, type SlackMessageEvent } from "./inbound.ts";
import { renderSlack } from "./render.ts";
import { sdkLogger } from "../sdk-logger.ts";

export const SLACK_EVENTS_PATH = "/slack/events";

export interface SlackOptions {
  botToken: string;
  signingSecret?: string;
  /** Socket Mode instead of HTTP when set (xapp-...). */
  appToken?: string;
  /** Web API base URL, e.g. a local stand-in: http://127.0.0.1:PORT/api/ */
  apiUrl?: string;
  logger: Logger;
  /** Retries for 5xx and network errors; 429s are always retried after Slack's Retry-After. */
  retries?: number;
}

/**
 * The Web API client warns at every failed attempt; the adapter reports the call's failure itself (one
 * line at start, a send's AdapterError), so the attempts are debug detail.
 */
const QUIET = { debug: [/^http request failed\b/] };

/** Message metadata event type marking the hub's outbox deliveries. */
const DELIVERY_EVENT = "partner_hub_delivery";

/** The Web API's address when SLACK_API_URL is unset. */
const DEFAULT_API_URL = "https://slack.com/api/";

/** An API address fit for an operator's screen: a proxy's password masked. */
function shownAddress(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return url;
  }
}

function toAdapterError(err: unknown, apiUrl = DEFAULT_API_URL): AdapterError {
  const e = err as { code?: string; data?: { error?: string }; retryAfter?: number; statusCode?: number; message?: string; original?: { message?: string; cause?: { code?: string; message?: string } } };
  const reason = e.data?.error ?? e.message ?? String(err);
  switch (e.code) {
    case "slack_webapi_rate_limited_error":
      return new AdapterError("rate_limited", `Slack rate limited: ${reason}`, (e.retryAfter ?? 1) * 1000);
    case "slack_webapi_request_error": {
      // The SDK wraps fetch's error ("fetch failed"), whose cause says what happened (ECONNREFUSED).
      const why = e.original?.cause?.code ?? e.original?.cause?.message ?? e.original?.message ?? "no answer";
      return new AdapterError("transient", `Slack unreachable at ${shownAddress(apiUrl)} (${why})`, undefined, true);
    }
    case "slack_webapi_http_error":
      return new AdapterError((e.statusCode ?? 500) >= 500 ? "transient" : "invalid", `Slack HTTP ${e.statusCode}: ${reason}`);
    case "slack_webapi_platform_error":
      if (["invalid_auth", "not_authed", "token_revoked", "token_expired", "account_inactive"].includes(reason)) {
        return new AdapterError("unauthorized", `Slack refused the token: ${reason}`);
      }
      if (["channel_not_found", "not_in_channel", "user_not_found", "is_archived"].includes(reason)) {
        return new AdapterError("not_found", `Slack: ${reason}`);
      }
      return new AdapterError("invalid", `Slack refused the message: ${reason}`);
    default:
      return new AdapterError("transient", `Slack: ${reason}`);
  }
}

export function createSlackAdapter(opts: SlackOptions): Adapter {
  const socketMode = Boolean(opts.appToken);
  const receiver = socketMode
    ? undefined
    : // Bolt answers after the listeners finish, and they finish once the event is stored (not answered).
      new HTTPReceiver({ signingSecret: opts.signingSecret ?? "", endpoints: SLACK_EVENTS_PATH, logLevel: LogLevel.WARN, processBeforeResponse: true });
  const app = new App({
    token: opts.botToken,
    ...(socketMode ? { socketMode: true, appToken: opts.appToken } : { receiver }),
    logLevel: LogLevel.WARN,
    logger: sdkLogger(opts.logger, "slack", QUIET),
    // Bolt's constructor would call auth.test and leave its failure unhandled (the process dies on a
    // bad token or an unreachable Slack); start() runs init() and reports it instead.
    deferInitialization: true,
    clientOptions: {
      ...(opts.apiUrl ? { slackApiUrl: opts.apiUrl } : {}),
      retryConfig: { retries: opts.retries ?? 3, factor: 2, minTimeout: 200, maxTimeout: 2000 },
    },
  });
  // Posting gets a client of its own that never retries by itself: a post whose answer was lost would be
  // posted again unseen. The outbox retries instead, after checking (findSent). It gives up before the
  // outbox's send timeout and hands a 429 back rather than waiting it out inside one call.
  const poster = new webApi.WebClient(opts.botToken, {
    ...(opts.apiUrl ? { slackApiUrl: opts.apiUrl } : {}),
    retryConfig: { retries: 0 },
    timeout: 30_000,
    rejectRateLimitedCalls: true,
    logLevel: LogLevel.WARN,
    logger: sdkLogger(opts.logger, "slack", QUIET),
  });
  const bot = { userId: "", botId: undefined as string | undefined };
  const names = new Map<string, string>();
  let handler: InboundHandler | null = null;

  async function nameOf(userId: string): Promise<string | undefined> {
    if (!names.has(userId)) {
      try {
        const info = await app.client.users.info({ user: userId });
        const u = info.user;
        names.set(userId, u?.profile?.display_name || u?.real_name || u?.name || userId);
      } catch (err) {
        opts.logger.warn({ err, userId }, "slack users.info failed");
        return undefined;
      }
    }
    return names.get(userId);
  }

  /**
   * Resolves once the hub has stored the event; the answer to Slack waits for that. A failure to store
   * rejects, Bolt answers 500, and Slack delivers the event again (with x-slack-retry-num).
   */
  async function deliver(event: Parameters<InboundHandler>[0]): Promise<void> {
    if (!handler) throw new Error("slack adapter is not started");
    await handler(event);
  }

  const onMessage = async ({ event }: { event: unknown }) => {
    const e = event as SlackMessageEvent;
    if (e.user) await nameOf(e.user);
    const inbound = fromMessageEvent(e, bot, names);
    if (inbound) await deliver(inbound);
  };
  app.event("message", onMessage);
  // In channels an @mention arrives twice (message and app_mention); both carry the same ts, so the
  // hub's dedupe on messageId keeps one.
  app.event("app_mention", onMessage);

  app.event("member_joined_channel", async ({ event }) => {
    if (event.user === bot.userId) return;
    await deliver({
      type: "member_joined",
      platform: "slack",
      messageId: `join:${event.channel}:${event.user}:${event.event_ts}`,
      chat: { id: event.channel, kind: "group" },
      sender: { id: event.inviter ?? event.user },
      at: new Date(Number(event.event_ts) * 1000),
      members: [{ id: event.user, name: await nameOf(event.user) }],
    });
  });

  app.command(/.*/, async ({ command, ack }) => {
    await ack(); // held by Bolt until the listener is done: the event is stored by then
    await deliver({
      type: "command",
      platform: "slack",
      messageId: `cmd:${command.trigger_id}`,
      chat: { id: command.channel_id, kind: command.channel_id.startsWith("D") ? "direct" : "group", title: command.channel_name },
      sender: { id: command.user_id, name: command.user_name },
      at: new Date(),
      name: command.command.replace(/^\//, ""),
      args: plainText(command.text ?? "", bot.userId),
      mentions: mentionsIn(command.text ?? "", bot.userId, names),
    });
  });

  app.action(/.*/, async ({ ack, body, action }) => {
    await ack();
    const b = body as { trigger_id?: string; user: { id: string; name?: string }; channel?: { id: string }; container?: { thread_ts?: string; message_ts?: string } };
    const a = action as { action_id: string; value?: string; action_ts?: string };
    if (!b.channel) return;
    await deliver({
      type: "action",
      platform: "slack",
      messageId: `act:${b.trigger_id ?? `${b.container?.message_ts}:${b.user.id}:${a.action_ts}`}`,
      chat: { id: b.channel.id, kind: b.channel.id.startsWith("D") ? "direct" : "group" },
      sender: { id: b.user.id, name: b.user.name },
      at: a.action_ts ? new Date(Number(a.action_ts) * 1000) : new Date(),
      threadId: b.container?.thread_ts,
      actionId: a.action_id,
      value: a.value ?? "",
    });
  });

  // A listener fails only when the event could not be stored: Bolt must then answer 500, not 200.
  app.error(async (err) => {
    opts.logger.error({ err }, "slack event not stored");
    throw err;
  });

  return {
    platform: "slack",
    capabilities: SLACK_CAPABILITIES,
    http: receiver ? { path: SLACK_EVENTS_PATH, handle: slackEventsRoute(receiver, { path: SLACK_EVENTS_PATH, signingSecret: opts.signingSecret ?? "", logger: opts.logger }) } : undefined,
    async start(onEvent) {
      const auth = await app
        .init()
        .then(() => app.client.auth.test())
        .catch((err: unknown) => {
          throw toAdapterError(err, opts.apiUrl);
        });
      bot.userId = auth.user_id ?? "";
      bot.botId = auth.bot_id;
      handler = onEvent;
      if (socketMode) await app.start();
    },
    async stop() {
      handler = null;
      if (socketMode) await app.stop();
    },
    async send(target: SendTarget, message: OutboundMessage): Promise<SendResult> {
      const { text, blocks } = renderSlack(message);
      try {
        if (target.ephemeralTo) {
          const r = await poster.chat.postEphemeral({ channel: target.chatId, user: target.ephemeralTo, text, blocks: blocks as never, thread_ts: target.threadId });
          return { messageId: `${target.chatId}:eph:${r.message_ts}` };
        }
        // The delivery key rides along as message metadata, so a resend after a crash can look for it first.
        const metadata = target.idempotencyKey ? { event_type: DELIVERY_EVENT, event_payload: { key: target.idempotencyKey } } : undefined;
        const r = await poster.chat.postMessage({ channel: target.chatId, text, blocks: blocks as never, thread_ts: target.threadId, metadata });
        return { messageId: `${r.channel ?? target.chatId}:${r.ts}` };
      } catch (err) {
        throw toAdapterError(err, opts.apiUrl);
      }
    },
    async findSent(target: SendTarget, key: string, since: Date): Promise<string | null> {
      try {
        // A user id (U…) was sent to as a DM: its history is the DM channel's. A thread's replies are not in
        // the channel's history, only in conversations.replies.
        const channel = /^[UW]/.test(target.chatId) ? ((await app.client.conversations.open({ users: target.chatId })).channel?.id ?? target.chatId) : target.chatId;
        const oldest = String(since.getTime() / 1000);
        let cursor: string | undefined;
        do {
          const r = target.threadId
            ? await app.client.conversations.replies({ channel, ts: target.threadId, oldest, include_all_metadata: true, limit: 200, cursor })
            : await app.client.conversations.history({ channel, oldest, include_all_metadata: true, limit: 200, cursor });
          const found = r.messages?.find((m) => m.metadata?.event_type === DELIVERY_EVENT && (m.metadata.event_payload as { key?: string } | undefined)?.key === key);
          if (found?.ts) return `${channel}:${found.ts}`; // as send() names it: the channel it landed in
          cursor = r.response_metadata?.next_cursor || undefined;
        } while (cursor);
        return null;
      } catch (err) {
        throw toAdapterError(err, opts.apiUrl);
      }
    },
  };
}
