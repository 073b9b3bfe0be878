// UnpodSession: the public API and the session's state machine. Over 400 lines on purpose:
// every phase transition (connect, attach, drop, reconnect, stop) is here, to be read top to
// bottom; the parts that stand alone live beside it — one socket and its liveness
// (internal/connection.ts), the reconnect streak (internal/reconnect.ts), unconfirmed frames
// (internal/outbox.ts), the transcript reducer (internal/transcript.ts), options
// (internal/options.ts), close codes (internal/closeCodes.ts), waitFor
// (internal/waitFor.ts), extensions (extension.ts), tokens (tokenSource.ts).

import {
  CLOSE_CODES,
  type JoinedFrame,
  type LeaveReason,
  MAX_USER_TEXT,
  RTC_PATH,
  RTC_VALIDATE_PATH,
  type SequencedServerFrame,
  UnpodArgumentError,
  UnpodConnectionError,
  type UnpodError,
  UnpodSessionError,
} from "@unpod/core";
import { invalidArgument, polyfillAsyncDispose } from "@unpod/core/internal";
import { createEmitter, type Emitter } from "./events.js";
import { Extensions, type SessionExtension, type SessionLink } from "./extension.js";
import { closeError, TRANSIENT } from "./internal/closeCodes.js";
import { Connection } from "./internal/connection.js";
import { type ResolvedSessionOptions, resolveSessionOptions } from "./internal/options.js";
import { Outbox } from "./internal/outbox.js";
import { ReconnectStreak } from "./internal/reconnect.js";
import { runtime, type WebSocketLike } from "./internal/runtime.js";
import { type Closed, openSocket } from "./internal/socket.js";
import { applyTurn, EMPTY_TRANSCRIPT, type Transcript } from "./internal/transcript.js";
import { refusalError } from "./internal/validate.js";
import { type WaitForOptions, waitForEvent } from "./internal/waitFor.js";
import { abortError, asError, sleep, within } from "./internal/within.js";
import type { ConnectOptions, UnpodSessionOptions } from "./sessionOptions.js";
import { createStore, type Store } from "./store.js";
import { createTokenCache, type TokenCache } from "./tokenSource.js";
import type { ConnectionState, DisconnectReason, SessionEvents, SessionSnapshot } from "./types.js";

/** How long `disconnect()` waits for the server to answer `leave`. */
const LEAVE_TIMEOUT_MS = 3_000;

/** The states in which there is no session to speak of. */
const STOPPED: ReadonlySet<ConnectionState> = new Set(["idle", "disconnected"]);

/** The snapshot of a session before it has joined. */
const BLANK = {
  sessionId: undefined,
  room: undefined,
  participant: undefined,
  transcript: EMPTY_TRANSCRIPT.entries,
  error: undefined,
  reconnectAttempt: 0,
} as const satisfies Partial<SessionSnapshot>;

// The SDK's one `Symbol.asyncDispose` polyfill (core), as in the dev server and the agent
// runner: it runs before the class below keys its dispose method, so that `await using`
// compiled by TypeScript finds that method also where the runtime has no symbol of its own.
polyfillAsyncDispose();

/** Test seam: the unconfirmed client frames of a session (not part of the public API). */
export let outboxOf: (session: UnpodSession) => Outbox;

/**
 * A participant's real-time session with an Unpod server. Connect-only: it takes a token
 * minted by your backend (or a source of them) and never holds a secret.
 *
 * - `connect()` checks the token's `exp` first (an expired token fails at once, without
 *   touching the network), opens the socket, and explains a refused upgrade (expired,
 *   unauthorized, forbidden, unreachable, timeout, cancelled) by asking the server.
 * - After an unexpected drop it reconnects under the {@link ReconnectPolicy} and resumes
 *   the session with the newest token the server pushed — also after the original token
 *   has expired. Nothing is lost and nothing is delivered twice, in either direction.
 * - State is an observable store (`subscribe` / `getSnapshot`), and there are typed events.
 *
 * @example
 * ```ts
 * import { UnpodSession } from "@unpod/browser";
 * declare function showReply(text: string): void;
 * const session = new UnpodSession({
 *   serverUrl: "wss://rtc.example.com",
 *   tokenSource: "https://app.example.com/api/unpod-token",
 * });
 * session.on("agent_reply", ({ text, final }) => {
 *   if (final) showReply(text);
 * });
 * await session.connect();
 * session.sendText("Hello!");
 * // …
 * await session.disconnect();
 * ```
 */
