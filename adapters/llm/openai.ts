// Any OpenAI-compatible chat-completions service through the openai SDK: OpenAI, DeepSeek, Qwen
// (DashScope compatible mode), a local Ollama (http://localhost:11434/v1).
import OpenAI from "openai";
import { AdapterError, type LanguageModel } from "../contract.ts";

export interface OpenAiOptions {
  apiKey: string;
  baseURL?: string;
  model: string;
  timeoutMs: number;
  /** The SDK retries 408/409/429/5xx with backoff; kept small so a partner is not kept waiting. */
  maxRetries?: number;
}

export function createOpenAiModel(opts: OpenAiOptions): LanguageModel {
  const client = new OpenAI({ apiKey: opts.apiKey, baseURL: opts.baseURL, timeout: opts.timeoutMs, maxRetries: opts.maxRetries ?? 1 });
  return {
    name: opts.model,
    async complete(messages) {
      try {
        const r = await client.chat.completions.create({ model: opts.model, messages, temperature: 0 });
        return r.choices[0]?.message?.content ?? "";
      } catch (err) {
        const status = (err as { status?: number }).status;
        if (status === 429) throw new AdapterError("rate_limited", `LLM rate limited: ${(err as Error).message}`);
        if (status === 401 || status === 403) throw new AdapterError("unauthorized", `LLM refused the key: ${(err as Error).message}`);
        throw new AdapterError("transient", `LLM failed: ${(err as Error).message}`);
      }
    },
  };
}
