// One HTTP server for every webhook: POST /slack/events, POST /lark/events, and GET /healthz.
// Adapters own their routes (verification included); this only dispatches and answers the rest.
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { Adapter } from "../../adapters/contract.ts";
import type { Logger } from "../lib/logger.ts";

export interface HubServer {
  port: number;
  close(): Promise<void>;
}

/** What went wrong, by name or code only ("TypeError", "ECONNRESET"), and where it was thrown. */
const errorKind = (err: unknown) => (err instanceof Error ? ((err as { code?: string }).code ?? err.name) : typeof err);
const thrownAt = (err: unknown) => (err instanceof Error ? err.stack?.split("\n").find((l) => l.trimStart().startsWith("at "))?.trim() : undefined);

export async function startHttpServer(adapters: Iterable<Adapter>, port: number, logger: Logger, host = "0.0.0.0"): Promise<HubServer> {
  const list = [...adapters];
  const routes = new Map(list.filter((a) => a.http).map((a) => [a.http!.path, a.http!] as const));
  const server = http.createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    if (path === "/healthz" && (req.method === "GET" || req.method === "HEAD")) {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ ok: true, platforms: list.map((a) => a.platform) }));
      return;
    }
    const route = routes.get(path);
    if (!route) {
      res.writeHead(404, { "content-type": "text/plain" }).end("not found");
      return;
    }
    if (req.method !== "POST") {
      res.writeHead(405, { allow: "POST" }).end();
      return;
    }
    // A handler that throws, at once or later, answers 500 and is logged in one line; it never takes the
    // process down. Its message is not logged: a parser's message can quote the body it choked on.
    new Promise<void>((resolve) => resolve(route.handle(req, res))).catch((err: unknown) => {
      logger.error({ kind: errorKind(err), at: thrownAt(err), path, status: 500 }, "webhook handler failed");
      if (!res.headersSent) res.writeHead(500).end();
      else if (!res.writableEnded) res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve());
  });
  const actual = (server.address() as AddressInfo).port;
  logger.info({ port: actual, routes: [...routes.keys(), "/healthz"] }, "http server listening");
  return {
    port: actual,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
