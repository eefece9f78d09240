// Which platform adapters to run, from plain settings (the hub's configuration maps onto these).
// A platform runs when its credentials are present.
import type { Logger } from "pino";
import type { Adapter } from "./contract.ts";
import { createLarkAdapter } from "./lark/index.ts";
import { createSlackAdapter } from "./slack/index.ts";
import { createWechatAdapter } from "./wechat/index.ts";

export interface PlatformSettings {
  slack?: { botToken: string; signingSecret?: string; appToken?: string; apiUrl?: string };
  lark?: { appId: string; appSecret: string; encryptKey?: string; verificationToken?: string; domain: string; mode: "webhook" | "ws" };
  wechat?: { puppet: string; puppetToken?: string; minIntervalMs: number; jitterMs: number };
}

export function createPlatformAdapters(settings: PlatformSettings, logger: Logger): Adapter[] {
  const adapters: Adapter[] = [];
  if (settings.slack) adapters.push(createSlackAdapter({ ...settings.slack, logger: logger.child({ platform: "slack" }) }));
  if (settings.lark) adapters.push(createLarkAdapter({ ...settings.lark, logger: logger.child({ platform: "lark" }) }));
  if (settings.wechat) adapters.push(createWechatAdapter({ ...settings.wechat, logger: logger.child({ platform: "wechat" }) }));
  return adapters;
}

/** How each platform receives events, for the start-up log line. */
export function describePlatforms(settings: PlatformSettings): string[] {
  const out: string[] = [];
  if (settings.slack) out.push(settings.slack.appToken ? "slack (socket mode)" : "slack (http /slack/events)");
  if (settings.lark) out.push(settings.lark.mode === "ws" ? "lark (long connection)" : "lark (webhook /lark/events)");
  if (settings.wechat) out.push(`wechat (${settings.wechat.puppet})`);
  return out;
}
