// POST /slack/events in front of Bolt's HTTPReceiver. Bolt parses a verified body and reads fields off it
// without checking it is an object, in a promise nobody awaits: a signed `null` threw there and killed the
// process. So the body is read, verified and parsed here first, anything but an object is refused with 400,
// and only then is the request handed on, with the bytes attached as `rawBody`, which Bolt's
// bufferIncomingMessage takes instead of reading the (already consumed) stream again.
import type { IncomingMessage, ServerResponse } from "node:http";
import { parse as parseQuery } from "node:querystring";
import { defaultBodyLimit, isValidSlackRequest, type HTTPReceiver } from "@slack/bolt";
import type { Logger } from "pino";
import { isObject, readBody } from "../http-body.ts";
import { slackShapeProblem } from "./shape.ts";

// Bolt's own rule for form bodies: exactly this type, else the body is read as JSON.
const FORM = "application/x-www-form-urlencoded";

type Parsed = { ok: true; body: Record<string, unknown> } | { ok: false; kind: string; missing?: string };

/** The body as Bolt will read it (HTTPModuleFunctions.parseHTTPRequestBody), if it has a shape Slack sends. */
export function parseSlackBody(raw: string, contentType: string | undefined): Parsed {
  let body: unknown;
  let kind: "events" | "command" | "interactive" = "events";
  try {
    if (contentType === FORM) {
      const form = parseQuery(raw);
      kind = form.payload === undefined ? "command" : "interactive";
      body = typeof form.payload === "string" ? JSON.parse(form.payload) : form;
    } else body = JSON.parse(raw);
  } catch {
    return { ok: false, kind: "malformed" };
  }
  if (!isObject(body)) return { ok: false, kind: "not_an_object" };
  const missing = slackShapeProblem(body, kind);
  return missing ? { ok: false, kind: "bad_shape", missing } : { ok: true, body };
}

export function slackEventsRoute(receiver: HTTPReceiver, opts: { path: string; signingSecret: string; logger: Logger; now?: () => number }) {
  return async (req: IncomingMessage, res: ServerResponse) => {
    const refuse = (status: number, kind: string, missing?: string) => {
      opts.logger.warn({ kind, path: opts.path, status, missing }, "slack webhook refused");
      res.writeHead(status).end();
    };
    const raw = await readBody(req, defaultBodyLimit);
    if (raw === null) return refuse(413, "too_large");
    const text = raw.toString("utf8");
    const contentType = req.headers["content-type"];
    // Slack's SSL check comes unsigned (ssl_check=1); Bolt answers it and drops anything smuggled with it.
    const sslCheck = contentType === FORM && parseQuery(text).ssl_check === "1";
    if (!sslCheck) {
      const signature = req.headers["x-slack-signature"];
      const timestamp = Number(req.headers["x-slack-request-timestamp"]);
      const signed =
        typeof signature === "string" &&
        isValidSlackRequest({ signingSecret: opts.signingSecret, body: text, headers: { "x-slack-signature": signature, "x-slack-request-timestamp": timestamp }, nowMilliseconds: opts.now?.() });
      if (!signed) return refuse(401, "bad_signature");
      const parsed = parseSlackBody(text, contentType);
      if (!parsed.ok) return refuse(400, parsed.kind, parsed.missing);
    }
    receiver.requestListener(Object.assign(req, { rawBody: raw }), res);
  };
}
