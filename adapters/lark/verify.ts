// Lark/Feishu webhook verification, as pure functions (open.feishu.cn, 事件订阅: 安全校验).
//   signature = sha256hex(timestamp + nonce + encryptKey + rawBody), in x-lark-signature
//   encrypted body = {"encrypt": base64(iv16 || AES-256-CBC(json, key = sha256(encryptKey)))}
// The signature covers the timestamp, so an old request replayed is refused by its age, as Slack does.
import { createDecipheriv, createHash, timingSafeEqual } from "node:crypto";

export function larkSignature(timestamp: string, nonce: string, encryptKey: string, rawBody: string): string {
  return createHash("sha256").update(timestamp + nonce + encryptKey + rawBody).digest("hex");
}

export function verifyLarkSignature(headers: Record<string, string | string[] | undefined>, rawBody: string, encryptKey: string): boolean {
  const [ts, nonce, sig] = ["x-lark-request-timestamp", "x-lark-request-nonce", "x-lark-signature"].map((h) => headers[h]);
  if (typeof ts !== "string" || typeof nonce !== "string" || typeof sig !== "string") return false;
  const expected = Buffer.from(larkSignature(ts, nonce, encryptKey, rawBody));
  const given = Buffer.from(sig);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/** How far x-lark-request-timestamp may be from our clock, either way: Slack's rule (5 minutes), kept for Lark. */
export const LARK_TIMESTAMP_WINDOW_MS = 5 * 60 * 1000;

export type LarkSignatureCheck = "ok" | "unsigned" | "bad_signature" | "stale_timestamp";

/** Signature and age of one request; `nowMs` is the caller's clock. */
export function checkLarkSignature(
  headers: Record<string, string | string[] | undefined>,
  rawBody: string,
  encryptKey: string,
  nowMs: number,
  windowMs = LARK_TIMESTAMP_WINDOW_MS,
): LarkSignatureCheck {
  const names = ["x-lark-request-timestamp", "x-lark-request-nonce", "x-lark-signature"];
  if (names.every((h) => headers[h] === undefined)) return "unsigned";
  if (!verifyLarkSignature(headers, rawBody, encryptKey)) return "bad_signature";
  const ts = String(headers["x-lark-request-timestamp"]);
  if (!/^\d{1,12}$/.test(ts) || Math.abs(nowMs - Number(ts) * 1000) > windowMs) return "stale_timestamp";
  return "ok";
}

export function decryptLarkBody(encrypt: string, encryptKey: string): unknown {
  const key = createHash("sha256").update(encryptKey).digest();
  const buf = Buffer.from(encrypt, "base64");
  const decipher = createDecipheriv("aes-256-cbc", key, buf.subarray(0, 16));
  return JSON.parse(Buffer.concat([decipher.update(buf.subarray(16)), decipher.final()]).toString("utf8"));
}
