// /确认 [改好的内容] and /取消 (also typed plainly, without the slash, where something waits): the
// answer to the latest action this staff member started in this chat and that asked for confirmation.
// Each confirmable action is listed here once.
import { visitPlanAction } from "./followup-plan.ts";
import { kbSaveAction, kbTeachAction } from "./answer.ts";
import { kbRemoveAction } from "./kb.ts";
import { bindInternalAction } from "./bind.ts";
import { askConfirmation, CONFIRM_TTL_MS, stillPending, takeConfirmation, type ConfirmAction } from "./confirmation.ts";
import { text, type Command, type CommandContext } from "./types.ts";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const ACTIONS = new Map<string, ConfirmAction<any>>([kbSaveAction, kbTeachAction, bindInternalAction, visitPlanAction, kbRemoveAction].map((a) => [a.action, a]));

/** `expiredEnd`: how the refusal ends when the latest action expired, for 确认 (not done) and 取消 (dropped by itself). */
async function take(ctx: CommandContext, expiredEnd = "没有执行；需要的话请重新发起。") {
  const taken = await takeConfirmation(ctx);
  if (taken.kind === "expired") return { said: `刚才等您确认的操作已超过 ${CONFIRM_TTL_MS / 60_000} 分钟，${expiredEnd}` };
  if (taken.kind === "none") return { said: "现在没有等您确认的操作。" };
  const action = ACTIONS.get(taken.action);
  if (!action) {
    ctx.logger.warn({ action: taken.action }, "confirmation for an action this hub does not know; dropped");
    return { said: "这项待确认的操作已无法执行（版本已更新），请重新发起。" };
  }
  return { action, payload: taken.payload };
}

/** "还有一项等您确认：…", so a second pending action is not forgotten. */
async function next(ctx: CommandContext): Promise<string> {
  const [first, ...more] = await stillPending(ctx);
  const action = first && ACTIONS.get(first.action);
  if (!action) return "";
  return `\n还有 ${more.length + 1} 项等您确认，最近的是：${action.describe(first.payload)}。回复「确认」或「取消」处理它。`;
}

export const confirmCommand: Command = {
  name: "confirm",
  aliases: ["确认", "确定"],
  usage: "/确认 [改好的问题]（也可以直接回复「确认」）",
  summary: "确认刚才等待确认的操作（存入知识库的问题、记下的问法、设为内部员工群）",
  staffOnly: true,
  async run(ctx) {
    const t = await take(ctx);
    if (!t.action) return [text(t.said)];
    const outcome = await t.action.confirm(ctx, t.payload, ctx.args.trim());
    if (outcome.again !== undefined) await askConfirmation(ctx, t.action, outcome.again);
    return [text(`${outcome.reply}${outcome.again === undefined ? await next(ctx) : ""}`)];
  },
};

export const cancelCommand: Command = {
  name: "cancel",
  aliases: ["取消"],
  usage: "/取消（也可以直接回复「取消」）",
  summary: "放弃刚才等待确认的操作",
  staffOnly: true,
  async run(ctx) {
    const t = await take(ctx, "已自动放弃。");
    if (!t.action) return [text(t.said)];
    return [text(`${t.action.cancelled(t.payload)}${await next(ctx)}`)];
  },
};
