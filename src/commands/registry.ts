// One registry for every staff command, whatever the platform: Slack's native slash commands and the
// "/client ..." text typed in Lark, WeChat or the console all end up here.
import { careCommand } from "./care.ts";
import { complaintCommand } from "./complaint.ts";
import { proposalCommand } from "./proposal.ts";
import { referralCommand } from "./referral.ts";
import type { OutboundMessage } from "../../adapters/contract.ts";
import { UserError } from "../lib/errors.ts";
import type { Logger } from "../lib/logger.ts";
import type { ParsedCommand } from "./parse.ts";
import { bindCommand } from "./bind.ts";
import { clientCommand } from "./client.ts";
import { cancelCommand, confirmCommand } from "./confirm.ts";
import { helpCommand } from "./help.ts";
import { historyCommand } from "./history.ts";
import { linkCommand } from "./link.ts";
import { answerCommand } from "./answer.ts";
import { kbCommand } from "./kb.ts";
import { questionsCommand } from "./questions.ts";
import { trainingCommand } from "./training.ts";
import { noticeCommand } from "./notice.ts";
import { pollCommand } from "./poll.ts";
import { greetingsCommand } from "./greetings.ts";
import { followupCommand } from "./followup.ts";
import { text, UsageError, type Command, type CommandContext } from "./types.ts";
import { whoamiCommand } from "./whoami.ts";

export const BUILTIN_COMMANDS: Command[] = [
  clientCommand,
  historyCommand,
  bindCommand,
  linkCommand,
  questionsCommand,
  answerCommand,
  kbCommand,
  trainingCommand,
  noticeCommand,
  pollCommand,
  greetingsCommand,
  followupCommand,
  complaintCommand,
  careCommand,
  proposalCommand,
  referralCommand,
  whoamiCommand,
  confirmCommand,
  cancelCommand,
  helpCommand,
];

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length];
}

export type AuditFn = (entry: { action: string; detail: string; allowed: boolean }) => Promise<void>;

export class CommandRegistry {
  readonly #byName = new Map<string, Command>();

  constructor(
    readonly commands: readonly Command[],
    private readonly logger: Logger,
  ) {
    for (const c of commands) for (const n of [c.name, ...(c.aliases ?? [])]) this.#byName.set(n.toLowerCase(), c);
  }

  find(name: string): Command | undefined {
    return this.#byName.get(name.toLowerCase());
  }

  async run(
    parsed: ParsedCommand,
    ctx: Omit<CommandContext, "args" | "commands">,
    audit: AuditFn,
  ): Promise<OutboundMessage[]> {
    const resolved = this.#resolve(parsed);
    const command = resolved?.command;
    if (resolved) parsed = { name: parsed.name, args: resolved.args };
    const isStaff = ctx.actor.kind === "staff";
    if (!command) return [text(this.#unknown(parsed.name, isStaff))];
    const detail = `/${command.name} ${parsed.args}`.trim();
    if (command.staffOnly && !isStaff) {
      await audit({ action: `command:${command.name}`, detail, allowed: false });
      return [text(`抱歉，/${command.name} 仅限员工使用。有问题可以直接在这里提问，我们会尽快回复您。`)];
    }
    // Client files never go where someone outside could read them: only private chats, private
    // answers (Slack ephemeral), and groups staff marked internal with /bind 内部.
    if (command.confidential && ctx.chat.kind === "group" && !ctx.chat.internal && !ctx.native) {
      const where = ctx.chat.partnerId !== null ? "客户群" : "未设为内部员工群的群";
      await audit({ action: `command:${command.name}`, detail: `${detail} (refused: ${where})`, allowed: false });
      return [text(`为保护客户资料，/${command.name} 不能在${where}里使用。请私聊我查询；员工群可先发送 /bind 内部 设为内部员工群。`)];
    }
    if (command.staffOnly) await audit({ action: `command:${command.name}`, detail, allowed: true });
    try {
      return await command.run({ ...ctx, args: parsed.args, commands: this.commands });
    } catch (err) {
      if (err instanceof UsageError) return [text(`${err.hint ? `${err.hint}\n` : ""}用法：${command.usage}`)];
      if (err instanceof UserError) return [text(err.message)];
      this.logger.error({ err, command: command.name }, "command failed");
      return [text(`抱歉，/${command.name} 执行时出错了，请稍后再试；问题已记录。`)];
    }
  }

  /** By name or alias; Chinese aliases also without a space before the argument (/客户杭州云帆). */
  #resolve(parsed: ParsedCommand): { command: Command; args: string } | null {
    const exact = this.find(parsed.name);
    if (exact) return { command: exact, args: parsed.args };
    const cjk = [...this.#byName.keys()].filter((n) => /^[\u4e00-\u9fff]/.test(n)).sort((a, b) => b.length - a.length);
    const alias = cjk.find((n) => parsed.name.startsWith(n));
    if (!alias) return null;
    return { command: this.#byName.get(alias)!, args: `${parsed.name.slice(alias.length)} ${parsed.args}`.trim() };
  }

  #unknown(name: string, isStaff: boolean): string {
    const visible = this.commands.filter((c) => isStaff || !c.staffOnly);
    const close = visible
      .map((c) => ({ c, d: Math.min(...[c.name, ...(c.aliases ?? [])].map((n) => editDistance(name, n) + (n === c.name ? 0 : 0.5))) }))
      .filter((x) => x.d <= 2)
      .sort((a, b) => a.d - b.d)[0];
    const hint = close ? `您是不是想用 /${close.c.name}？` : "";
    return `没有 /${name} 这个命令。${hint}输入 /help 查看可用命令。`;
  }
}
