// A local OpenAI-compatible server (POST /v1/chat/completions) that the real openai SDK talks to.
import http from "node:http";
import type { AddressInfo } from "node:net";

export interface ChatRequest {
  model: string;
  messages: { role: string; content: string }[];
}

export type Reply = { content: string } | { status: number } | { hang: true };

export async function startFakeOpenAi(respond: (req: ChatRequest) => Reply) {
  const requests: ChatRequest[] = [];
  const server = http.createServer((req, res) => {
    let raw = "";
    req.on("data", (c) => (raw += c));
    req.on("end", () => {
      if (req.url !== "/v1/chat/completions") return res.writeHead(404).end();
      const body = JSON.parse(raw) as ChatRequest;
      requests.push(body);
      const r = respond(body);
      if ("hang" in r) return; // never answers: the client's timeout has to fire
      if ("status" in r) return res.writeHead(r.status, { "content-type": "application/json" }).end(JSON.stringify({ error: { message: "failing on purpose" } }));
      res.writeHead(200, { "content-type": "application/json" }).end(
        JSON.stringify({
          id: "chatcmpl-1",
          object: "chat.completion",
          created: 1,
          model: body.model,
          choices: [{ index: 0, message: { role: "assistant", content: r.content }, finish_reason: "stop" }],
          usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
        }),
      );
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    baseURL: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
    requests,
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((r) => server.close(() => r()));
    },
  };
}
