// /help: the commands this person may use.
import { text, type Command } from "./types.ts";

export const helpCommand: Command = {
  name: "help",
  aliases: ["帮助", "h"],
  usage: "/help",
  summary: "查看可用命令",
  staffOnly: false,
  async run(ctx) {
    const mine = ctx.commands.filter((c) => !c.staffOnly || ctx.actor.kind === "staff");
    const lines = mine.map((c) => {
      const alias = c.aliases?.find((a) => /^[\u4e00-\u9fff]/.test(a));
      return `${c.usage}\n    ${c.summary}${alias ? `（也可以输入 /${alias}）` : ""}`;
    });
    const intro = ctx.actor.kind === "staff" ? "员工可用的命令：" : "可用的命令（有问题也可以直接提问）：";
    return [text(`${intro}\n${lines.join("\n")}`)];
  },
};
