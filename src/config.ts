// The environment, parsed once at start. Every variable is documented in .env.example; a bad value
// stops the hub with one English sentence per problem, naming the variable.
import { ConfigError } from "./lib/errors.ts";
import { RETIRED, schema, type Config } from "./config-schema.ts";
import { readSettings } from "./settings.ts";

export type { Config };

/** Variables that only make sense together: one set without the other is a mistake worth stopping for. */
function crossCheck(c: Config): string[] {
  const problems: string[] = [];
  if (c.SLACK_BOT_TOKEN && !c.SLACK_SIGNING_SECRET && !c.SLACK_APP_TOKEN) {
    problems.push("SLACK_SIGNING_SECRET: required with SLACK_BOT_TOKEN (HTTP mode), unless SLACK_APP_TOKEN selects Socket Mode");
  }
  if ((c.SLACK_SIGNING_SECRET || c.SLACK_APP_TOKEN) && !c.SLACK_BOT_TOKEN) problems.push("SLACK_BOT_TOKEN: required when other SLACK_ variables are set");
  if (c.LARK_APP_ID && !c.LARK_APP_SECRET) problems.push("LARK_APP_SECRET: required with LARK_APP_ID");
  if (c.LARK_APP_SECRET && !c.LARK_APP_ID) problems.push("LARK_APP_ID: required with LARK_APP_SECRET");
  // A verification token travels inside the body, so anyone can copy it into a forged event; only the
  // Encrypt Key signs a request (open.feishu.cn, 事件订阅: 安全校验). The long connection needs neither.
  if (c.LARK_APP_ID && c.LARK_MODE === "webhook" && !c.LARK_ENCRYPT_KEY) {
    problems.push("LARK_ENCRYPT_KEY: required in webhook mode so that events are signed (事件与回调 > 加密策略), or set LARK_MODE=ws");
  }
  if ((c.OPENAI_API_KEY || c.OPENAI_BASE_URL) && !c.OPENAI_MODEL) problems.push("OPENAI_MODEL: required to use an LLM (e.g. deepseek-chat, qwen-plus, gpt-4o-mini)");
  if (c.OPENAI_MODEL && !c.OPENAI_API_KEY && !c.OPENAI_BASE_URL) problems.push("OPENAI_API_KEY or OPENAI_BASE_URL: required with OPENAI_MODEL");
  // Checked now, not when the first SLA or greeting is due; the values read are kept for the hub (settings.ts).
  problems.push(...readSettings(c).problems);
  if (c.WECHATY_PUPPET === "wechaty-puppet-service" && !c.WECHATY_PUPPET_SERVICE_TOKEN) {
    problems.push("WECHATY_PUPPET_SERVICE_TOKEN: required with WECHATY_PUPPET=wechaty-puppet-service");
  }
  return problems;
}


export { ConfigError };


export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const blanksRemoved = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ""));
  const parsed = schema.safeParse(blanksRemoved);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`));
  }
  const problems = crossCheck(parsed.data);
  if (problems.length) throw new ConfigError(problems);
  return parsed.data;
}

/** Set variables this version no longer reads, each with what replaced it (the start warns of them). */
export function retiredSettings(env: NodeJS.ProcessEnv): string[] {
  return Object.entries(RETIRED).filter(([name]) => env[name]).map(([name, instead]) => `${name} is no longer read: ${instead}`);
}

/** The platform part of the configuration, for adapters/platforms.ts. */
export function platformSettings(c: Config) {
  return {
    slack: c.SLACK_BOT_TOKEN
      ? { botToken: c.SLACK_BOT_TOKEN, signingSecret: c.SLACK_SIGNING_SECRET, appToken: c.SLACK_APP_TOKEN, apiUrl: c.SLACK_API_URL }
      : undefined,
    lark:
      c.LARK_APP_ID && c.LARK_APP_SECRET
        ? {
            appId: c.LARK_APP_ID,
            appSecret: c.LARK_APP_SECRET,
            encryptKey: c.LARK_ENCRYPT_KEY,
            verificationToken: c.LARK_VERIFICATION_TOKEN,
            domain: c.LARK_DOMAIN,
            mode: c.LARK_MODE,
          }
        : undefined,
    wechat: c.WECHATY_PUPPET
      ? { puppet: c.WECHATY_PUPPET, puppetToken: c.WECHATY_PUPPET_SERVICE_TOKEN, perMinute: c.HUB_WECHAT_PER_MINUTE }
      : undefined,
  };
}

/** The optional LLM (off unless OPENAI_MODEL and a key or base URL are set). */
export function llmSettings(c: Config) {
  if (!c.OPENAI_MODEL) return undefined;
  // A local server (Ollama) needs no key, but the SDK insists on one.
  return { apiKey: c.OPENAI_API_KEY ?? "not-needed", baseURL: c.OPENAI_BASE_URL, model: c.OPENAI_MODEL, timeoutMs: c.OPENAI_TIMEOUT_MS };
}

export { festivalsOn } from "./settings.ts";
