// What a WeChat login holds, for re-attaching bindings: the web protocol (wechat4u) hands out new room
// and contact ids at every login (wechaty/puppet-wechat#139, nodeWechat/wechat4u#269), so after each
// login the hub is shown the session's rooms and contacts, and inbound events wait until it has matched
// its rows to them.
import type { Contact, Room, Wechaty } from "wechaty";
import type { Logger } from "pino";
import type { SessionDirectory, SessionWatch } from "../contract.ts";

/**
 * How long to wait for the puppet's "ready" after "login" before reading the session anyway. wechat4u
 * says ready once its contact list stopped growing for five checks four seconds apart (waitStable), so
 * about 20-40 s after the scan.
 */
export const READY_TIMEOUT_MS = 60_000;

type Listener = Parameters<SessionWatch["onLogin"]>[0];

async function directoryOf(bot: Wechaty): Promise<SessionDirectory> {
  const rooms: Room[] = await bot.Room.findAll();
  const contacts: Contact[] = await bot.Contact.findAll();
  return {
    rooms: await Promise.all(rooms.map(async (r) => ({ id: r.id, topic: await r.topic(), memberIds: (await r.memberAll()).map((m) => m.id) }))),
    contacts: await Promise.all(
      contacts.filter((c) => !c.self()).map(async (c) => ({ id: c.id, name: c.name(), alias: (await c.alias()) || undefined })),
    ),
  };
}

/** The session side of the WeChat adapter: login listener, the inbound gate and old -> new id translation. */
export class WechatSession implements SessionWatch {
  #listener: Listener | null = null;
  #gate: Promise<void> = Promise.resolve();
  #settling = false;
  /** Settles at the puppet's next "ready"; a new one after each logout. */
  #ready = signal();
  /** Old id -> current id, for sends that were on their way when the ids changed (a staff chat set by id). */
  readonly #moved = new Map<string, string>();
  /** Rooms the listener has been shown. The web protocol lists a group not saved to contacts only once it speaks. */
  readonly #rooms = new Set<string>();

  constructor(
    private readonly bot: Wechaty,
    private readonly logger: Logger,
    private readonly readyTimeoutMs = READY_TIMEOUT_MS,
  ) {
    bot.on("ready", () => this.#ready.resolve());
    bot.on("logout", () => {
      this.#ready = signal();
    });
  }

  onLogin(listener: Listener): void {
    this.#listener = listener;
  }

  directory(): Promise<SessionDirectory> {
    return directoryOf(this.bot);
  }

  async mark(userId: string, remark: string): Promise<boolean> {
    const contact = await this.bot.Contact.find({ id: userId });
    if (!contact) return false;
    await contact.alias(remark); // wechaty reports a refusal as an "error" event, not by throwing
    return (await contact.alias()) === remark;
  }

  /** True while bindings are being re-attached: sends should wait and retry. */
  get settling(): boolean {
    return this.#settling;
  }

  /**
   * Runs an inbound event once any re-attachment queued before it is done, so none is handled against the
   * previous session's ids. Events do not wait for each other: a slow answer holds up nobody.
   */
  after(run: () => Promise<void>): Promise<void> {
    return this.#gate.then(run);
  }

  translate(id: string): string {
    return this.#moved.get(id) ?? id;
  }

  /** Called on every wechaty "login". */
  loggedIn(): void {
    const ready = this.#ready.promise;
    this.#rooms.clear();
    this.#settle(() => ready, true);
  }

  /** A message from a group the listener has not been shown: show it the session again first. */
  roomSeen(roomId: string): void {
    // While the login's own run is pending, it will show every room the session lists.
    if (this.#settling || this.#rooms.has(roomId)) return;
    this.#rooms.add(roomId);
    this.#settle(async () => {}, false);
  }

  /** Runs the listener after `until`; at a login, sends wait too (they would name the previous session's ids). */
  #settle(until: () => Promise<void>, login: boolean): void {
    const listener = this.#listener;
    if (!listener) return;
    if (login) this.#settling = true;
    const turn = this.#gate.then(async () => {
      let timer: NodeJS.Timeout | undefined;
      try {
        await Promise.race([until(), new Promise<void>((r) => (timer = setTimeout(r, this.readyTimeoutMs).unref()))]);
        const directory = await this.directory();
        for (const r of directory.rooms) this.#rooms.add(r.id);
        const moved = (await listener(directory)) ?? {};
        for (const [from, to] of this.#moved) if (moved[to]) this.#moved.set(from, moved[to]);
        for (const [from, to] of Object.entries(moved)) this.#moved.set(from, to);
      } catch (err) {
        // The kind only: what a failing database call says can carry the rows it was given.
        this.logger.error({ err }, "wechat bindings could not be re-attached after login");
      } finally {
        clearTimeout(timer);
        if (login) this.#settling = false;
      }
    });
    this.#gate = turn;
  }
}

function signal(): { promise: Promise<void>; resolve(): void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}
