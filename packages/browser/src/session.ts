import {
  type ClientFrame,
  type Duration,
  encodeFrame,
  type JoinedFrame,
  type LeaveReason,
  MAX_USER_TEXT,
  parseDuration,
  parseServerFrame,
  RTC_PATH,
  RTC_VALIDATE_PATH,
  type SessionErrorCode,
  UnpodArgumentError,
  UnpodConnectionError,
  type UnpodError,
  UnpodSessionError,
  type UserTextFrame,
} from "@unpod/core";
import { createEmitter } from "./events.js";
import {
  type FetchLike,
  runtime,
  systemClock,
  type WebSocketConstructor,
  type WebSocketLike,
} from "./internal/runtime.js";
import { type Closed, endpoints, noop, openSocket } from "./internal/socket.js";
import { refusalError } from "./internal/validate.js";
import { abortError, asError, sleep, within } from "./internal/within.js";
import { exponentialBackoff, type ReconnectPolicy } from "./reconnectPolicy.js";
import { createStore } from "./store.js";
import { createTokenCache, type TokenSource } from "./tokenSource.js";
import type {
  Clock,
  DisconnectReason,
  Logger,
  SessionEvents,
  SessionSnapshot,
  TranscriptEntry,
} from "./types.js";

/** Ping interval (PROTOCOL.md, Liveness). */
const PING_MS = 10_000;
/** Silence (pongs included) after which the socket counts as dropped. */
const DEAD = 20_000;
/** Acknowledge after this many frames, or `ACK_MS` after the first unacknowledged one. */
const ACK_EVERY = 32;
const ACK_MS = 250;
/** How long `disconnect()` waits for the server to answer `leave`. */
const LEAVE_MS = 3_000;

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
  /** Diagnostics (the session never uses `console`). @defaultValue none */
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

// Close codes (core's CLOSE_CODES, PROTOCOL.md) are written as numbers: the object of
// named codes would cost more than it says. 1000 normal, 1006 dropped, and these:
const CLOSE_ERRORS: Record<number, SessionErrorCode> = {
  4001: "unauthorized",
  4003: "forbidden",
  4004: "session_not_found",
  4009: "session_replaced",
  4400: "protocol_error",
};

/** The error a close code stands for: a session error, or a (resumable) `network_error`. */
const closeError = (code: number): UnpodError => {
  const known = CLOSE_ERRORS[code];
  const message = `Socket closed (${code}).`;
  return known
    ? new UnpodSessionError(known, message, { closeCode: code })
    : new UnpodConnectionError("network_error", message);
};

/** Failures a later attempt may get past; any other (but a lost session) stops. */
const TRANSIENT = /^(network_error|timeout|server_error|rate_limited|http_error)$/;

type Timer = "ping" | "dead" | "ack";

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
 *   tokenSource: "/api/unpod-token",
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
// biome-ignore lint/suspicious/noUnsafeDeclarationMerging: the constructor assigns every member of the interface below (Object.assign of the engine, typed against it).
export class UnpodSession {
  /**
   * @param options - Server, token or token source, and settings.
   * @throws {@link UnpodArgumentError} naming the option that is missing or invalid (e.g. a
   *   `serverUrl` that is not http(s)/ws(s), plain `ws://` to a remote host without
   *   `allowInsecure`, or both `token` and `tokenSource`).
   */
  constructor(options: UnpodSessionOptions) {
    // The methods are the engine's closures (bound: safe to pass around, e.g. to
    // `useSyncExternalStore`); the interface below declares and documents them.
    Object.assign(this, engine(options));
  }
}

// Declaration merging: the class's methods, as the engine provides them.
export interface UnpodSession {
  /**
   * Subscribes to snapshot changes (for `useSyncExternalStore`). Bound: safe to pass around.
   *
   * @param listener - Called after every change.
   * @returns A function that unsubscribes.
   */
  subscribe(listener: () => void): () => void;

