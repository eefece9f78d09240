// Structured logs (pino) to stderr, so stdout stays clean for the console and for `say`'s JSON lines.
// Secrets and personal data never reach a log line: known keys are censored, and message text is
// logged only as its length.
import pino, { type Logger } from "pino";

export type { Logger };

const REDACT = [
  "phone",
  "*.phone",
  "email",
  "*.email",
  "token",
  "*.token",
  "secret",
  "*.secret",
  "password",
  "*.password",
  "databaseUrl",
  "*.databaseUrl",
  "text",
  "*.text",
];

export function createLogger(level = process.env.LOG_LEVEL ?? "info", destination: pino.DestinationStream = pino.destination(2)): Logger {
  return pino({ level, base: { app: "partner-hub" }, redact: { paths: REDACT, censor: "[redacted]" } }, destination);
}

/** A database URL with its password removed, for log lines. */
export function describeDatabaseUrl(url: string): string {
  return url.replace(/\/\/([^:/@]+):[^@]*@/, "//$1:***@");
}
