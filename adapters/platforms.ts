// Which platform adapters to run, from plain settings (the hub's configuration maps onto these).
// A platform runs when its credentials are present. SDKs load only for the platforms in use: the
// console and one-shot commands start without loading all three.
import type { Logger } from "pino";
import { CONSOLE_CAPABILITIES } from "./console/capabilities.ts";
import type { Adapter, Capabilities, Platform } from "./contract.ts";
import { LARK_CAPABILITIES } from "./lark/capabilities.ts";
import { SLACK_CAPABILITIES } from "./slack/capabilities.ts";
import { wechatCapabilities } from "./wechat/capabilities.ts";

export interface PlatformSettings {
  slack?: { botToken: string; signingSecret?: string; appToken?: string; apiUrl?: string };
  lark?: { appId: string; appSecret: string; encryptKey?: string; verificationToken?: string; domain: string; mode: "webhook" | "ws" };
  wechat?: { puppet: string; puppetToken?: string; perMinute?: number };
}

export async function createPlatformAdapters(settings: PlatformSettings, logger: Logger): Promise<Adapter[]> {
  const adapters: Adapter[] = [];
  if (settings.slack) {
    const { createSlackAdapter } = await import("./slack/index.ts");
    adapters.push(createSlackAdapter({ ...settings.slack, logger: logger.child({ platform: "slack" }) }));
  }
  if (settings.lark) {
    const { createLarkAdapter } = await import("./lark/index.ts");
    adapters.push(createLarkAdapter({ ...settings.lark, logger: logger.child({ platform: "lark" }) }));
  }
  if (settings.wechat) {
    const { createWechatAdapter } = await import("./wechat/index.ts");
    adapters.push(createWechatAdapter({ ...settings.wechat, logger: logger.child({ platform: "wechat" }) }));
  }
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

/**
 * Every platform's capabilities as configured, whether it runs in this process or not (outreach plans for
 * partners on every platform; a running adapter states the same). Read without loading any SDK.
 */
export function platformCapabilities(o: { wechatPerMinute?: number } = {}): Record<Platform, Capabilities> {
  return { console: CONSOLE_CAPABILITIES, slack: SLACK_CAPABILITIES, lark: LARK_CAPABILITIES, wechat: wechatCapabilities(o.wechatPerMinute) };
}
