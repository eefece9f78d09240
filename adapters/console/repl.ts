// `partner-hub console`: an interactive chat with the hub. Lines starting with /as and /in belong
// to the console itself (who you are, which group you are in); everything else goes to the hub.
import readline from "node:readline";
import { directChatId, type ConsoleAdapter, type ConsoleOutput } from "./index.ts";

export const REPL_HELP = [
  "控制台：直接输入消息，或输入命令（/help 查看）。",
  "  /as <身份>    切换身份，例如 /as zhou（= console:zhou）",
  "  /in <群>      进入一个群，例如 /in hz-group；只输入 /in 回到私聊",
  "  /quit         退出",
].join("\n");

export interface ReplOptions {
  adapter: ConsoleAdapter;
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  as: string;
  chat?: string;
}

/**
 * Prints what the hub says: as it is in the chat you are in, and marked with its chat when it goes to
 * another one (an answer delivered to a partner's group while you are in your private chat).
 */
export function replPrinter(write: (line: string) => void, where: () => string) {
  return (o: ConsoleOutput) => write(o.chatId === where() ? o.rendered : `〔发往 console:${o.chatId}〕\n${o.rendered}`);
}

/** Resolves when the input ends or the user quits. `state` follows /as and /in. */
export function runRepl(opts: ReplOptions, state: { chatId: string } = { chatId: "" }): Promise<void> {
  let as = opts.as.replace(/^console:/, "");
  let chat = opts.chat?.replace(/^console:/, "");
  const track = () => (state.chatId = chat ?? directChatId(as));
  track();
  const rl = readline.createInterface({ input: opts.input, output: opts.output, terminal: (opts.input as { isTTY?: boolean }).isTTY === true });
  const prompt = () => {
    rl.setPrompt(`[${as} @ ${chat ?? "私聊"}] > `);
    rl.prompt();
  };
  const say = (line: string) => opts.output.write(`${line}\n`);
  say(REPL_HELP);
  prompt();
  let queue = Promise.resolve();
  return new Promise((resolve) => {
    rl.on("line", (raw) => {
      // Lines are handled one after another, in the order typed (or piped).
      queue = queue.then(async () => {
        const line = raw.trim();
        const meta = /^\/(as|in|quit|exit)(?:\s+(\S+))?\s*$/.exec(line);
        if (meta?.[1] === "as") {
          if (meta[2]) as = meta[2].replace(/^console:/, "");
          track();
          say(`现在的身份：console:${as}`);
        } else if (meta?.[1] === "in") {
          chat = meta[2]?.replace(/^console:/, "");
          track();
          say(chat ? `已进入群 console:${chat}` : "已回到私聊");
        } else if (meta) {
          rl.close();
          return;
        } else if (line) {
          try {
            await opts.adapter.say(as, line, chat);
          } catch (err) {
            say(`出错了：${(err as Error).message}`);
          }
        }
        prompt();
      });
    });
    rl.on("close", () => void queue.then(() => resolve()));
  });
}
