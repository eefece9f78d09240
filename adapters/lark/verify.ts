// Lark/Feishu webhook verification, as pure functions (open.feishu.cn, 事件订阅: 安全校验).
//   signature = sha256hex(timestamp + nonce + encryptKey + rawBody), in x-lark-signature
//   encrypted body = {"encrypt": base64(iv16 || AES-256-CBC(json, key = sha256(encryptKey)))}
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

export function decryptLarkBody(encrypt: string, encryptKey: string): unknown {
  const key = createHash("sha256").update(encryptKey).digest();
  const buf = Buffer.from(encrypt, "base64");
  const decipher = createDecipheriv("aes-256-cbc", key, buf.subarray(0, 16));
  return JSON.parse(Buffer.concat([decipher.update(buf.subarray(16)), decipher.final()]).toString("utf8"));
}
