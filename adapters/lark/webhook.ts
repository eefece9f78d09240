// What the Lark webhook accepts, decided before anything reads the event: only what Lark itself sends once
// an Encrypt Key is set (open.feishu.cn, 事件订阅: 安全校验). Events come encrypted and signed; the URL check
// (url_verification) comes encrypted, and Lark's docs exempt it from the signature, so it is answered when it
// decrypts with our key (and carries our verification token). Anything else is refused with a status and a
// kind for the log; no body text is ever repeated.
import { isObject } from "../http-body.ts";
import { checkLarkEventShape } from "./shape.ts";
import { checkLarkSignature, decryptLarkBody } from "./verify.ts";

export type LarkRequest =
  | { outcome: "refused"; status: 400 | 401; kind: string; reason: string }
  | { outcome: "challenge"; challenge: unknown }
  | { outcome: "event"; eventType: string; body: Record<string, unknown> };

const refused = (status: 400 | 401, kind: string, reason: string): LarkRequest => ({ outcome: "refused", status, kind, reason });

export function openLarkRequest(
  headers: Record<string, string | string[] | undefined>,
  raw: string,
  keys: { encryptKey?: string; verificationToken?: string },
  nowMs: number,
): LarkRequest {
  // Without the key nothing can be verified; the configuration check at start makes this unreachable.
  if (!keys.encryptKey) return refused(401, "no_encrypt_key", "LARK_ENCRYPT_KEY is not set");
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch {
    return refused(400, "malformed_json", "malformed JSON");
  }
  if (!isObject(body)) return refused(400, "not_an_object", "body is not a JSON object");
  // With an Encrypt Key set Lark encrypts every push: a plaintext body is not from Lark.
  if (typeof body.encrypt !== "string") return refused(401, "not_encrypted", "plaintext event; Lark encrypts every event once an Encrypt Key is set");

  const signature = checkLarkSignature(headers, raw, keys.encryptKey, nowMs);
  if (signature === "bad_signature") return refused(401, "bad_signature", "bad signature");
  if (signature === "stale_timestamp") return refused(401, "stale_timestamp", "timestamp outside the allowed window");
  let plain: unknown;
  try {
    plain = decryptLarkBody(body.encrypt, keys.encryptKey);
  } catch {
    // An unsigned body is told apart from nothing else: the same answer whether or not it decrypts.
    return signature === "unsigned" ? refused(401, "unsigned", "unsigned event") : refused(400, "cannot_decrypt", "cannot decrypt");
  }
  if (!isObject(plain)) return signature === "unsigned" ? refused(401, "unsigned", "unsigned event") : refused(400, "not_an_object", "decrypted body is not a JSON object");

  const header = isObject(plain.header) ? plain.header : {};
  const token = header.token ?? plain.token;
  if (plain.type === "url_verification") {
    if (keys.verificationToken && token !== keys.verificationToken) return refused(401, "bad_token", "bad verification token");
    return { outcome: "challenge", challenge: plain.challenge };
  }
  if (signature === "unsigned") return refused(401, "unsigned", "unsigned event");
  if (keys.verificationToken && token !== keys.verificationToken) return refused(401, "bad_token", "bad verification token");
  const shape = checkLarkEventShape(plain);
  if (!shape.ok) return refused(400, "bad_shape", `event without ${shape.missing}`);
  return { outcome: "event", eventType: shape.eventType, body };
}
