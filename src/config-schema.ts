// The variables of the environment and the form each must have (zod). config.ts reads them, checks the ones
// that only make sense together, and settings.ts gives the text ones their meaning; both import the Config type
// from here, so neither depends on the other for it.
import { z } from "zod";
import { PLATFORMS } from "../adapters/contract.ts";
import { DEFAULT_IMPORT_MAX_ROWS } from "./partners/sheet.ts";

const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;

// Numbers get one message each, whatever is wrong with the value (not a number, a fraction, out of
// range): zod's own words ("expected number, received NaN") are for developers, not operators.
function wholeNumber(min: number, max?: number) {
  const error = max === undefined ? `must be a whole number, ${min} or more` : `must be a whole number from ${min} to ${max}`;
  const n = z.coerce.number({ error }).int({ error }).min(min, { error });
  return max === undefined ? n : n.max(max, { error });
}

function decimal(range: { above: number; max?: number; example: string } | { min: number; max: number; example: string }) {
  if ("above" in range) {
    const error = `must be a number above ${range.above}${range.max === undefined ? "" : ` and at most ${range.max}`}, e.g. ${range.example}`;
    const n = z.coerce.number({ error }).gt(range.above, { error });
    return range.max === undefined ? n : n.max(range.max, { error });
  }
  const error = `must be a number from ${range.min} to ${range.max}, e.g. ${range.example}`;
  return z.coerce.number({ error }).min(range.min, { error }).max(range.max, { error });
}

/** HUB_STAFF_CHAT's form: platform:chatId, comma-separated, the platforms being the hub's. */
function staffChatForm(): RegExp {
  const one = `(${PLATFORMS.join("|")}):[^,]+`;
  return new RegExp(`^${one}(,\\s*${one})*$`);
}

const url = (example: string) => z.url({ error: `must be a URL such as ${example}` });

