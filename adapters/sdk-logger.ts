// The platform SDKs log through the hub's logger, never to the console: the Lark SDK's own logger
// prints whole axios errors, whose request config holds the app secret, to stdout. What an SDK logs is
// reduced to its first error's kind and code and its plain words.
import type { Logger } from "pino";

type Level = "error" | "warn" | "info" | "debug" | "trace";

/** Longest SDK remark kept; the hub's logger also strips tokens and numbers from it. */
const MAX_WORDS = 200;

export interface SdkLogger extends Record<Level, (...args: unknown[]) => void> {
  /** @slack/logger's interface: the hub's LOG_LEVEL decides, not the SDK. */
  setLevel(level: unknown): void;
  getLevel(): never;
  setName(name: string): void;
}

export interface SdkLoggerOptions {
  /** Remarks logged at debug whatever level the SDK gave them: ones the adapter reports itself. */
  debug?: RegExp[];
}

/** A logger in the shape the Lark and Slack SDKs accept: one function per level, any arguments. */
export function sdkLogger(logger: Logger, sdk: string, opts: SdkLoggerOptions = {}): SdkLogger {
  const at = (given: Level) => (...args: unknown[]) => {
    const flat = args.flat(2);
    const err = flat.find((a) => a instanceof Error);
    const words = flat.filter((a): a is string => typeof a === "string").join(" ").slice(0, MAX_WORDS);
    const level: Level = given !== "trace" && opts.debug?.some((r) => r.test(words)) ? "debug" : given;
    // The SDK's error is the cause of something the adapter reports itself (one line at start, a send's
    // AdapterError): here its kind and code only, no stack.
    const e = err as (Error & { code?: unknown; response?: { status?: unknown } }) | undefined;
    const about = e ? { errorKind: e.name, ...(e.code !== undefined ? { code: e.code } : {}), ...(e.response?.status !== undefined ? { status: e.response.status } : {}) } : {};
    logger[level]({ sdk, ...about }, words || `${sdk} reported an error`);
  };
  return {
    error: at("error"),
    warn: at("warn"),
    info: at("info"),
    debug: at("debug"),
    trace: at("trace"),
    setLevel: () => {},
    getLevel: () => logger.level as never,
    setName: () => {},
  };
}
