// A small bounded cache with expiry. Used for identity and chat lookups on the hot path; the TTL
// bounds how long another instance's change (a /bind there) can go unseen here.
import type { Clock } from "./clock.ts";

export class TtlCache<V> {
  #entries = new Map<string, { value: V; expires: number }>();
  constructor(
    private readonly clock: Clock,
    private readonly ttlMs: number,
    private readonly maxEntries = 50_000,
  ) {}

  get(key: string): V | undefined {
    const e = this.#entries.get(key);
    if (!e) return undefined;
    if (e.expires <= this.clock.now().getTime()) {
      this.#entries.delete(key);
      return undefined;
    }
    return e.value;
  }

  set(key: string, value: V): void {
    if (this.#entries.size >= this.maxEntries) this.#entries.delete(this.#entries.keys().next().value!);
    this.#entries.set(key, { value, expires: this.clock.now().getTime() + this.ttlMs });
  }

  clear(): void {
    this.#entries.clear();
  }
}
