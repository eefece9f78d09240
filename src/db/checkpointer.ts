// SQLite's write-ahead log is copied back into the database file by a checkpoint. Left to SQLite, the
// commit that fills the log past 1,000 pages runs it, on the hub's one thread: every few hundred messages
// one of them waits several milliseconds for it (the slowest 1% of /whoami in `npm run bench -- lookup`).
// The hub turns that off on its connection and checkpoints from a worker thread with its own connection
// instead, every CHECKPOINT_EVERY_MS. PASSIVE never blocks the hub's reads or writes; what it cannot copy
// yet (a read still needs old pages) it copies on a later pass.
import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";

export const CHECKPOINT_EVERY_MS = 1_000;

const WORKER = `
const { parentPort, workerData } = require("node:worker_threads");
const Database = require(workerData.driver);
const db = new Database(workerData.file, { timeout: 5000 });
const pass = () => { try { db.pragma("wal_checkpoint(PASSIVE)"); } catch (err) { parentPort.postMessage({ error: String(err && err.message || err) }); } };
const timer = setInterval(pass, workerData.everyMs);
parentPort.on("message", (m) => { if (m === "stop") { clearInterval(timer); pass(); db.close(); parentPort.postMessage({ stopped: true }); } });
`;

export interface Checkpointer {
  stop(): Promise<void>;
}

/** Starts checkpointing `file` off the main thread; `onError` hears of a pass that failed (the next one tries again). */
export function startCheckpointer(file: string, onError: (message: string) => void, everyMs = CHECKPOINT_EVERY_MS): Checkpointer {
  const driver = createRequire(import.meta.url).resolve("better-sqlite3");
  const worker = new Worker(WORKER, { eval: true, workerData: { file, driver, everyMs } });
  worker.unref();
  worker.on("message", (m: { error?: string }) => m.error && onError(m.error));
  worker.on("error", (err) => onError(err.message));
  return {
    stop: () =>
      new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          void worker.terminate().then(() => resolve());
        };
        // A last pass, then the thread ends; a thread that does not answer is ended anyway.
        const timer = setTimeout(done, 2_000);
        worker.on("message", (m: { stopped?: boolean }) => m.stopped && done());
        worker.on("exit", done);
        worker.postMessage("stop");
      }),
  };
}
