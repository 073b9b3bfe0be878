import {
  CLOSE_CODES,
  type Duration,
  type JoinedFrame,
  type LeaveReason,
  MAX_USER_TEXT,
  RTC_PATH,
  RTC_VALIDATE_PATH,
  type SequencedServerFrame,
  type SessionErrorCode,
  UnpodArgumentError,
  UnpodConnectionError,
  type UnpodError,
  type UnpodErrorCode,
  UnpodSessionError,
} from "@unpod/core";
import { createEmitter, type Emitter } from "./events.js";
import { Connection } from "./internal/connection.js";
import { type ResolvedSessionOptions, resolveSessionOptions } from "./internal/options.js";
import { Outbox } from "./internal/outbox.js";
import { ReconnectStreak } from "./internal/reconnect.js";
import {
  type FetchLike,
  runtime,
  type WebSocketConstructor,
  type WebSocketLike,
} from "./internal/runtime.js";
import { type Closed, openSocket } from "./internal/socket.js";
import { applyTurn, EMPTY_TRANSCRIPT, type Transcript } from "./internal/transcript.js";
import { refusalError } from "./internal/validate.js";
import { abortError, asError, sleep, within } from "./internal/within.js";
import type { ReconnectPolicy } from "./reconnectPolicy.js";
import { createStore, type Store } from "./store.js";
import { createTokenCache, type TokenCache, type TokenSource } from "./tokenSource.js";
import type {
  Clock,
  ConnectionState,
  DisconnectReason,
  Logger,
  SessionEvents,
  SessionSnapshot,
} from "./types.js";

/** How long `disconnect()` waits for the server to answer `leave`. */
const LEAVE_TIMEOUT_MS = 3_000;

/** Settings shared by both ways of giving a session its token. */
export interface SessionSettings {
  /** `WebSocket` implementation. @defaultValue `globalThis.WebSocket` (Node 20 has none: pass `WebSocket` from `ws`) */
  WebSocket?: WebSocketConstructor;
  /** `fetch` implementation, for the validate endpoint and a token endpoint URL. @defaultValue `globalThis.fetch` */
  fetch?: FetchLike;
  /** When to reconnect after a drop, or `false` to stop instead. @defaultValue `exponentialBackoff()` */
  reconnect?: ReconnectPolicy | false;
  /** Deadline of one connection attempt (socket and `joined`) and of each HTTP call. @defaultValue `"10s"` */
  connectTimeout?: Duration;
  /** With a token source: get a new token this long before `exp` (at most a quarter of the token's life). @defaultValue `"30s"` */
  tokenStaleMargin?: Duration;
  /** Allow plain `ws://` / `http://` to hosts other than loopback. @defaultValue false */
  allowInsecure?: boolean;
  /** Diagnostics (the session never uses `console`; a logger that throws is ignored). @defaultValue none */
  logger?: Logger;
  /** Time and timers; inject one in tests. @defaultValue the host's `Date.now` and `setTimeout` */
  clock?: Clock;
}

/**
 * Options of {@link UnpodSession}: the server, and either a `token` minted by your backend
 * or a `tokenSource` that fetches one.
 */
export type UnpodSessionOptions = (
  | {
      /** Server URL: `https://…` or `wss://…` (`http://` / `ws://` to loopback). */
      serverUrl: string;
      /** An access token minted by your backend. */
      token: string;
      /** Not with `token`. */
      tokenSource?: never;
    }
  | {
      /** Server URL: `https://…` or `wss://…` (`http://` / `ws://` to loopback). */
      serverUrl: string;
      /** Where to get tokens: your backend's token endpoint URL, or a function. */
      tokenSource: TokenSource;
      /** Not with `tokenSource`. */
      token?: never;
    }
) &
  SessionSettings;

/** Options of {@link UnpodSession.connect}. */
export interface ConnectOptions {
  /** Cancels the attempt: `connect()` rejects with `aborted` and the session stops. */
  signal?: AbortSignal;
}

/** What each session-ending close code means (PROTOCOL.md, "Close codes"); others resume. */
const CLOSE_ERRORS: ReadonlyMap<number, SessionErrorCode> = new Map([
  [CLOSE_CODES.unauthorized, "unauthorized"],
  [CLOSE_CODES.forbidden, "forbidden"],
  [CLOSE_CODES.sessionNotFound, "session_not_found"],
  [CLOSE_CODES.replaced, "session_replaced"],
  [CLOSE_CODES.protocolError, "protocol_error"],
]);

/** The error a close code stands for: a session error, or a (resumable) `network_error`. */
function closeError(code: number): UnpodError {
  const known = CLOSE_ERRORS.get(code);
  const message = `Socket closed (${code}).`;
  return known
    ? new UnpodSessionError(known, message, { closeCode: code })
    : new UnpodConnectionError("network_error", message);
}

/** Failures a later attempt may get past; any other (but a lost session) stops. */
const TRANSIENT: ReadonlySet<UnpodErrorCode> = new Set([
  "network_error",
  "timeout",
  "server_error",
  "rate_limited",
  "http_error",
]);

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
      return Promise.reject(new UnpodArgumentError("signal", "must be an AbortSignal"));
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
   * @throws {@link UnpodArgumentError} `text` when empty or too long;
   *   {@link UnpodConnectionError} `network_error` when the session is idle, disconnecting or
   *   disconnected; {@link UnpodSessionError} `buffer_full` when too much sent text waits for
   *   the server's confirmation (a connection that does not recover).
   */
  sendText(text: string): void {
    if (typeof text !== "string" || text.length === 0 || text.length > MAX_USER_TEXT) {
      throw new UnpodArgumentError("text", `must be 1–${MAX_USER_TEXT} characters`);
    }
    if (STOPPED.has(this.#state) || this.#state === "disconnecting") {
      throw new UnpodConnectionError("network_error", "Not connected.");
    }
    const outgoing = this.#outbox.add({ type: "user_text", text });
    this.#connection?.sendData(outgoing.data);
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
    // Assigned before it can settle: the async function runs to its first await first.
    let attempt: Promise<void> | undefined;
    attempt = (async () => {
      try {
        const token = await this.#tokens.get(run.signal);
        await this.#open(token, false, run.signal);
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
    let query = `?access_token=${encodeURIComponent(token)}`;
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
        binary: () => {},
        closed: (code) => this.#onClosed(connection, code),
        failed: (error) => {
          this.#connection = undefined;
          this.#stop("error", error);
        },
      },
    });
    this.#connection = connection;
    for (const outgoing of this.#outbox.unconfirmed()) connection.sendData(outgoing.data);
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
        return;
      }
      case "leave":
        this.#leaveReason = frame.reason;
        return;
      default:
        // `joined` replayed, and the audio frames (handled by @unpod/browser/voice).
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
        await sleep(Math.max(delay, retryAfterMs), run.signal, clock);
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
