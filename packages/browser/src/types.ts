import type { Participant, UnpodError } from "@unpod/core";

// The logger and clock interfaces are core's, shared by every Unpod package.
export type { Clock, LogFields, Logger } from "@unpod/core";

/**
 * Where a session is in its life.
 *
 * - `idle` — created, `connect()` not called yet.
 * - `connecting` — getting a token, opening the socket, waiting for `joined`.
 * - `connected` — joined; frames flow.
 * - `reconnecting` — the socket dropped; resuming (or, after the session was lost, starting
 *   a new one) under the reconnect policy.
 * - `disconnecting` — `disconnect()` sent `leave` and waits (up to 3 s) for the server to
 *   close; `sendText` is refused, and `connect()` waits for the end, then starts anew.
 * - `disconnected` — stopped: by `disconnect()`, by the server, or by a fatal error
 *   (see {@link SessionSnapshot.error}). `connect()` may be called again.
 */
export type ConnectionState =
  | "idle"
  | "connecting"
  | "connected"
  | "reconnecting"
  | "disconnecting"
  | "disconnected";

/** One line of the conversation, built from `agent_reply` and `user_turn` frames. */
export interface TranscriptEntry {
  /** `${role}:${turnId}` — unique within a session, stable while the turn is updated. */
  readonly id: string;
  /** Who spoke: the agent, or the user (as the server understood them). */
  readonly role: "agent" | "user";
  /** The server's turn id. */
  readonly turnId: string;
  /** The text so far; a non-final entry is replaced by its update. */
  readonly text: string;
  /** Whether this is the turn's final text. */
  readonly final: boolean;
  /** Server `seq` of the frame that last changed the entry. */
  readonly seq: number;
}

/**
 * An immutable picture of a session. {@link UnpodSession.getSnapshot} returns the same
 * object until something changes, so it can feed React's `useSyncExternalStore` directly.
 */
export interface SessionSnapshot {
  /** Connection state. */
  readonly state: ConnectionState;
  /** Session id from the server's `joined` frame. */
  readonly sessionId: string | undefined;
  /** Room from the server's `joined` frame. */
  readonly room: string | undefined;
  /** This participant as the server sees it. */
  readonly participant: Participant | undefined;
  /** The conversation, in server order. Cleared when a new session replaces a lost one. */
  readonly transcript: readonly TranscriptEntry[];
  /** The last fatal error; cleared by the next `connect()`. */
  readonly error: UnpodError | undefined;
  /** `exp` (seconds since epoch) of the newest token the session holds. */
  readonly tokenExpiresAt: number | undefined;
  /** Reconnect attempt in progress (1, 2, …), 0 while not reconnecting. */
  readonly reconnectAttempt: number;
}

/**
 * Why a session ended: the server's `leave` reason (`client_left` also when
 * `disconnect()` was called), or `error` for a fatal error (see the event's `error`).
 */
export type DisconnectReason =
  | "client_left"
  | "session_ended"
  | "removed"
  | "server_shutdown"
  | "replaced"
  | "error";

/** Payload of the `agent_reply` and `user_turn` events. */
export interface TurnEvent {
  /** The server's turn id. */
  readonly turnId: string;
  /** The text so far. */
  readonly text: string;
  /** Whether this is the turn's final text. */
  readonly final: boolean;
  /** Server `seq` of the frame. */
  readonly seq: number;
}

/** Payload of the `state` event. */
export interface StateEvent {
  /** The new state. */
  readonly state: ConnectionState;
  /** The state before. */
  readonly previous: ConnectionState;
}

/** Payload of the `token_refreshed` event. */
export interface TokenRefreshedEvent {
  /** The new token (same grants, later `exp`); the session uses it for later reconnects. */
  readonly token: string;
  /** Its `exp`, seconds since epoch. */
  readonly expiresAt: number;
}

/** Payload of the `error` event. */
export interface SessionErrorEvent {
  /** What went wrong. */
  readonly error: UnpodError;
  /**
   * `true`: the session has stopped (a `disconnected` event follows). `false`: the session
   * goes on — a refused action (e.g. an `error` frame for `user_text` without
   * `canPublishData`), or `session_not_found` when a lost session was replaced by a new one.
   */
  readonly fatal: boolean;
}

/**
 * @deprecated Renamed {@link SessionErrorEvent} (the old name shadowed the DOM's global
 * `ErrorEvent`); this alias goes away in the next minor version.
 */
export type ErrorEvent = SessionErrorEvent;

/** Payload of the `disconnected` event. */
export interface DisconnectedEvent {
  /** Why the session stopped. */
  readonly reason: DisconnectReason;
  /** The fatal error, when `reason` is `error`. */
  readonly error: UnpodError | undefined;
}

/** Events of an {@link UnpodSession} and their payloads. */
export interface SessionEvents {
  /** The connection state changed. */
  state: StateEvent;
  /** The agent said something (each server frame once, in order, across reconnects). */
  agent_reply: TurnEvent;
  /** The server's transcript of the user. */
  user_turn: TurnEvent;
  /** The server pushed a fresh token. */
  token_refreshed: TokenRefreshedEvent;
  /** Something went wrong (see {@link SessionErrorEvent.fatal}). */
  error: SessionErrorEvent;
  /** The session stopped. */
  disconnected: DisconnectedEvent;
}
