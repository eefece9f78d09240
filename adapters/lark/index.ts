// Lark/Feishu through @larksuiteoapi/node-sdk: events by webhook (POST /lark/events, encrypted and
// signed) or by long connection (WSClient); messages and cards sent with the SDK's Client.
import { createHash, randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import * as lark from "@larksuiteoapi/node-sdk";
import type { Logger } from "pino";
import { AdapterError, type Adapter, type InboundEvent, type InboundHandler, type OutboundMessage, type SendResult, type SendTarget } from "../contract.ts";
import { LARK_CAPABILITIES } from "./capabilities.ts";
import { fromMessageEvent, type LarkMessageEvent } from "./inbound.ts";
import { sdkLogger } from "../sdk-logger.ts";
import { renderLark } from "./render.ts";
import { readBody } from "../http-body.ts";
import { openLarkRequest } from "./webhook.ts";

export const LARK_EVENTS_PATH = "/lark/events";
/** Webhook bodies are small JSON; anything bigger is not from Lark. */
export const LARK_MAX_BODY_BYTES = 1024 * 1024;
/** Codes meaning the tenant token is no longer valid: drop it and fetch a new one (open.feishu.cn, 通用错误码). */
const TOKEN_INVALID_CODES = new Set([99991661, 99991663, 99991664, 99991668]);
const RATE_LIMIT_CODES = new Set([99991400, 11232, 230020]);
const NOT_IN_CHAT_CODES = new Set([230002, 230001, 232009]);

export interface LarkOptions {
  appId: string;
  appSecret: string;
  encryptKey?: string;
  verificationToken?: string;
  /** "feishu", "lark", or a base URL (a local stand-in in tests). */
  domain: string;
  mode: "webhook" | "ws";
  logger: Logger;
  /** The clock a request's x-lark-request-timestamp is checked against (ms); injected in tests. */
  now?: () => number;
}

/** The SDK's token cache, with a way to forget the token when Lark says it expired early. */
class TokenCache implements lark.Cache {
  #values = new Map<string | Symbol, { value: unknown; expire: number }>();
  async set(key: string | Symbol, value: unknown, expire?: number) {
    this.#values.set(key, { value, expire: expire ?? Infinity });
    return true;
  }
  async get(key: string | Symbol) {
    const v = this.#values.get(key);
    return v && v.expire > Date.now() ? v.value : undefined;
  }
  clear() {
    this.#values.clear();
  }
}

const domainOf = (d: string) => (d === "lark" ? lark.Domain.Lark : d === "feishu" ? lark.Domain.Feishu : d.replace(/\/$/, ""));

/** Why the first call to Lark failed, naming Lark: the CLI prints it as one line. */
function startError(err: unknown, domain: string): AdapterError {
  const e = err as { code?: string; response?: { status?: number } };
  const status = e.response?.status;
  if (!e.response) return new AdapterError("transient", `Lark unreachable at ${domain} (${e.code ?? "no answer"})`, undefined, true);
  if (status === 401 || status === 403) return new AdapterError("unauthorized", `Lark refused the app credentials (HTTP ${status})`);
  return new AdapterError((status ?? 0) >= 500 ? "transient" : "invalid", `Lark answered HTTP ${status} at start`);
}

export function createLarkAdapter(opts: LarkOptions): Adapter {
  const cache = new TokenCache();
  const client = new lark.Client({ appId: opts.appId, appSecret: opts.appSecret, domain: domainOf(opts.domain), cache, loggerLevel: lark.LoggerLevel.error, logger: sdkLogger(opts.logger, "lark") });
  const dispatcher = new lark.EventDispatcher({ encryptKey: opts.encryptKey, verificationToken: opts.verificationToken, loggerLevel: lark.LoggerLevel.error, logger: sdkLogger(opts.logger, "lark") });
  let botOpenId = "";
  let handler: InboundHandler | null = null;
  let ws: lark.WSClient | null = null;

  // Stored, then acknowledged, then answered: Lark wants an answer within 3 s, and a 200 (or the long
  // connection's code 200) promises the event is kept; the hub's answering happens after it. A failure to
  // store throws: the webhook answers 500 (the long connection code 500) and Lark delivers it again.
  const deliver = async (event: InboundEvent | null): Promise<void> => {
    if (!event) return;
    if (!handler) throw new Error("lark adapter is not started");
    await handler(event);
  };

  dispatcher.register({
    "im.message.receive_v1": async (data: unknown) => {
      await deliver(fromMessageEvent(data as LarkMessageEvent, botOpenId));
    },
    "im.chat.member.user.added_v1": async (data: unknown) => {
      const d = data as { event_id?: string; chat_id: string; operator_id?: { open_id?: string }; users?: { name?: string; user_id?: { open_id?: string } }[] };
      const members = (d.users ?? []).map((u) => ({ id: u.user_id?.open_id ?? "", name: u.name })).filter((m) => m.id);
      if (!members.length) return;
      await deliver({
        type: "member_joined",
        platform: "lark",
        messageId: `join:${d.event_id ?? `${d.chat_id}:${members.map((m) => m.id).join(",")}`}`,
        chat: { id: d.chat_id, kind: "group" },
        sender: { id: d.operator_id?.open_id ?? members[0].id },
        at: new Date(),
        members,
      });
    },
    "card.action.trigger": async (data: unknown) => {
      const d = data as { event_id?: string; operator: { open_id: string }; action: { value?: { actionId?: string; value?: string } }; context?: { open_message_id?: string; open_chat_id?: string } };
      if (!d.context?.open_chat_id || !d.action.value?.actionId) return {};
      await deliver({
        type: "action",
        platform: "lark",
        messageId: `card:${d.event_id ?? `${d.context.open_message_id}:${d.operator.open_id}:${d.action.value.actionId}`}`,
        chat: { id: d.context.open_chat_id, kind: "group" },
        sender: { id: d.operator.open_id },
        at: new Date(),
        actionId: d.action.value.actionId,
        value: String(d.action.value.value ?? ""),
      });
      return { toast: { type: "success", content: "已收到" } };
    },
  });

  async function handleWebhook(req: IncomingMessage, res: ServerResponse) {
    const refuse = (status: number, kind: string, reason: string) => {
      opts.logger.warn({ kind, path: LARK_EVENTS_PATH, status, reason }, "lark webhook refused");
      res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify({ error: reason }));
    };
    if (!String(req.headers["content-type"] ?? "").startsWith("application/json")) return refuse(415, "content_type", "content-type must be application/json");
    const raw = await readBody(req, LARK_MAX_BODY_BYTES);
    if (raw === null) return refuse(413, "too_large", "body too large");
    const request = openLarkRequest(req.headers, raw.toString("utf8"), opts, (opts.now ?? Date.now)());
    if (request.outcome === "refused") return refuse(request.status, request.kind, request.reason);
    // The URL check Lark makes when the endpoint is saved: echo the challenge.
    if (request.outcome === "challenge") {
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ challenge: request.challenge }));
      return;
    }
    const { eventType, body } = request;
    if (!dispatcher.handles.has(eventType)) {
      opts.logger.info({ eventType }, "lark event type not handled; acknowledged");
      res.writeHead(200, { "content-type": "application/json" }).end("{}");
      return;
    }
    const data = Object.assign(Object.create({ headers: req.headers }), body);
    const answer = await dispatcher.invoke(data, { needCheck: false });
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(answer ?? {}));
  }

  /**
   * One API call. A 429 or 5xx is reported as retryable (with Lark's hint) and the outbox retries it, with
   * its one retry policy and limiter; only an expired token is refreshed and the call made again at once.
   */
  async function call(fn: () => Promise<{ code?: number; msg?: string; data?: { message_id?: string } }>): Promise<string> {
    for (let tokenRefreshed = false; ; tokenRefreshed = true) {
      try {
        const r = await fn();
        if (!r.code) return r.data?.message_id ?? "";
        if (TOKEN_INVALID_CODES.has(r.code) && !tokenRefreshed) {
          cache.clear();
          continue;
        }
        if (RATE_LIMIT_CODES.has(r.code)) throw new AdapterError("rate_limited", `Lark ${r.code}: ${r.msg}`, 1000);
        if (NOT_IN_CHAT_CODES.has(r.code)) throw new AdapterError("not_found", `Lark ${r.code}: ${r.msg}`);
        if (TOKEN_INVALID_CODES.has(r.code)) throw new AdapterError("unauthorized", `Lark ${r.code}: ${r.msg}`);
        throw new AdapterError("invalid", `Lark ${r.code}: ${r.msg}`);
      } catch (e) {
        if (e instanceof AdapterError) throw e;
        const resp = (e as { response?: { status?: number; headers?: Record<string, string> } }).response;
        if (resp?.status === 429) throw new AdapterError("rate_limited", "Lark answered 429", Number(resp.headers?.["x-ogw-ratelimit-reset"] ?? 1) * 1000);
        if (!resp) throw new AdapterError("transient", `Lark unreachable: ${(e as Error).message}`, undefined, true);
        if ((resp.status ?? 0) >= 500) throw new AdapterError("transient", `Lark failing: ${(e as Error).message}`);
        throw new AdapterError("invalid", `Lark HTTP ${resp.status}: ${(e as Error).message}`);
      }
    }
  }

  return {
    platform: "lark",
    capabilities: LARK_CAPABILITIES,
    http: opts.mode === "webhook" ? { path: LARK_EVENTS_PATH, handle: handleWebhook } : undefined,
    async start(onEvent) {
      const info = (await client.request({ method: "GET", url: "/open-apis/bot/v3/info" }).catch((err: unknown) => {
        throw startError(err, opts.domain);
      })) as { code?: number; msg?: string; bot?: { open_id?: string } };
      if (info.code) throw new AdapterError("unauthorized", `Lark bot info failed: ${info.code} ${info.msg}`);
      botOpenId = info.bot?.open_id ?? "";
      handler = onEvent;
      if (opts.mode === "ws") {
        ws = new lark.WSClient({ appId: opts.appId, appSecret: opts.appSecret, domain: domainOf(opts.domain), loggerLevel: lark.LoggerLevel.warn, logger: sdkLogger(opts.logger, "lark") });
        await ws.start({ eventDispatcher: dispatcher });
      }
    },
    async stop() {
      handler = null;
      ws?.close();
    },
    async send(target: SendTarget, message: OutboundMessage): Promise<SendResult> {
      const body = renderLark(message);
      // Lark drops a second create with the same uuid (at most 50 characters) within an hour.
      const idempotency = (t: SendTarget) => (t.idempotencyKey ? { uuid: createHash("sha256").update(t.idempotencyKey).digest("hex").slice(0, 40) } : {});
      const messageId = await call(() =>
        target.threadId
          ? client.im.v1.message.reply({ path: { message_id: target.threadId }, data: { ...body, reply_in_thread: true, ...idempotency(target) } })
          : // A person (open_id ou_…) is reached privately by id; groups and chats (oc_…) by chat_id.
            client.im.v1.message.create({ params: { receive_id_type: target.chatId.startsWith("ou_") ? "open_id" : "chat_id" }, data: { receive_id: target.chatId, ...body, ...idempotency(target) } }),
      );
      // Lark always returns a message_id; should it not, a unique stand-in keeps the history row.
      return { messageId: messageId || `lark-out-${randomUUID()}` };
    },
  };
}
