// What the text settings mean, parsed once. config.ts checks that each variable has the right form (zod);
// here the ones with a grammar of their own (hours, day lists, festival names, send times, the template
// file, staff chats) become the values the hub runs on. loadConfig reads them to report problems at start,
// and keeps what it read: the rest of the hub asks settingsOf(config) and gets those same values, so what
// was checked is what runs (a template file is read once) and nothing is parsed again later.
import cron from "node-cron";
import type { Platform } from "../adapters/contract.ts";
import type { Config } from "./config-schema.ts";
import { ConfigError } from "./lib/errors.ts";
import { parseDayList, parseWorkingHours, type WorkingHours } from "./lib/working-time.ts";
import { parseComplaintSla, type ComplaintSla } from "./lib/complaint-sla.ts";
import { parseQuietHours, type QuietHours } from "./outbox/quiet-hours.ts";
import { FESTIVALS, festivalByName, type FestivalCode } from "./outreach/calendar.ts";
import { loadTemplates, parseSendTimes, type Occasion } from "./outreach/templates.ts";

export interface StaffChat {
  platform: Platform;
  chatId: string;
}

export interface Settings {
  /** HUB_STAFF_CHAT: where hand-offs, escalations and reports for staff are posted. */
  staffChats: StaffChat[];
  /** HUB_QUIET_HOURS; null when "off". */
  quietHours: QuietHours | null;
  /** HUB_GREETING_TIME: the default send time and the occasions with their own. */
  sendTime: string;
  sendTimes: Partial<Record<Occasion, string>>;
  /** HUB_WORKING_HOURS on HUB_WORKING_DAYS, less HUB_HOLIDAYS, plus HUB_EXTRA_WORKDAYS. */
  workingHours: WorkingHours;
  /** HUB_COMPLAINT_SLA_HOURS: first-response and resolution hours by severity. */
  complaintSla: ComplaintSla;
  /** HUB_FESTIVALS: the festivals greeted. */
  festivals: Set<FestivalCode>;
  /** The built-in greeting texts with HUB_GREETING_TEMPLATES' replacements. */
  templates: Record<Occasion, string>;
  /** HUB_SATISFACTION_POLL_CRON; null when "off". */
  satisfactionPollCron: string | null;
  /** HUB_WELCOME_MESSAGE; null when "off". */
  welcome: string | null;
}

const read = new WeakMap<Config, Settings>();

/** The settings of a configuration; parsed on first use, the same object afterwards. */
export function settingsOf(config: Config): Settings {
  let settings = read.get(config);
  if (!settings) {
    const result = readSettings(config);
    if (!result.settings) throw new ConfigError(result.problems);
    settings = result.settings;
  }
  return settings;
}

/** Every problem with the settings at once (one line each, naming the variable), or the settings. */
export function readSettings(c: Config): { settings: Settings; problems: [] } | { settings: null; problems: string[] } {
  const problems: string[] = [];
  // Each part reports under its variable; a ConfigError already names it, a plain Error gets the name here.
  const part = <T>(variable: string | null, parse: () => T): T | undefined => {
    try {
      return parse();
    } catch (err) {
      if (err instanceof ConfigError) problems.push(...err.problems);
      else if (variable && err instanceof Error) problems.push(`${variable}: ${err.message}`);
      else throw err;
      return undefined;
    }
  };
  const festivals = part(null, () => parseFestivals(c.HUB_FESTIVALS));
  const holidays = part(null, () => parseDayList(c.HUB_HOLIDAYS, "HUB_HOLIDAYS"));
  const extraWorkdays = part(null, () => parseDayList(c.HUB_EXTRA_WORKDAYS, "HUB_EXTRA_WORKDAYS"));
  const hours = part(null, () => parseWorkingHours(c.HUB_WORKING_HOURS, c.HUB_WORKING_DAYS));
  const complaintSla = part(null, () => parseComplaintSla(c.HUB_COMPLAINT_SLA_HOURS));
  const templates = part(null, () => loadTemplates(c.HUB_GREETING_TEMPLATES));
  const send = part("HUB_GREETING_TIME", () => parseSendTimes(c.HUB_GREETING_TIME));
  const quietHours = part("HUB_QUIET_HOURS", () => parseQuietHours(c.HUB_QUIET_HOURS));
  const satisfactionPollCron = part(null, () => parseCron(c.HUB_SATISFACTION_POLL_CRON));
  if (problems.length) return { settings: null, problems };
  const settings: Settings = {
    staffChats: parseStaffChats(c.HUB_STAFF_CHAT ?? ""),
    quietHours: quietHours!,
    sendTime: send!.sendTime,
    sendTimes: send!.sendTimes,
    workingHours: { ...hours!, holidays, extraWorkdays },
    complaintSla: complaintSla!,
    festivals: festivals!,
    templates: templates!,
    satisfactionPollCron: satisfactionPollCron!,
    welcome: c.HUB_WELCOME_MESSAGE.trim() === "off" ? null : c.HUB_WELCOME_MESSAGE,
  };
  read.set(c, settings);
  return { settings, problems: [] };
}

/** The festivals HUB_FESTIVALS turns on. */
export function festivalsOn(c: Config): Set<FestivalCode> {
  return parseFestivals(c.HUB_FESTIVALS);
}

/** HUB_FESTIVALS: Chinese names (Traditional too), or "off". */
function parseFestivals(text: string): Set<FestivalCode> {
  if (text === "off") return new Set();
  const problems: string[] = [];
  const codes = new Set<FestivalCode>();
  for (const name of text.split(/[,，、\s]+/).filter(Boolean)) {
    const code = festivalByName(name);
    if (code) codes.add(code);
    else problems.push(`HUB_FESTIVALS: unknown festival "${name}" (known: ${Object.values(FESTIVALS).map((f) => f.name).join(",")})`);
  }
  if (problems.length) throw new ConfigError(problems);
  return codes;
}

function parseCron(text: string): string | null {
  if (text === "off") return null;
  if (!cron.validate(text)) throw new ConfigError([`HUB_SATISFACTION_POLL_CRON: not a cron expression (minute hour day month weekday), got ${text}`]);
  return text;
}

/** HUB_STAFF_CHAT "slack:C0123,lark:oc_9" (its form checked in config.ts) -> the staff chats. */
function parseStaffChats(value: string): StaffChat[] {
  return value
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean)
    .map((one) => {
      const colon = one.indexOf(":");
      return { platform: one.slice(0, colon) as Platform, chatId: one.slice(colon + 1) };
    });
}
