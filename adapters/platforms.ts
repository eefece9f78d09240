// The platforms the hub can run, one entry each: what it can do (its capabilities, read without loading its
// SDK), how it receives events (for the start-up line), and how it starts. A platform runs when its
// credentials are present; SDKs load only for the platforms in use, so the console and one-shot commands
// start without loading all three. Adding a platform adds its entry here (and its line in PLATFORM_NAMES).
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

/** What capabilities depend on, known whether the platform runs here or not. */
export interface PaceSettings {
  wechatPerMinute?: number;
}

interface Registration<S> {
  capabilities(pace: PaceSettings): Capabilities;
  describe?(settings: S): string;
  start?(settings: S, logger: Logger): Promise<Adapter>;
}

type Registry = { [P in Platform]: Registration<P extends keyof PlatformSettings ? NonNullable<PlatformSettings[P]> : never> };

const PLATFORMS: Registry = {
  console: { capabilities: () => CONSOLE_CAPABILITIES },
  slack: {
    capabilities: () => SLACK_CAPABILITIES,
    describe: (s) => (s.appToken ? "slack (socket mode)" : "slack (http /slack/events)"),
    start: async (s, logger) => (await import("./slack/index.ts")).createSlackAdapter({ ...s, logger }),
  },
  lark: {
    capabilities: () => LARK_CAPABILITIES,
    describe: (s) => (s.mode === "ws" ? "lark (long connection)" : "lark (webhook /lark/events)"),
    start: async (s, logger) => (await import("./lark/index.ts")).createLarkAdapter({ ...s, logger }),
  },
  wechat: {
    capabilities: (pace) => wechatCapabilities(pace.wechatPerMinute),
    describe: (s) => `wechat (${s.puppet})`,
    start: async (s, logger) => (await import("./wechat/index.ts")).createWechatAdapter({ ...s, logger }),
  },
};

/** The configured platforms' settings, each with its registration. */
function configured(settings: PlatformSettings) {
  return (Object.keys(settings) as (keyof PlatformSettings)[])
    .filter((p) => settings[p])
    .map((p) => ({ platform: p, settings: settings[p]!, entry: PLATFORMS[p] as Registration<unknown> }));
}

export async function createPlatformAdapters(settings: PlatformSettings, logger: Logger): Promise<Adapter[]> {
  const adapters: Adapter[] = [];
  for (const { platform, settings: s, entry } of configured(settings)) adapters.push(await entry.start!(s, logger.child({ platform })));
  return adapters;
}

/** How each platform receives events, for the start-up log line. */
export function describePlatforms(settings: PlatformSettings): string[] {
  return configured(settings).map(({ settings: s, entry }) => entry.describe!(s));
}

/**
 * Every platform's capabilities as configured, whether it runs in this process or not (outreach plans for
 * partners on every platform; a running adapter states the same). Read without loading any SDK.
 */
export function platformCapabilities(pace: PaceSettings = {}): Record<Platform, Capabilities> {
  return Object.fromEntries(Object.entries(PLATFORMS).map(([p, entry]) => [p, entry.capabilities(pace)])) as Record<Platform, Capabilities>;
}
