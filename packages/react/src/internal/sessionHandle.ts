import type { UnpodSession } from "@unpod/browser";
import type { SessionControls } from "../sessionControls.js";

const noop = (): void => {};

function isActive(session: UnpodSession): boolean {
  const state = session.getSnapshot().state;
  return state === "connecting" || state === "connected" || state === "reconnecting";
}

/**
 * What the provider puts in context: one per session, so its identity (and so every
 * control and `subscribe` it hands out) is stable for as long as the session is.
 *
 * It creates an owned session lazily, on first use from client-side code (`subscribe`,
 * `getSnapshot`, a control or `useUnpodSession()`): server rendering reads only the idle
 * server snapshot and so never constructs a session, whatever its constructor needs.
 */
export class SessionHandle {
  readonly owned: boolean;
  readonly controls: SessionControls;
  #session: UnpodSession | undefined;
  #create: (() => UnpodSession) | undefined;
  #pending: Promise<void> | undefined;
  /** Bumped by every retain/release; a scheduled release runs only if nothing came after it. */
  #epoch = 0;
  /** The provider's last `connect` prop, to tell a change from the first run. */
  #wanted: boolean | undefined;

  /**
   * @param source - The app's session (not owned) or a factory for an owned one.
   */
  constructor(source: UnpodSession | (() => UnpodSession)) {
    this.owned = typeof source === "function";
    if (typeof source === "function") this.#create = source;
    else this.#session = source;
    this.controls = Object.freeze({
      connect: (options?: { signal?: AbortSignal }) => this.connect(options),
      disconnect: () => this.disconnect(),
      sendText: (text: string) => this.session.sendText(text),
    });
  }

  get session(): UnpodSession {
    if (this.#session === undefined) {
      this.#session = (this.#create as () => UnpodSession)();
      this.#create = undefined;
    }
    return this.#session;
  }

  readonly subscribe = (listener: () => void): (() => void) => this.session.subscribe(listener);

  /** Connects, joining a connect already in flight rather than starting a second one. */
  connect(options?: { signal?: AbortSignal }): Promise<void> {
    if (this.#pending !== undefined) return this.#pending;
    const pending = this.session.connect(options).finally(() => {
      if (this.#pending === pending) this.#pending = undefined;
    });
    this.#pending = pending;
    return pending;
  }

  disconnect(): Promise<void> {
    this.#pending = undefined;
    return this.session.disconnect();
  }

  /**
   * Applies the provider's `connect` prop. Idempotent, so the effect that calls it may run
   * twice (StrictMode, Fast Refresh) without a second connection.
   */
  sync(connect: boolean): void {
    this.#epoch++;
    const wasWanted = this.#wanted;
    this.#wanted = connect;
    if (connect) {
      if (this.#pending === undefined && !isActive(this.session)) this.connect().catch(noop);
    } else if (wasWanted === true) {
      this.#stop();
    }
  }

  /**
   * The provider's effect cleanup: disconnect an owned session a microtask later unless an
   * effect re-run (StrictMode's simulated unmount, Fast Refresh) retains it first. React
   * runs that cleanup and re-run synchronously, so a real unmount is the only way the
   * microtask finds the epoch unchanged.
   */
  release(): void {
    const epoch = ++this.#epoch;
    queueMicrotask(() => {
      if (epoch !== this.#epoch || this.#session === undefined) return;
      this.#wanted = undefined;
      this.#stop();
    });
  }

  /** Disconnects if anything is connected or on its way; a no-op on an idle session. */
  #stop(): void {
    const session = this.#session;
    if (session !== undefined && (this.#pending !== undefined || isActive(session))) {
      this.disconnect().catch(noop);
    }
  }
}