export class UnpodSession {
  readonly #options: ResolvedSessionOptions;
  readonly #tokens: TokenCache;
  readonly #store: Store<SessionSnapshot>;
  readonly #events: Emitter<SessionEvents>;
  readonly #outbox = new Outbox();
  readonly #streak = new ReconnectStreak();
  readonly #extensions: Extensions;
  /** The joined socket, while there is one. */
  #connection: Connection | undefined;
  /** The connect or reconnect in progress; `disconnect()` aborts it. */
  #run: AbortController | undefined;
  #connecting: Promise<void> | undefined;
  #disconnecting: Promise<void> | undefined;
  /** Resolves the pending `disconnect()` promise; `#stop` calls it. */
  #endDisconnect: (() => void) | undefined;
  #leaveTimer: unknown;
  /** Highest server `seq` processed in this session (across its connections). */
  #lastSeq = 0;
  /** The reason of the server's `leave` on the current connection, if it sent one. */
  #leaveReason: LeaveReason | undefined;
  #transcript: Transcript = EMPTY_TRANSCRIPT;

  static {
    outboxOf = (session) => session.#outbox;
  }

  /**
   * @param options - Server, token or token source, and settings.
   * @throws {@link UnpodArgumentError} naming the option that is missing or invalid (e.g. a
   *   `serverUrl` that is not http(s)/ws(s), plain `ws://` to a remote host without
   *   `allowInsecure`, both `token` and `tokenSource`, a `tokenSource` that is neither a URL
   *   nor a function, or a relative token URL where there is no page to resolve it against).
   */
  constructor(options: UnpodSessionOptions) {
    const o = resolveSessionOptions(options);
    this.#options = o;
    this.#tokens = createTokenCache({
      token: o.token,
      source: o.tokenSource,
      fetch: () => runtime("fetch", o.fetch),
      clock: o.clock,
      staleMarginMs: o.tokenStaleMarginMs,
      timeoutMs: o.connectTimeoutMs,
    });
    const report = (error: unknown) => o.logger.warn("listener threw", { error });
    this.#store = createStore<SessionSnapshot>(
      { ...BLANK, state: "idle", tokenExpiresAt: this.#tokens.exp() },
      report,
    );
    this.#events = createEmitter<SessionEvents>(report);
    this.#extensions = new Extensions(o.logger);
    // Bound, so that they can be passed around (e.g. to React's useSyncExternalStore).
    this.subscribe = this.subscribe.bind(this);
    this.getSnapshot = this.getSnapshot.bind(this);
  }

  /**
   * Subscribes to snapshot changes (for `useSyncExternalStore`). Bound: safe to pass around.
   *
   * @param listener - Called after every change.
   * @returns A function that unsubscribes.
   */
  subscribe(listener: () => void): () => void {
    return this.#store.subscribe(listener);
  }

  /**
   * The current immutable snapshot: the same object until something changes. Bound: safe to
   * pass around.
   *
   * @returns The snapshot.
   */
  getSnapshot(): SessionSnapshot {
    return this.#store.get();
  }

  /**
   * Listens to an event.
   *
   * @param type - `state`, `agent_reply`, `user_turn`, `token_refreshed`, `error` or
   *   `disconnected`.
   * @param listener - Called with the event's payload.
   * @returns A function that removes the listener.
   */
  on<K extends keyof SessionEvents>(
    type: K,
    listener: (payload: SessionEvents[K]) => void,
  ): () => void {
    return this.#events.on(type, listener);
  }

  /**
   * Listens to the next event of a type, once.
   *
   * @param type - The event, as for {@link UnpodSession.on}.
   * @param listener - Called with the event's payload, once.
   * @returns A function that removes the listener before it ran.
   */
  once<K extends keyof SessionEvents>(
    type: K,
    listener: (payload: SessionEvents[K]) => void,
  ): () => void {
    const off = this.#events.on(type, (payload) => {
      off();
      listener(payload);
    });
    return off;
  }

  /**
   * Waits for the next event of a type — e.g. the agent's final reply.
   *
   * @param type - The event, as for {@link UnpodSession.on}.
   * @param options - `filter` (only a payload that passes counts), `signal`, `timeout`.
   * @returns The event's payload.
   * @throws (as a rejection) {@link UnpodConnectionError} `aborted` when the signal fires or
   *   the session stops first (or the session's own error when it stopped on one), `timeout`
   *   after `timeout`; {@link UnpodArgumentError} naming a bad option.
   * @example
   * ```ts
   * import type { UnpodSession } from "@unpod/browser";
   * declare const session: UnpodSession;
   * session.sendText("What are your opening hours?");
   * const reply = await session.waitFor("agent_reply", { filter: (r) => r.final, timeout: "10s" });
   * ```
   */
  waitFor<K extends keyof SessionEvents>(
    type: K,
    options?: WaitForOptions<SessionEvents[K]>,
  ): Promise<SessionEvents[K]> {
    return waitForEvent(this, this.#options.clock, type, options);
  }

  /**
   * `await using session = new UnpodSession(…)`: disconnects when the scope ends. Where the
   * runtime lacks `Symbol.asyncDispose`, the SDK defines it first.
   *
   * @returns Resolves once disconnected.
   */
  [Symbol.asyncDispose](): Promise<void> {
    return this.disconnect();
  }

  /**
   * Connects: gets a token (an expired static token fails here, with no network traffic),
   * opens the socket and waits for the server's `joined`. While connecting it returns the
   * same promise; while connected or reconnecting it resolves at once; while disconnecting
   * it waits for the end, then starts a new session; once `disconnected` it starts a new
   * session.
   *
   * @param options - `signal` to cancel.
   * @returns Resolves once joined.
   * @throws {@link UnpodTokenError} `token_expired` (checked locally, or refused by the
   *   server) or `invalid_token` (also for a token source that answers something other than a
   *   token); {@link UnpodSessionError} `unauthorized` or `forbidden`;
   *   {@link UnpodConnectionError} `network_error` (unreachable), `timeout` or `aborted`;
   *   an {@link UnpodApiError} for other refusals (e.g. `rate_limited`) or a failing token
   *   endpoint; {@link UnpodArgumentError} `WebSocket` where the runtime has none, or
   *   `signal` when it is not an `AbortSignal`.
   */
  connect(options?: ConnectOptions): Promise<void> {
    const signal = options?.signal;
    if (signal !== undefined && typeof signal?.addEventListener !== "function") {
      return Promise.reject(invalidArgument("signal", "must be an AbortSignal"));
    }
    switch (this.#state) {
      case "connecting":
        return this.#connecting as Promise<void>;
      case "connected":
      case "reconnecting":
        return Promise.resolve();
      case "disconnecting":
        return (this.#disconnecting as Promise<void>).then(() => this.connect(options));
      default:
        return this.#start(signal);
    }
  }

  /**
   * Ends the session: while connected, sends `leave` and waits (up to 3 s) for the server
   * to close; while connecting or reconnecting, cancels the attempt or the back-off. Clears
   * every timer.
   *
   * @returns Resolves once `disconnected` (at once when already stopped).
   */
  disconnect(): Promise<void> {
    if (STOPPED.has(this.#state)) return Promise.resolve();
    if (this.#disconnecting) return this.#disconnecting;
    this.#cancelRun();
    const connection = this.#connection;
    if (!connection) {
      this.#stop("client_left");
      return Promise.resolve();
    }
    this.#set({ state: "disconnecting" });
    const disconnecting = new Promise<void>((resolve) => {
      this.#endDisconnect = resolve;
    });
    this.#disconnecting = disconnecting;
    // Ends when the server closes the socket (#onClosed), or after LEAVE_TIMEOUT_MS.
    this.#leaveTimer = this.#options.clock.setTimeout(
      () => this.#stop("client_left"),
      LEAVE_TIMEOUT_MS,
    );
    connection.send({ type: "leave", seq: this.#outbox.next() });
    return disconnecting;
  }

  /**
   * Sends text as the user (`user_text`; the token's grant needs `canPublishData`, or an
   * `error` event answers). Buffered while connecting or reconnecting, and resent after a
   * resume until the server confirms it — never twice.
   *
   * @param text - 1 to 4000 characters.
   * @throws {@link UnpodArgumentError} `text` when empty or too long, `sendText` before
   *   `connect()`; {@link UnpodConnectionError} `network_error` once the session is
   *   disconnecting or disconnected; {@link UnpodSessionError} `buffer_full` when too much sent text waits for
   *   the server's confirmation (a connection that does not recover).
   */
  sendText(text: string): void {
    if (typeof text !== "string" || text.length === 0 || text.length > MAX_USER_TEXT) {
      throw invalidArgument("text", `must be 1–${MAX_USER_TEXT} characters`);
    }
    if (this.#state === "idle") {
      throw invalidArgument("sendText", "the session is not connected: call connect() first");
    }
    if (this.#state === "disconnected" || this.#state === "disconnecting") {
      throw new UnpodConnectionError("network_error", "Not connected: the session has ended.");
    }
    const outgoing = this.#outbox.add({ type: "user_text", text });
    this.#connection?.sendData(outgoing.data);
  }

  /**
   * Plugs an extension into the session — how `@unpod/browser/voice` adds audio. Attach it
   * before `connect()`: it takes part from the next new session on.
   *
   * @param extension - The hooks (see {@link SessionExtension}).
   * @returns The extension's link to the session: send frames, send binary, leave.
   * @throws {@link UnpodArgumentError} `extension` when it is not an object, or when the
   *   session is not idle or disconnected.
   */
  use(extension: SessionExtension): SessionLink {
    if (typeof extension !== "object" || extension === null) {
      throw invalidArgument("extension", "must be an object of hooks");
    }
    if (!STOPPED.has(this.#state)) {
      throw invalidArgument("extension", "attach it before connect() (or after disconnect())");
    }
    const remove = this.#extensions.add(extension);
    return {
      send: (frame) => {
        if (STOPPED.has(this.#state) || this.#state === "disconnecting") {
          throw new UnpodConnectionError("network_error", "Not connected.");
        }
        const outgoing = this.#outbox.add(frame);
        this.#connection?.sendData(outgoing.data);
      },
      sendBinary: (data) => {
        if (!this.#connection) return false;
        this.#connection.sendData(data);
        return true;
      },
      remove,
    };
  }

  // ---- state ----

  get #state(): ConnectionState {
    return this.#store.get().state;
  }

  #set(patch: Partial<SessionSnapshot>): void {
    const previous = this.#state;
    this.#store.set(patch);
    // Read back: a store listener may have changed the state re-entrantly.
    const { state } = this.#store.get();
    if (state !== previous) {
      this.#options.logger.debug(`state ${state}`);
      this.#events.emit("state", { state, previous });
    }
  }

  /** Aborts the connect or reconnect in progress, if any. */
  #cancelRun(): void {
    this.#run?.abort();
    this.#run = undefined;
  }

  /** Ends the session: no socket, no timer, no attempt left; `disconnected` and its events. */
  #stop(reason: DisconnectReason, error?: UnpodError): void {
    this.#cancelRun();
    this.#connection?.close();
    this.#connection = undefined;
    this.#options.clock.clearTimeout(this.#leaveTimer);
    const endDisconnect = this.#endDisconnect;
    this.#endDisconnect = this.#disconnecting = undefined;
    this.#set({ state: "disconnected", reconnectAttempt: 0, ...(error && { error }) });
    this.#extensions.notify("stopped");
    if (error) this.#events.emit("error", { error, fatal: true });
    this.#events.emit("disconnected", { reason, error });
    endDisconnect?.();
  }

  // ---- connecting ----

  /** Starts a new session from `idle` or `disconnected`. */
  #start(signal: AbortSignal | undefined): Promise<void> {
    const run = new AbortController();
    const abort = () => run.abort();
    this.#run = run;
    this.#lastSeq = 0;
    this.#outbox.reset();
    this.#streak.reset();
    this.#transcript = EMPTY_TRANSCRIPT;
    this.#set({ ...BLANK, state: "connecting" });
    if (signal?.aborted) abort();
    signal?.addEventListener("abort", abort);
    // Synchronously, inside connect(): an extension may need the caller's user gesture.
    const extensionsStarted = this.#extensions.start(run.signal);
    // Assigned before it can settle: the async function runs to its first await first.
    let attempt: Promise<void> | undefined;
    attempt = (async () => {
      try {
        const joined = (async () => {
          const token = await this.#tokens.get(run.signal);
          await this.#open(token, false, run.signal);
        })();
        await Promise.all([joined, ...extensionsStarted]);
      } catch (cause) {
        // After disconnect() took over, the session is already stopped.
        if (this.#run !== run) throw abortError();
        const error = asError(cause);
        this.#stop("error", error);
        throw error;
      } finally {
        signal?.removeEventListener("abort", abort);
        // A later connect() (after a disconnect) may own `#connecting` by now.
        if (this.#connecting === attempt) this.#connecting = undefined;
      }
    })();
    this.#connecting = attempt;
    return attempt;
  }

  /**
   * One attempt: a new session, or (`resume`) a resume of the current one. One deadline
   * covers the upgrade and, when it is refused, the question to the validate endpoint.
   */
  #open(token: string, resume: boolean, signal: AbortSignal): Promise<void> {
    const { wsBase, httpBase, clock, connectTimeoutMs } = this.#options;
    let query = `?access_token=${encodeURIComponent(token)}${this.#extensions.query()}`;
    if (resume) {
      const sessionId = this.#store.get().sessionId as string;
      query += `&reconnect=1&sid=${encodeURIComponent(sessionId)}`;
    }
    const validateUrl = `${httpBase}${RTC_VALIDATE_PATH}${query}`;
    if (resume) query += `&last_seq=${this.#lastSeq}`;
    const socketUrl = `${wsBase}${RTC_PATH}${query}`;
    const WebSocket = runtime("WebSocket", this.#options.WebSocket);
    return within(
      async (inner) => {
        try {
          await openSocket(WebSocket, socketUrl, (ws, joined) => this.#attach(ws, joined), inner);
        } catch (failure) {
          const closed = failure as Closed;
          if (typeof closed?.code !== "number") throw failure;
          if (closed.opened) throw closeError(closed.code);
          const fetch = runtime("fetch", this.#options.fetch);
          throw await refusalError(fetch, validateUrl, inner);
        }
      },
      signal,
      clock,
      connectTimeoutMs,
    );
  }

  /** A socket joined (a new session, a resume, or a new session replacing a lost one). */
  #attach(ws: WebSocketLike, joined: JoinedFrame): void {
    const before = this.#store.get();
    if (joined.resumed && joined.session_id === before.sessionId) {
      this.#outbox.confirm(joined.client_seq);
    } else if (before.sessionId !== undefined) {
      // The lost session was replaced by a new one: its numbering and transcript start over.
      this.#lastSeq = 0;
      this.#outbox.reset();
      this.#transcript = EMPTY_TRANSCRIPT;
      const error = new UnpodSessionError(
        "session_not_found",
        "The session was lost; a new session started in its place.",
      );
      this.#options.logger.warn("session lost; a new session started", {
        sessionId: joined.session_id,
      });
      this.#events.emit("error", { error, fatal: false });
    }
    this.#run = undefined;
    this.#leaveReason = undefined;
    const connection = new Connection(ws, {
      clock: this.#options.clock,
      lastSeq: this.#lastSeq,
      handlers: {
        frame: (frame) => this.#onFrame(frame),
        confirmed: (clientSeq) => this.#outbox.confirm(clientSeq),
        binary: (data) => this.#extensions.notify("binary", data),
        closed: (code) => this.#onClosed(connection, code),
        failed: (error) => {
          this.#connection = undefined;
          this.#stop("error", error);
        },
      },
    });
    this.#connection = connection;
    for (const outgoing of this.#outbox.unconfirmed()) connection.sendData(outgoing.data);
    this.#extensions.notify("joined", joined);
    this.#set({
      state: "connected",
      sessionId: joined.session_id,
      room: joined.room,
      participant: joined.participant,
      transcript: this.#transcript.entries,
      tokenExpiresAt: this.#tokens.exp(),
      reconnectAttempt: 0,
    });
  }

  // ---- while joined ----

  #onFrame(frame: SequencedServerFrame): void {
    switch (frame.type) {
      case "agent_reply":
      case "user_turn": {
        this.#transcript = applyTurn(this.#transcript, frame);
        this.#set({ transcript: this.#transcript.entries });
        const { turn_id: turnId, text, final, seq } = frame;
        this.#events.emit(frame.type, { turnId, text, final, seq });
        return;
      }
      case "token_refreshed":
        try {
          this.#tokens.offer(frame.token);
        } catch {
          this.#options.logger.warn("bad token_refreshed ignored");
          return;
        }
        this.#set({ tokenExpiresAt: this.#tokens.exp() });
        this.#events.emit("token_refreshed", { token: frame.token, expiresAt: frame.expires_at });
        return;
      case "error": {
        const code = frame.code === "permission_denied" ? "permission_denied" : "protocol_error";
        const error = new UnpodSessionError(code, `${frame.code}: ${frame.message}`);
        this.#events.emit("error", { error, fatal: false });
        // An extension may own it: voice stops when the server refuses its audio.
        this.#extensions.notify("frame", frame);
        return;
      }
      case "leave":
        this.#leaveReason = frame.reason;
        return;
      case "joined":
        return; // replayed: it only moved lastSeq
      default:
        // The audio frames: extensions (@unpod/browser/voice) handle them.
        this.#extensions.notify("frame", frame);
        return;
    }
  }

  /** The joined socket closed: the end of a disconnect, the end of the session, or a drop. */
  #onClosed(connection: Connection, code: number): void {
    if (connection !== this.#connection) return;
    this.#connection = undefined;
    this.#lastSeq = connection.lastSeq;
    const leave = this.#leaveReason;
    if (this.#state === "disconnecting") {
      this.#stop("client_left");
    } else if (leave === "replaced") {
      this.#stop("error", closeError(CLOSE_CODES.replaced));
    } else if (leave !== undefined || code === CLOSE_CODES.normal) {
      this.#stop(leave ?? "session_ended");
    } else {
      const { clock } = this.#options;
      this.#streak.dropped(clock.now(), clock.now() - connection.joinedAt);
      this.#extensions.notify("dropped");
      void this.#reconnect(closeError(code));
    }
  }

  /**
   * Reconnects after a drop under the policy: resumes the session or, when it is gone and
   * there is a token source, starts a new one with a fresh token.
   */
  async #reconnect(lost: UnpodError): Promise<void> {
    const { policy, clock, logger, tokenSource } = this.#options;
    const run = new AbortController();
    this.#run = run;
    let error = lost;
    let replace = false;
    for (;;) {
      if (error.code === "session_not_found" && tokenSource !== undefined) replace = true;
      else if (!TRANSIENT.has(error.code)) return this.#stop("error", error);
      const context = this.#streak.next(clock.now(), error);
      let delay: number | null;
      try {
        delay = policy.nextDelay(context);
      } catch (thrown) {
        logger.warn("reconnect policy threw; giving up", { error: thrown });
        delay = null;
      }
      if (typeof delay !== "number" || !(delay >= 0)) return this.#stop("error", error);
      logger.debug("reconnecting", { attempt: context.attempt, delayMs: delay });
      this.#set({ state: "reconnecting", reconnectAttempt: context.attempt });
      try {
        const retryAfterMs = ((error as { retryAfter?: number }).retryAfter ?? 0) * 1000;
        const waitMs = Math.max(delay, retryAfterMs);
        // A zero delay means now: a 0 ms timer still costs a turn of at least 1 ms in Node.
        if (waitMs > 0) await sleep(waitMs, run.signal, clock);
        const token = replace ? await this.#tokens.get(run.signal) : this.#tokens.latest();
        await this.#open(token, !replace, run.signal);
        return;
      } catch (failure) {
        if (this.#run !== run) return; // disconnect() took over
        error = asError(failure);
      }
    }
  }
}
