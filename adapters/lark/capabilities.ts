// What Lark/Feishu can do and how fast the outbox may send there: data the hub reads (no SDK here).
import { PLATFORM_NAMES, type Capabilities } from "../contract.ts";

export const LARK_CAPABILITIES: Capabilities = {
  displayName: PLATFORM_NAMES.lark,
  // Message send: 50 QPS per app, 5 QPS per group shared by its bots (open.feishu.cn, 发送消息 接口频率限制).
  rateLimit: { perPlatform: 50, perChat: 5 },
  buttons: true,
  cards: true,
  threads: true,
  ephemeral: false,
  slashCommands: false,
  // A text message's content may be up to 150 KB (open.feishu.cn, im-v1 message create).
  maxTextLength: 50_000,
};

