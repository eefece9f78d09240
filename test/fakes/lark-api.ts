// A local stand-in for the Lark/Feishu Open API that the real SDK Client talks to: tenant tokens,
// bot info, message create and reply. Records sent messages with the token they carried.
import { createCipheriv, createHash, randomBytes } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { larkSignature } from "../../adapters/lark/verify.ts";

export interface LarkSent {
  path: string;
  query: string;
  body: { receive_id?: string; msg_type: string; content: string; reply_in_thread?: boolean; uuid?: string };
  token?: string;
  at: number;
}

export interface FakeLark {
  url: string;
  sent: LarkSent[];
  tokensIssued: number;
  /** The next n message sends fail: with an HTTP status, or HTTP 200 and a Lark error code. */
  failNext(n: number, failure: { status?: number; code?: number; resetSeconds?: number }): void;
  /** Invalidate every token issued so far (as when Lark rotates them early). */
  expireTokens(): void;
  close(): Promise<void>;
}

/** `now` stamps each send (tests pass the hub's clock to check pacing); a repeated uuid is not sent twice. */
export async function startFakeLark(opts: { now?: () => number } = {}): Promise<FakeLark> {
  const now = opts.now ?? Date.now;
  const seenUuids = new Map<string, string>();
  const sent: LarkSent[] = [];
  let tokensIssued = 0;
  let validFrom = 1;
  let failures: { n: number; status?: number; code?: number; resetSeconds?: number } = { n: 0 };
  let msg = 0;
  const server = http.createServer((req, res) => {
    let raw = "";
    req.on("data", (c) => (raw += c));
    req.on("end", () => {
      const [path, query = ""] = (req.url ?? "").split("?");
      const json = (status: number, body: object) => res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
      if (path === "/open-apis/auth/v3/tenant_access_token/internal") {
        tokensIssued++;
        return json(200, { code: 0, msg: "ok", tenant_access_token: `t-${tokensIssued}`, expire: 7200 });
      }
      const token = req.headers.authorization?.replace(/^Bearer /, "");
      if (!token || Number(token.slice(2)) < validFrom) return json(200, { code: 99991663, msg: "Invalid access token for authorization" });
      if (path === "/open-apis/bot/v3/info") return json(200, { code: 0, msg: "ok", bot: { open_id: "ou_bot", app_name: "伙伴通" } });
      if (path === "/open-apis/im/v1/messages" || /^\/open-apis\/im\/v1\/messages\/[^/]+\/reply$/.test(path)) {
        if (failures.n > 0) {
          failures.n--;
          if (failures.resetSeconds) res.setHeader("x-ogw-ratelimit-reset", String(failures.resetSeconds));
          if (failures.status) return json(failures.status, { code: 99991400, msg: "failing on purpose" });
          return json(200, { code: failures.code, msg: "failing on purpose" });
        }
        const body = JSON.parse(raw);
        const again = body.uuid && seenUuids.get(body.uuid);
        if (again) return json(200, { code: 0, msg: "success", data: { message_id: again } });
        sent.push({ path, query, body, token, at: now() });
        const id = `om_${++msg}`;
        if (body.uuid) seenUuids.set(body.uuid, id);
        return json(200, { code: 0, msg: "success", data: { message_id: id } });
      }
      json(404, { code: 404, msg: `no route ${path}` });
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    sent,
    get tokensIssued() {
      return tokensIssued;
    },
    failNext(n, failure) {
      failures = { n, ...failure };
    },
    expireTokens() {
      validFrom = tokensIssued + 1;
    },
    close: () => new Promise((r) => server.close(() => r())),
  };
}

/** What Lark POSTs: the event encrypted with the app's encrypt key, signed in the headers. */
export function encryptedRequest(event: unknown, encryptKey: string, opts: SignOptions = {}) {
  const key = createHash("sha256").update(encryptKey).digest();
  const iv = randomBytes(16);
  const cipher = createCipheriv("aes-256-cbc", key, iv);
  const encrypt = Buffer.concat([iv, cipher.update(JSON.stringify(event), "utf8"), cipher.final()]).toString("base64");
  return signedRequest(JSON.stringify({ encrypt }), encryptKey, opts);
}

export interface SignOptions {
  /** Signed with another key, as a forger would. */
  badSignature?: boolean;
  /** x-lark-request-timestamp, unix seconds (default: now). */
  timestamp?: number;
  /** No signature headers at all (as Lark sends its URL check). */
  unsigned?: boolean;
}

/** Any raw body with Lark's signature headers, as Lark would sign it. */
export function signedRequest(body: string, encryptKey: string, opts: SignOptions = {}): { body: string; headers: Record<string, string> } {
  if (opts.unsigned) return { body, headers: { "content-type": "application/json" } };
  const timestamp = String(opts.timestamp ?? Math.floor(Date.now() / 1000));
  const nonce = randomBytes(8).toString("hex");
  const signature = larkSignature(timestamp, nonce, opts.badSignature ? "not-the-key" : encryptKey, body);
  return {
    body,
    headers: { "content-type": "application/json", "x-lark-request-timestamp": timestamp, "x-lark-request-nonce": nonce, "x-lark-signature": signature },
  };
}
