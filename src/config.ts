// The environment, parsed once at start. Every variable is documented in .env.example; a bad value
// stops the hub with one English sentence per problem, naming the variable.
import { z } from "zod";

const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;

const schema = z.object({
  DATABASE_URL: z
    .string()
    .trim()
    .optional()
    .refine((v) => !v || /^(file:|postgres(ql)?:\/\/)/.test(v), {
      message: "must be empty (SQLite at data/partner-hub.db), file:PATH (SQLite) or postgresql://... (PostgreSQL)",
    }),
  LOG_LEVEL: z.enum(LOG_LEVELS).default("info"),
  HUB_TIMEZONE: z
    .string()
    .default("Asia/Shanghai")
    .refine((tz) => isTimeZone(tz), { message: "must be an IANA time zone such as Asia/Shanghai" }),
  HUB_MAX_MESSAGE_CHARS: z.coerce.number().int().min(100).max(100_000).default(4000),
});

export type Config = z.infer<typeof schema>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const blanksRemoved = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ""));
  const parsed = schema.safeParse(blanksRemoved);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`));
  }
  return parsed.data;
}