  /**
   * The current immutable snapshot: the same object until something changes. Bound: safe to
   * pass around.
   *
   * @returns The snapshot.
   */
  getSnapshot(): SessionSnapshot;

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
  ): () => void;

  /**
   * Connects: gets a token (an expired static token fails here, with no network traffic),
   * opens the socket and waits for the server's `joined`. While connecting it returns the
   * same promise; while connected or reconnecting it resolves at once; once `disconnected`
   * it starts a new session.
   *
   * @param options - `signal` to cancel.
   * @returns Resolves once joined.
   * @throws {@link UnpodTokenError} `token_expired` (checked locally, or refused by the
   *   server) or `invalid_token`; {@link UnpodSessionError} `unauthorized` or `forbidden`;
   *   {@link UnpodConnectionError} `network_error` (unreachable), `timeout` or `aborted`;
   *   an {@link UnpodApiError} for other refusals (e.g. `rate_limited`) or a failing token
   *   endpoint; {@link UnpodArgumentError} `WebSocket` where the runtime has none.
   */
  connect(options?: ConnectOptions): Promise<void>;

  /**
   * Ends the session: while connected, sends `leave` and waits (up to 3 s) for the server
   * to close; while connecting or reconnecting, cancels the attempt or the back-off. Clears
   * every timer.
   *
   * @returns Resolves once `disconnected` (at once when already stopped).
   */
  disconnect(): Promise<void>;

  /**
   * Sends text as the user (`user_text`; the token's grant needs `canPublishData`, or an
   * `error` event answers). Buffered while connecting or reconnecting, and resent after a
   * resume until the server has it — never twice.
   *
   * @param text - 1 to 4000 characters.
   * @throws {@link UnpodArgumentError} `text` when empty or too long;
   *   {@link UnpodConnectionError} `network_error` when the session is idle or disconnected.
   */
  sendText(text: string): void;
}