export const schema = z.object({
  DATABASE_URL: z
    .string()
    .trim()
    .optional()
    .refine((v) => !v || /^(file:|postgres(ql)?:\/\/)/.test(v), {
      message: "must be empty (SQLite at data/partner-hub.db), file:PATH (SQLite) or postgresql://... (PostgreSQL)",
    }),
  LOG_LEVEL: z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(", ")}` }).default("info"),
  HUB_TIMEZONE: z
    .string()
    .default("Asia/Shanghai")
    .refine((tz) => isTimeZone(tz), { message: "must be an IANA time zone such as Asia/Shanghai" }),
  HUB_MAX_MESSAGE_CHARS: wholeNumber(100, 100_000).default(4000),
  HUB_WELCOME_MESSAGE: z
    .string()
    .default("欢迎{成员}加入！我是伙伴通助手，产品、政策、培训方面的问题可以直接 @我 提问，我答不上来的会请同事跟进。"),
  PORT: wholeNumber(0, 65_535).default(3000),
  /** Where questions the bot hands off are posted for staff: platform:chatId (e.g. slack:C0123, console:staff). */
  HUB_STAFF_CHAT: z
    .string()
    .regex(staffChatForm(), "must be platform:chatId[,platform:chatId], e.g. slack:C0123,lark:oc_9")
    .optional(),
  /** Working hours an open question may wait before it is escalated to its owner and a manager. */
  HUB_QUESTION_SLA_HOURS: decimal({ above: 0, example: "2 or 1.5 (working hours)" }).default(2),
  /**
   * A complaint's deadlines by severity, in working hours from when it was received: first response /
   * resolution (src/lib/complaint-sla.ts).
   */
  /** Days a bare number in a chat answers the satisfaction poll it received; after that the poll is closed. */
  HUB_POLL_OPEN_DAYS: wholeNumber(1, 90).default(7),
  HUB_COMPLAINT_SLA_HOURS: z.string().default("紧急=1/4,严重=2/9,一般=4/27"),
  HUB_WORKING_HOURS: z
    .string()
    .default("09:00-18:00")
    .refine((v) => /^\d{1,2}:\d{2}-\d{1,2}:\d{2}$/.test(v), { message: "must look like 09:00-18:00" }),
  /** ISO weekdays, 1 = Monday: 1-5, or 1-6 for a six-day week. */
  HUB_WORKING_DAYS: z
    .string()
    .default("1-5")
    .refine((v) => /^[1-7](-[1-7])?(,[1-7](-[1-7])?)*$/.test(v), { message: "must look like 1-5 (1 = Monday)" }),
  /** Public holidays (not counted as working time for SLAs): 2026-10-01..2026-10-07,2027-02-05..2027-02-11. */
  HUB_HOLIDAYS: z.string().default(""),
  /** Weekend days worked to make up for a holiday (调休): 2026-09-27,2026-10-10. */
  HUB_EXTRA_WORKDAYS: z.string().default(""),
  /**
   * How clearly (0..1) the best entry must beat the next for the bot to answer with it; below this it offers
   * the closest entries as choices, or hands the question to a colleague when none is relevant.
   */
  HUB_ANSWER_MIN_CONFIDENCE: decimal({ min: 0, max: 1, example: "0.65" }).default(0.65),
  /** A partner first in the client files gets a 指导回访 due within this many days. */
  HUB_NEW_PARTNER_VISIT_DAYS: wholeNumber(1).default(7),
  /** Minutes a partner has to pick one of the choices offered; then the question goes to staff. */
  HUB_CHOICE_TIMEOUT_MINUTES: wholeNumber(1).default(30),
  /** Data rows an import file (client files) may have; a larger file is refused while it is read. */
  HUB_IMPORT_MAX_ROWS: wholeNumber(1).default(DEFAULT_IMPORT_MAX_ROWS),
  /** The company's words for the same thing: files, comma-separated, in the format of examples/thesaurus.txt; "off" also drops the built-in list. */
  HUB_THESAURUS: z.string().optional(),

  /** Outreach (greetings, notices, polls): what the hub sends on its own. */
  HUB_COMPANY_NAME: z.string().trim().default("我们"),
  /** When greetings go out, local time: "09:00", or per occasion too: "09:00,除夕=18:00". */
  HUB_GREETING_TIME: z.string().default("09:00"),
  /** Festivals greeted, by Chinese name; 七夕 is off unless listed. "off" greets none. */
  HUB_FESTIVALS: z.string().default("元旦,除夕,春节,元宵,端午,中秋,国庆,重阳,冬至"),
  /** A JSON file replacing greeting texts: {"春节": "{称呼}，新春快乐！…"}. */
  HUB_GREETING_TEMPLATES: z.string().optional(),
  /** No greetings, notices or polls in these local hours; "off" to allow any time. */
  HUB_QUIET_HOURS: z.string().default("21:00-08:00"),
  /** Days before 春节 and 中秋 the owners of key accounts are asked to prepare a gift; 0 for never. */
  HUB_GIFT_DAYS_AHEAD: wholeNumber(0, 60).default(10),
  /** When satisfaction polls go out on their own (cron, hub time zone); "off" for never. Quarterly by default. */
  HUB_SATISFACTION_POLL_CRON: z.string().default("0 10 5 1,4,7,10 *"),
  /** Days after a poll that partners who have not answered are reminded once; 0 for never. */
  HUB_POLL_REMIND_DAYS: wholeNumber(0, 60).default(3),
  /** WeChat outreach pace (messages per minute, jittered): fast senders get accounts restricted. */
  HUB_WECHAT_PER_MINUTE: decimal({ above: 0, max: 600, example: "20" }).default(20),

  SLACK_BOT_TOKEN: z.string().startsWith("xoxb-", "must be a bot token (xoxb-...)").optional(),
  SLACK_SIGNING_SECRET: z.string().optional(),
  SLACK_APP_TOKEN: z.string().startsWith("xapp-", "must be an app-level token (xapp-...)").optional(),
  SLACK_API_URL: url("http://127.0.0.1:8080/api/").optional(),

  LARK_APP_ID: z.string().optional(),
  LARK_APP_SECRET: z.string().optional(),
  LARK_ENCRYPT_KEY: z.string().optional(),
  LARK_VERIFICATION_TOKEN: z.string().optional(),
  LARK_DOMAIN: z
    .string()
    .default("feishu")
    .refine((v) => v === "feishu" || v === "lark" || /^https?:\/\//.test(v), { message: "must be feishu, lark or a base URL" }),
  LARK_MODE: z.enum(["webhook", "ws"], { error: "must be webhook or ws" }).default("webhook"),

  OPENAI_API_KEY: z.string().optional(),
  OPENAI_BASE_URL: url("https://api.deepseek.com/v1").optional(),
  OPENAI_MODEL: z.string().optional(),
  OPENAI_TIMEOUT_MS: wholeNumber(100).default(15_000),

  WECHATY_PUPPET: z.string().optional(),
  WECHATY_PUPPET_SERVICE_TOKEN: z.string().optional(),
});

/** Variables earlier versions read and this one does not, with what replaced them: said once at start. */
export const RETIRED: Record<string, string> = {
  WECHAT_MIN_INTERVAL_MS: "HUB_WECHAT_PER_MINUTE paces WeChat (the outbox spaces sends with jitter)",
  WECHAT_JITTER_MS: "HUB_WECHAT_PER_MINUTE paces WeChat (the outbox spaces sends with jitter)",
};


export type Config = z.infer<typeof schema>;

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}
