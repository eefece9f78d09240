// What WeChat can do and how fast the outbox may send there: data the hub reads (no SDK here).
import { PLATFORM_NAMES, type Capabilities } from "../contract.ts";
import { WECHAT_TEXT_MAX } from "./render.ts";

/** WeChat's pace when none is configured (HUB_WECHAT_PER_MINUTE): messages per minute for the account. */
export const WECHAT_DEFAULT_PER_MINUTE = 20;

/**
 * No published limit: accounts that send fast get restricted, so slow and jittered, the same beat app-wide and
 * per chat (one logged-in account sends everything), configurable with HUB_WECHAT_PER_MINUTE.
 */
export function wechatCapabilities(perMinute = WECHAT_DEFAULT_PER_MINUTE): Capabilities {
  return {
    displayName: PLATFORM_NAMES.wechat,
    rateLimit: { perPlatform: perMinute / 60, perChat: perMinute / 60, jitter: 0.5, setting: "HUB_WECHAT_PER_MINUTE" },
    buttons: false,
    cards: false,
    threads: false,
    ephemeral: false,
    slashCommands: false,
    maxTextLength: WECHAT_TEXT_MAX,
  };
}


