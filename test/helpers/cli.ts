// The command line run inside the test's own process: `main()` with an environment, input and output
// of the test's own, so a command costs its work and not a Node start-up plus a TypeScript compile.
// What only a real process can show (the binary's exit, signals, two processes on one file) stays in
// tests that spawn src/bin.js.
import { Readable, Writable } from "node:stream";
import path from "node:path";
import { main } from "../../src/cli.ts";

export const ROOT = path.resolve(import.meta.dirname, "../..");

export interface CliRun {
  code: number;
  /** Everything the command printed: its results and what it wrote to standard output. */
  stdout: string;
  /** Failures, progress and log lines, as the binary writes them to standard error. */
  stderr: string;
}

function collector(): { stream: Writable & { isTTY: false }; text: () => string } {
  let text = "";
  const stream = new Writable({
    write(chunk, _encoding, done) {
      text += String(chunk);
      done();
    },
  }) as Writable & { isTTY: false };
  stream.isTTY = false;
  return { stream, text: () => text };
}

/**
 * `npx partner-hub <args>` with `env` as its whole environment (nothing from the test process leaks in)
 * and `input` as its standard input, which is not a terminal.
 */
export async function runCli(args: string[], opts: { env?: NodeJS.ProcessEnv; input?: string; cwd?: string } = {}): Promise<CliRun> {
  const stdout = collector();
  const stderr = collector();
  const stdin = Object.assign(Readable.from(opts.input === undefined ? [] : [opts.input], { objectMode: false }), { isTTY: false });
  const code = await main(["node", "partner-hub", ...args], (s) => stdout.stream.write(`${s}\n`), {
    env: opts.env ?? {},
    cwd: opts.cwd ?? ROOT,
    stdin,
    stdout: stdout.stream,
    stderr: stderr.stream,
    logs: stderr.stream,
  });
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}
