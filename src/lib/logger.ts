// Structured logs (pino) to stderr, so stdout stays clean for the console and for `say`'s JSON lines.
// Secrets and personal data never reach a log line: known keys are censored, message text is logged
// only as its length, and errors are logged as their kind and code, never as the values they carry
// (a failed batch insert's error holds every row; an axios error holds the request with the app secret).
import pino, { type Logger } from "pino";

export type { Logger };

const SECRET_KEYS = [
  "token",
  "secret",
  "password",
  "databaseUrl",
  "appSecret",
  "app_secret",
  "botToken",
  "appToken",
  "signingSecret",
  "encryptKey",
  "verificationToken",
  "apiKey",
  "authorization",
  "accessToken",
  "access_token",
  "tenant_access_token",
];
const PERSONAL_KEYS = ["phone", "email", "text"];
const REDACT = [...SECRET_KEYS, ...PERSONAL_KEYS].flatMap((k) => [k, `*.${k}`]);

/** Longest error message kept, after cleaning. */
const MAX_MESSAGE_CHARS = 300;
/** Stack frames kept per error: where it happened, not a page of library internals. */
const MAX_FRAMES = 12;
/** How deep `cause` chains are followed. */
const MAX_CAUSES = 3;

const VALUE_PATTERNS: [RegExp, string][] = [
  // Credentials in URLs and query strings, bearer headers, Slack/OpenAI/Lark-style tokens.
  [/\/\/([^\s:/@]+):[^\s@/]*@/g, "//$1:***@"],
  [/([?&][\w.-]*(?:token|secret|key|password|sig|signature|ticket|code)[\w.-]*=)[^&\s"']+/gi, "$1***"],
  [/\bBearer\s+\S+/gi, "Bearer ***"],
  [/\b(?:xox[abposr]|xapp|sk|t|u)-[\w-]{10,}/g, "<token>"],
  [/\b[A-Za-z0-9+_-]{32,}={0,2}/g, "<token>"],
  // Personal data: e-mail addresses and number runs (phones, ID and bank numbers).
  [/[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g, "<email>"],
  [/\+?\d(?:[\s-]?\d){6,}/g, "<number>"],
];

/** Removes credentials, e-mails and number runs from a text meant for a log line. */
export function scrubText(text: string): string {
  let out = text;
  for (const [pattern, replacement] of VALUE_PATTERNS) out = out.replace(pattern, replacement);
  return out;
}

/**
 * An error's message reduced to what names the problem. Prisma renders the whole call (every argument)
 * before its last line; SQL errors quote the offending values (`Key (phone)=(139…)`); JSON errors quote
 * the input. Quoted and parenthesised values go, identifiers in backticks stay.
 */
export function errorMessage(message: unknown): string {
  const lines = String(message ?? "").split("\n").map((l) => l.trim()).filter(Boolean);
  const invocation = lines[0]?.startsWith("Invalid `");
  let m = (invocation ? lines.at(-1) : lines[0]) ?? "";
  m = m
    .replace(/=\([^)]*\)/g, "=(…)")
    .replace(/"[^"]*"|'[^']*'|“[^”]*”|「[^」]*」/g, (q) => (/^["']?[A-Z][A-Z0-9_-]{0,15}["']?$/.test(q) ? q : "…"))
    .replace(/`([^`]*)`/g, (q, inner: string) => (/^[\w .:,()=-]{0,80}$/.test(inner) && !/[\u4e00-\u9fff]/.test(inner) ? q : "`…`"));
  m = scrubText(m).replace(/[^\x20-\x7e\u00a0-\u024f…]+/g, "…");
  return m.length > MAX_MESSAGE_CHARS ? `${m.slice(0, MAX_MESSAGE_CHARS)}…` : m;
}

function frames(stack: unknown): string | undefined {
  if (typeof stack !== "string") return undefined;
  const at = stack.split("\n").filter((l) => /^\s+at /.test(l)).slice(0, MAX_FRAMES);
  return at.length ? at.map((l) => scrubText(l.trim())).join("\n") : undefined;
}

/** Errors already reduced (formatters run before serializers): not reduced twice. */
const serialized = new WeakSet<object>();

const isErrorLike = (v: unknown): v is Error & Record<string, unknown> =>
  v instanceof Error ||
  (typeof v === "object" && v !== null && !serialized.has(v) && typeof (v as Error).message === "string" && typeof (v as Error).stack === "string");

const shortCode = (v: unknown) => (typeof v === "string" && /^[\w.:-]{1,60}$/.test(v)) || (typeof v === "number" && Number.isFinite(v)) ? v : undefined;

/**
 * What an error is, for a log line: its kind (name), its code (Prisma's P-codes and driver kind,
 * AdapterError's code, Node's errno and syscall, an HTTP status, Slack's error), a cleaned message
 * and the stack frames. Everything else an error carries (axios `config`/`request`/`response.data`,
 * Prisma `meta` values, Slack response bodies) is dropped.
 */
export function serializeError(err: unknown, depth = 0): unknown {
  if (typeof err === "string") return errorMessage(err);
  if (!isErrorLike(err)) return err;
  const e = err as Record<string, unknown> & Error;
  const meta = (e.meta ?? {}) as { driverAdapterError?: { cause?: { kind?: unknown; originalCode?: unknown } }; target?: unknown; modelName?: unknown };
  const cause = meta.driverAdapterError?.cause;
  const response = e.response as { status?: unknown } | undefined;
  const data = e.data as { error?: unknown } | undefined;
  const out: Record<string, unknown> = {
    type: e.name || e.constructor?.name || "Error",
    code: shortCode(e.code),
    errno: shortCode(e.errno),
    syscall: shortCode(e.syscall),
    status: shortCode(response?.status ?? e.statusCode ?? e.status),
    reason: shortCode(data?.error),
    dbKind: shortCode(cause?.kind),
    dbCode: shortCode(cause?.originalCode),
    fields: Array.isArray(meta.target) ? meta.target.filter((f) => typeof f === "string" && /^\w{1,60}$/.test(f)) : undefined,
    model: shortCode(meta.modelName),
    retryAfterMs: shortCode(e.retryAfterMs),
    message: errorMessage(e.message),
    stack: frames(e.stack),
  };
  if (depth < MAX_CAUSES && e.cause !== undefined) out.cause = serializeError(e.cause, depth + 1);
  if (depth < MAX_CAUSES && Array.isArray(e.errors)) out.errors = e.errors.slice(0, 5).map((x) => serializeError(x, depth + 1));
  for (const k of Object.keys(out)) if (out[k] === undefined) delete out[k];
  serialized.add(out);
  return out;
}

export function createLogger(level = process.env.LOG_LEVEL ?? "info", destination: pino.DestinationStream = pino.destination(2)): Logger {
  return pino(
    {
      level,
      base: { app: "partner-hub" },
      redact: { paths: REDACT, censor: "[redacted]" },
      serializers: { err: serializeError, msg: (m: unknown) => (typeof m === "string" ? scrubText(m) : m) },
      // An error under any key is logged as its kind, like `err`.
      formatters: { log: (obj) => Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, isErrorLike(v) ? serializeError(v) : v])) },
      hooks: {
        // pino takes an error's raw message as the line's message when none is given.
        logMethod(args, method) {
          const [first, second] = args as unknown[];
          const err = isErrorLike(first) ? first : isErrorLike((first as { err?: unknown } | null)?.err) ? (first as { err: Error }).err : undefined;
          if (err && typeof second !== "string") return method.apply(this, [first, errorMessage(err.message)] as never);
          return method.apply(this, args);
        },
      },
    },
    destination,
  );
}

/** A database URL with its password removed, for log lines. */
export function describeDatabaseUrl(url: string): string {
  return url.replace(/\/\/([^:/@]+):[^@]*@/, "//$1:***@").replace(/([?&]password=)[^&]*/gi, "$1***");
}
