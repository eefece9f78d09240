// Reading a webhook body with a size cap, shared by the Slack and Lark routes.
import type { IncomingMessage } from "node:http";

/** The body as a Buffer, or null when it exceeds `limit` (drained, not kept, so a 413 can still be sent). */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size <= limit) chunks.push(c);
    });
    req.on("end", () => resolve(size > limit ? null : Buffer.concat(chunks)));
    // A client that hangs up mid-body: the listener also keeps the 'error' from being thrown.
    req.on("error", reject);
  });
}

/** A JSON object (not null, an array, a string or a number): the only shape a platform event has. */
export const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