// The session's machinery, as one closure: locals minify far better than class members.
//
// Protocol details PROTOCOL.md leaves open, as this client settles them:
// - `joined` is not part of the seq-ordered stream: on a resume the server numbers it after
//   the frames it is about to replay, so it neither moves `lastSeq` nor is deduplicated; a
//   replayed `joined` later in a stream only moves `lastSeq`.
// - Dedup is "drop any frame with seq ≤ the highest processed", which relies on the server
//   sending in seq order (it must). Unknown frame types are ignored and do not move `lastSeq`.
// - `ack` goes out after 32 unacknowledged frames or 250 ms after the first one.
// - Client frames are kept until a resume's `joined.client_seq` confirms them (the protocol
//   has no other confirmation); a new session after a lost one drops them and restarts seqs.
// - Liveness: a ping every 10 s; 20 s without any frame (pongs included) counts as a drop.
function engine(options: UnpodSessionOptions) {
  const { token, tokenSource, reconnect, logger: log = {}, clock = systemClock } = options;
  // Exactly one of them, and a token must be a non-empty string.
  if (token === undefined ? !tokenSource : !token || typeof token !== "string" || tokenSource) {
    throw new UnpodArgumentError("token", "pass a token or a tokenSource");
  }
  if (reconnect && typeof reconnect.nextDelay !== "function") {
    throw new UnpodArgumentError("reconnect", "must be a ReconnectPolicy or false");
  }
  const [wsBase, httpBase] = endpoints(options.serverUrl, !!options.allowInsecure);
  const policy: ReconnectPolicy =
    reconnect === false ? { nextDelay: () => null } : (reconnect ?? exponentialBackoff());
  const timeoutMs =
    parseDuration(options.connectTimeout ?? 10, { option: "connectTimeout", max: 300 }) * 1000;
  const fetch = () => runtime("fetch", options.fetch);
  const report = (error: unknown) => log.warn?.("listener threw", { error });
  const tokens = createTokenCache(
    tokenSource,
    token,
    fetch,
    clock,
    parseDuration(options.tokenStaleMargin ?? 30, {
      option: "tokenStaleMargin",
      min: 0,
      max: 3600,
    }),
    timeoutMs,
  );
  // What a new session starts from.
  const blank = {
    sessionId: undefined,
    room: undefined,
    participant: undefined,
    transcript: [],
    error: undefined,
    reconnectAttempt: 0,
  };
  const store = createStore<SessionSnapshot>(
    { ...blank, state: "idle", tokenExpiresAt: tokens.exp() },
    report,
  );
  const snap = store.get;
  const events = createEmitter<SessionEvents>(report);
  const emit = events.emit;

  /** The connect or reconnect in progress; `disconnect()` aborts it. */
  let run: AbortController | undefined;
  let connecting: Promise<void> | undefined;
  let disconnecting: Promise<void> | undefined;
  /** The joined socket. */
  let socket: WebSocketLike | undefined;
  /** Highest server `seq` processed, and the last one acknowledged. */
  let lastSeq = 0;
  let acked = 0;
  /** Last client `seq` used, and the client frames the server has not confirmed. */
  let clientSeq = 0;
  let pending: UserTextFrame[] = [];
  /** When the last frame arrived. */
  let heard = 0;
  let leave: LeaveReason | undefined;
  let onLeft: (() => void) | undefined;
  let timers: Partial<Record<Timer, unknown>> = {};
  /** Where each transcript entry sits, so an update does not scan a long transcript. */
  let positions = new Map<string, number>();

  /** Forgets a session's sequence numbers, unconfirmed frames and transcript positions. */
  const reset = () => {
    lastSeq = acked = clientSeq = 0;
    pending = [];
    positions = new Map();
  };

  /** Idle or disconnected: no session to speak of. */
  const stopped = () => /idle|disc/.test(snap().state);

  const set = (patch: Partial<SessionSnapshot>) => {
    const previous = snap().state;
    store.set(patch);
    const { state } = snap();
    if (state !== previous) {
      log.debug?.(`state ${state}`);
      emit("state", { state, previous });
    }
  };

  const arm = (name: Timer, ms: number, fn: () => void) => {
    clock.clearTimeout(timers[name]);
    timers[name] = clock.setTimeout(() => {
      timers[name] = undefined;
      fn();
    }, ms);
  };

  const send = (frame: ClientFrame) => {
    try {
      socket?.send(encodeFrame(frame));
    } catch {
      // a closing socket: its close handler takes over
    }
  };

  const ack = () => {
    if (lastSeq > acked) {
      acked = lastSeq;
      send({ type: "ack", seq: acked });
    }
  };

  const ping = () =>
    arm("ping", PING_MS, () => {
      send({ type: "ping", t: clock.now() });
      ping();
    });

  /** Treats `DEAD` without any frame (pongs included) as a drop. */
  const watch = (ms: number) =>
    arm("dead", ms, () => {
      const idle = clock.now() - heard;
      if (idle < DEAD) watch(DEAD - idle);
      else if (socket) onClose(socket, 1006);
    });

  /** Drops the socket (if any) and every timer. */
  const detach = () => {
    for (const t of Object.values(timers)) clock.clearTimeout(t);
    timers = {};
    if (socket) {
      socket.onmessage = socket.onclose = noop;
      socket.close();
    }
    socket = undefined;
  };

  const stop = (reason: DisconnectReason, error?: UnpodError) => {
    run?.abort();
    run = undefined;
    detach();
    set({ state: "disconnected", reconnectAttempt: 0, ...(error && { error }) });
    if (error) emit("error", { error, fatal: true });
    emit("disconnected", { reason, error });
  };

  const fail = (error: UnpodError) => stop("error", error);

  const attach = (ws: WebSocketLike, joined: JoinedFrame) => {
    const before = snap();
    let { transcript } = before;
    if (joined.resumed && joined.session_id === before.sessionId) {
      pending = pending.filter((f) => f.seq > joined.client_seq);
    } else if (before.sessionId) {
      // A new session replaces the lost one; its seqs start again.
      reset();
      transcript = [];
    }
    run = undefined;
    socket = ws;
    leave = undefined;
    heard = clock.now();
    ws.onmessage = (e: { data: unknown }) => onMessage(ws, e.data);
    ws.onclose = (e: { code: number }) => onClose(ws, e.code);
    for (const frame of pending) send(frame);
    ping();
    watch(DEAD);
    set({
      state: "connected",
      sessionId: joined.session_id,
      room: joined.room,
      participant: joined.participant,
      transcript,
      tokenExpiresAt: tokens.exp(),
      reconnectAttempt: 0,
    });
  };

  const onMessage = (ws: WebSocketLike, data: unknown) => {
    if (ws !== socket) return;
    heard = clock.now();
    if (typeof data !== "string") return; // binary frames are reserved for audio
    let frame: ReturnType<typeof parseServerFrame>;
    try {
      frame = parseServerFrame(data);
    } catch (error) {
      return fail(error as UnpodError);
    }
    // Replayed frames the session has already processed are dropped here, by seq.
    if (!frame || frame.type === "pong" || frame.seq <= lastSeq) return;
    lastSeq = frame.seq;
    if (lastSeq - acked >= ACK_EVERY) ack();
    else if (!timers.ack) arm("ack", ACK_MS, ack);
    const { type } = frame;
    if (type === "agent_reply" || type === "user_turn") {
      const role = type === "agent_reply" ? "agent" : "user";
      const turn = { turnId: frame.turn_id, text: frame.text, final: frame.final, seq: lastSeq };
      const id = `${role}:${turn.turnId}`;
      const transcript = [...snap().transcript];
      const i = positions.get(id) ?? transcript.length;
      positions.set(id, i);
      transcript[i] = { id, role, ...turn } satisfies TranscriptEntry;
      set({ transcript: Object.freeze(transcript) });
      emit(type, turn);
    } else if (type === "token_refreshed") {
      try {
        tokens.offer(frame.token);
      } catch {
        return log.warn?.("bad token_refreshed ignored");
      }
      set({ tokenExpiresAt: tokens.exp() });
      emit(type, { token: frame.token, expiresAt: frame.expires_at });
    } else if (type === "error") {
      const { code } = frame;
      emit(type, {
        error: new UnpodSessionError(
          code === "permission_denied" ? code : "protocol_error",
          `${code}: ${frame.message}`,
        ),
        fatal: false,
      });
    } else if (type === "leave") leave = frame.reason;
  };

  const onClose = (ws: WebSocketLike, code: number) => {
    if (ws !== socket) return;
    detach();
    if (onLeft) return onLeft();
    if (leave === "replaced") return fail(closeError(4009));
    if (leave || code === 1000) return stop(leave ?? "session_ended");
    void resume(closeError(code));
  };

  /** One attempt: a new session, or (`resume`) a resume of the current one. */
  // One deadline covers the upgrade and, when it is refused, the question to the validate
  // endpoint.
  const open = (token: string, resume: boolean, signal: AbortSignal) => {
    let query = `?access_token=${encodeURIComponent(token)}`;
    if (resume) query += `&reconnect=1&sid=${encodeURIComponent(snap().sessionId as string)}`;
    const WS = runtime("WebSocket", options.WebSocket);
    return within(
      async (inner) => {
        try {
          await openSocket(
            WS,
            `${wsBase}${RTC_PATH}${query}${resume ? `&last_seq=${lastSeq}` : ""}`,
            attach,
            inner,
          );
        } catch (e) {
          const closed = e as Closed;
          if (typeof closed?.code !== "number") throw e;
          if (closed.opened) throw closeError(closed.code);
          throw await refusalError(fetch(), `${httpBase}${RTC_VALIDATE_PATH}${query}`, inner);
        }
      },
      signal,
      clock,
      timeoutMs,
    );
  };

  /** Reconnects after a drop: resumes, or (session lost, token source given) starts anew. */
  const resume = async (lost: UnpodError) => {
    const current = new AbortController();
    const { signal } = current;
    const start = clock.now();
    let error = lost;
    let gone = false;
    run = current;
    for (let attempt = 1; ; attempt++) {
      if (error.code === "session_not_found" && tokenSource) gone = true;
      else if (!TRANSIENT.test(error.code)) return fail(error);
      const delay = policy.nextDelay({ attempt, elapsedMs: clock.now() - start, error });
      if (typeof delay !== "number") return fail(error);
      set({ state: "reconnecting", reconnectAttempt: attempt });
      try {
        await sleep(
          Math.max(delay, ((error as { retryAfter?: number }).retryAfter ?? 0) * 1e3),
          signal,
          clock,
        );
        return await open(gone ? await tokens.get(signal) : tokens.latest(), !gone, signal);
      } catch (e) {
        if (run !== current) return;
        error = asError(e);
      }
    }
  };

  const methods: UnpodSession = {
    getSnapshot: snap,
    subscribe: store.subscribe,
    on: events.on,

    connect(connectOptions) {
      // While connecting, the same promise; while connected or reconnecting, at once.
      if (!stopped()) return connecting ?? Promise.resolve();
      const signal = connectOptions?.signal;
      const current = new AbortController();
      const onAbort = () => current.abort();
      run = current;
      if (signal?.aborted) onAbort();
      signal?.addEventListener("abort", onAbort);
      reset();
      set({ ...blank, state: "connecting" });
      let attempt: Promise<void> | undefined;
      attempt = (async () => {
        try {
          await open(await tokens.get(current.signal), false, current.signal);
        } catch (e) {
          // After disconnect() took over, the session is already stopped.
          if (run !== current) throw abortError();
          const error = asError(e);
          fail(error);
          throw error;
        } finally {
          signal?.removeEventListener("abort", onAbort);
          // A later connect() (after a disconnect) may own `connecting` by now.
          if (connecting === attempt) connecting = undefined;
        }
      })();
      connecting = attempt;
      return attempt;
    },

    disconnect() {
      if (stopped()) return Promise.resolve();
      disconnecting ??= (async () => {
        run?.abort();
        run = undefined;
        if (socket) {
          await new Promise<void>((resolve) => {
            onLeft = resolve;
            arm("dead", LEAVE_MS, resolve);
            send({ type: "leave", seq: ++clientSeq });
          });
        }
        onLeft = disconnecting = undefined;
        stop("client_left");
      })();
      return disconnecting;
    },

    sendText(text) {
      if (typeof text !== "string" || !text || text.length > MAX_USER_TEXT) {
        throw new UnpodArgumentError("text", `must be 1–${MAX_USER_TEXT} characters`);
      }
      if (stopped()) throw new UnpodConnectionError("network_error", "Not connected.");
      const frame: UserTextFrame = { type: "user_text", seq: ++clientSeq, text };
      pending.push(frame);
      send(frame);
    },
  };
  return methods;
}
