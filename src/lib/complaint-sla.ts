// A complaint's two deadlines (seed 003 六: 在规定的时间内给予客户满意的解决方案): the first response and the
// resolution, in working hours from when it was received, by severity. HUB_COMPLAINT_SLA_HOURS sets them:
// "紧急=1/4,严重=2/9,一般=4/27" (first response / resolution, working hours).
import { ConfigError } from "./errors.ts";
import { addWorkingMs, type WorkingHours } from "./working-time.ts";
import { SEVERITIES, severityNamed, type Severity } from "../text/complaint-words.ts";

export type ComplaintSla = Record<Severity, { respond: number; resolve: number }>;

export const DEFAULT_COMPLAINT_SLA = "紧急=1/4,严重=2/9,一般=4/27";

export function parseComplaintSla(text: string): ComplaintSla {
  const sla: Partial<ComplaintSla> = {};
  const problems: string[] = [];
  for (const part of text.split(/[,，]/).map((p) => p.trim()).filter(Boolean)) {
    const m = /^(\S+?)\s*=\s*(\d+(?:\.\d+)?)\s*\/\s*(\d+(?:\.\d+)?)$/.exec(part);
    const severity = m && severityNamed(m[1]);
    if (!m || !severity) {
      problems.push(`HUB_COMPLAINT_SLA_HOURS: each part must look like 紧急=1/4 (severity 紧急, 严重 or 一般 = first-response hours / resolution hours), got ${part}`);
      continue;
    }
    const [respond, resolve] = [Number(m[2]), Number(m[3])];
    if (respond <= 0 || resolve < respond) problems.push(`HUB_COMPLAINT_SLA_HOURS: ${part}: the first response must be above 0 and no later than the resolution`);
    sla[severity] = { respond, resolve };
  }
  const missing = (Object.keys(SEVERITIES) as Severity[]).filter((s) => !sla[s]);
  if (missing.length && !problems.length) problems.push(`HUB_COMPLAINT_SLA_HOURS: missing ${missing.map((s) => SEVERITIES[s]).join(", ")} (e.g. ${DEFAULT_COMPLAINT_SLA})`);
  if (problems.length) throw new ConfigError(problems);
  return sla as ComplaintSla;
}

const HOUR = 3_600_000;

export interface SlaClock {
  timeZone: string;
  workingHours: WorkingHours;
  sla: ComplaintSla;
}

/** When a complaint of this severity, received (or reopened) then, must be answered and resolved. */
export function deadlines(c: SlaClock, severity: Severity, from: Date): { respondBy: Date; resolveBy: Date } {
  const { respond, resolve } = c.sla[severity];
  return { respondBy: addWorkingMs(from, respond * HOUR, c.timeZone, c.workingHours), resolveBy: addWorkingMs(from, resolve * HOUR, c.timeZone, c.workingHours) };
}
