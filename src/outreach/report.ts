// How outreach progress reads to people, and the send times they type.
import { platformName } from "../../adapters/contract.ts";
import { UserError } from "../lib/errors.ts";
import type { DeliveryReport } from "../outbox/enqueue.ts";
import { instantAt, parseLocalDay } from "./calendar.ts";

/** The outbox's reasons ("not_found: Slack: channel_not_found") as staff read them, the original kept. */
const REASONS: Record<string, string> = {
  rate_limited: "平台限流，多次重试后仍未发出",
  transient: "平台暂时不可用，多次重试后仍未发出",
  unauthorized: "机器人凭证无效或已过期",
  not_found: "群或用户不存在（机器人可能已被移出群）",
  unsupported: "该平台不支持这种消息",
  invalid: "平台拒收了这条消息",
};

export function reasonText(reason: string): string {
  if (reason.startsWith("invalid: expired")) return "已过发送日期，未再补发";
  const code = reason.split(":")[0];
  return REASONS[code] ? `${REASONS[code]}（${reason.slice(code.length + 1).trim()}）` : reason;
}

/** "2026-11-25 10:00" (or 2026-11-25T10:00) in the hub's zone. */
export function parseSendAt(text: string, timeZone: string): Date {
  const m = /^(\d{4}-\d{1,2}-\d{1,2})[T\s]+(\d{1,2}:\d{2})$/.exec(text.trim());
  if (!m) throw new UserError(`无法识别发送时间「${text}」，请写成 2026-11-25 10:00。`);
  try {
    const [y, mo, d] = m[1].split("-").map(Number);
    return instantAt(parseLocalDay(`${y}-${String(mo).padStart(2, "0")}-${String(d).padStart(2, "0")}`), m[2].padStart(5, "0"), timeZone);
  } catch {
    throw new UserError(`发送时间「${text}」不是有效的日期。`);
  }
}

/** Deliveries waiting out quiet hours, as staff read it: "其中 2 条在免打扰时段（22:00–08:00），2026-12-08 08:00 起发送". */
export function heldText(held: { count: number; until: string }, quiet: string | null): string {
  return `其中 ${held.count} 条在免打扰时段${quiet ? `（${quiet}，按客户当地时间）` : ""}，${held.until}${held.until.endsWith("）") ? "" : " "}起发送`;
}

export function formatReport(id: number, r: DeliveryReport, held = ""): string {
  if (!r.total) return `#${id} 没有待发或已发的消息（编号不对，或还没有确认发送）。`;
  const s = r.byStatus;
  const lines = [`#${id} 发送情况：共 ${r.total} 条，已发送 ${s.SENT}，失败 ${s.FAILED}，待发送 ${s.PENDING + s.SENDING}${held ? `（${held}）` : ""}`];
  for (const [platform, counts] of Object.entries(r.byPlatform)) {
    lines.push(`  ${platformName(platform)}：已发送 ${counts.SENT ?? 0}，失败 ${counts.FAILED ?? 0}，待发送 ${(counts.PENDING ?? 0) + (counts.SENDING ?? 0)}`);
  }
  for (const f of r.failures.slice(0, 5)) lines.push(`  失败原因（${f.count} 条）：${reasonText(f.reason)}`);
  return lines.join("\n");
}
