import { UnpodSessionError } from "./errors.js";

/**
 * Real-time wire protocol v1 (see `PROTOCOL.md`). JSON text frames discriminated by `type`,
 * snake_case fields. Both `@unpod/browser` and `@unpod/dev-server` parse with these
 * functions so the two ends cannot drift.
 *
 * @packageDocumentation
 */

/** Path of the WebSocket endpoint. */
export const RTC_PATH = "/v1/rtc";
/** Path of the HTTP endpoint that explains a refused upgrade. */
export const RTC_VALIDATE_PATH = "/v1/rtc/validate";
/** Largest text frame either end accepts, in bytes of UTF-16 code units. */
export const MAX_FRAME_SIZE = 64 * 1024;
/** Longest `user_text` in characters. */
export const MAX_USER_TEXT = 4000;

/** WebSocket close codes and what they mean. */
export const CLOSE_CODES = {
  /** After `leave`: stop. */
  normal: 1000,
  /** Server going away: resume. */
  goingAway: 1001,
  /** Dropped without a close frame: resume. */
  abnormal: 1006,
  /** Server restarting: resume. */
  serviceRestart: 1012,
  /** Token refused: stop. */
  unauthorized: 4001,
  /** Grant refused: stop. */
  forbidden: 4003,
  /** Session gone: start anew or stop. */
  sessionNotFound: 4004,
  /** Nothing heard for 30 s: resume. */
  idle: 4008,
  /** Another socket took the session: stop. */
  replaced: 4009,
  /** Protocol violation: stop. */
  protocolError: 4400,
} as const;

/** The participant as the server sees it. */
export interface Participant {
  /** Identity (the token's `sub`). */
  identity: string;
  /** Display name. */
  name?: string;
  /** Opaque metadata. */
  metadata?: string;
  /** Attributes. */
  attributes?: Record<string, string>;
}

/** First frame of every (re)connection. */
export interface JoinedFrame {
  type: "joined";
  seq: number;
  session_id: string;
  room: string;
  participant: Participant;
  resumed: boolean;
  /** Highest client `seq` the server has processed (0 on a new session). */
  client_seq: number;
  /** Seconds the server keeps the session after a drop. */
  resume_window_s: number;
  /** Server clock, ms since epoch. */
  server_time: number;
}

/** A fresh token pushed before the current one expires. */
export interface TokenRefreshedFrame {
  type: "token_refreshed";
  seq: number;
  token: string;
  /** Seconds since epoch. */
  expires_at: number;
}

/** The agent's words for a turn. */
export interface AgentReplyFrame {
  type: "agent_reply";
  seq: number;
  turn_id: string;
  text: string;
  final: boolean;
}

/** What the server understood from the user. */
export interface UserTurnFrame {
  type: "user_turn";
  seq: number;
  turn_id: string;
  text: string;
  final: boolean;
}

/** A refused or failed action. */
export interface ErrorFrame {
  type: "error";
  seq: number;
  /** e.g. `permission_denied`, `bad_frame`, `too_large`, `unknown_type`. */
  code: string;
  message: string;
  /** The client frame's `seq` this answers. */
  ref_seq?: number;
}

/** Why the server ends a session. */
export type LeaveReason =
  | "client_left"
  | "session_ended"
  | "removed"
  | "server_shutdown"
  | "replaced";

/** The server is closing the session (not a drop). */
export interface LeaveFrame {
  type: "leave";
  seq: number;
  reason: LeaveReason;
}

/** Answer to `ping`; carries no `seq` and is never replayed. */
export interface PongFrame {
  type: "pong";
  t: number;
}

/** Every frame a server sends. */
export type ServerFrame =
  | JoinedFrame
  | TokenRefreshedFrame
  | AgentReplyFrame
  | UserTurnFrame
  | ErrorFrame
  | LeaveFrame
  | PongFrame;

/** Text from the user; needs `canPublishData`. */
export interface UserTextFrame {
  type: "user_text";
  seq: number;
  text: string;
}

/** Highest server `seq` the client has processed. */
export interface AckFrame {
  type: "ack";
  seq: number;
}

/** Keep-alive; the server answers `pong`. */
export interface PingFrame {
  type: "ping";
  t: number;
}

/** Ends the session. */
export interface ClientLeaveFrame {
  type: "leave";
  seq: number;
}

/** Every frame a client sends. */
export type ClientFrame = UserTextFrame | AckFrame | PingFrame | ClientLeaveFrame;

// Field kinds: i = integer ≥ 0, p = integer ≥ 1, n = finite number, s = string,
// b = boolean, o = object; a trailing ? marks an optional field.
type Spec = Record<string, string>;
const SERVER: Record<ServerFrame["type"], Spec> = {
  joined: {
    seq: "p",
    session_id: "s",
    room: "s",
    participant: "o",
    resumed: "b",
    client_seq: "i",
    resume_window_s: "i",
    server_time: "n",
  },
  token_refreshed: { seq: "p", token: "s", expires_at: "n" },
  agent_reply: { seq: "p", turn_id: "s", text: "s", final: "b" },
  user_turn: { seq: "p", turn_id: "s", text: "s", final: "b" },
  error: { seq: "p", code: "s", message: "s", ref_seq: "i?" },
  leave: { seq: "p", reason: "s" },
  pong: { t: "n" },
};
const CLIENT: Record<ClientFrame["type"], Spec> = {
  user_text: { seq: "p", text: "s" },
  ack: { seq: "i" },
  ping: { t: "n" },
  leave: { seq: "p" },
};

function ok(kind: string, v: unknown): boolean {
  switch (kind) {
    case "i":
    case "p":
      return Number.isSafeInteger(v) && (v as number) >= (kind === "p" ? 1 : 0);
    case "n":
      return typeof v === "number" && Number.isFinite(v);
    case "s":
      return typeof v === "string";
    case "b":
      return typeof v === "boolean";
    default:
      return !!v && typeof v === "object" && !Array.isArray(v);
  }
}

const fail = (message: string) => new UnpodSessionError("protocol_error", message);

function parse<T>(data: unknown, specs: Record<string, Spec>): T | null {
  if (typeof data !== "string") throw fail("Frame must be JSON text.");
  if (data.length > MAX_FRAME_SIZE) throw fail(`Frame is larger than ${MAX_FRAME_SIZE} bytes.`);
  let f: Record<string, unknown>;
  try {
    f = JSON.parse(data);
  } catch (cause) {
    throw new UnpodSessionError("protocol_error", "Frame is not valid JSON.", { cause });
  }
  if (!f || typeof f !== "object" || Array.isArray(f) || typeof f.type !== "string") {
    throw fail('Frame must be a JSON object with a string "type".');
  }
  const spec = Object.hasOwn(specs, f.type) ? specs[f.type] : undefined;
  if (!spec) return null;
  for (const [field, kind] of Object.entries(spec)) {
    const v = f[field];
    if (kind.endsWith("?") ? v !== undefined && !ok(kind[0] as string, v) : !ok(kind, v)) {
      throw fail(`Frame "${f.type}" has a missing or invalid "${field}".`);
    }
  }
  return f as T;
}

/**
 * Parses one server → client frame.
 *
 * @param data - The text of a WebSocket message.
 * @returns The typed frame, or `null` for a well-formed frame of a `type` this version does
 *   not know (clients ignore those, for forward compatibility).
 * @throws {@link UnpodSessionError} `protocol_error` for anything malformed.
 * @example
 * ```ts
 * import { parseServerFrame } from "@unpod/core";
 * const frame = parseServerFrame('{"type":"pong","t":1}');
 * if (frame?.type === "pong") console.log(frame.t);
 * ```
 */
export function parseServerFrame(data: unknown): ServerFrame | null {
  const f = parse<ServerFrame>(data, SERVER);
  if (f?.type === "joined" && typeof f.participant.identity !== "string") {
    throw fail('Frame "joined" has a participant without "identity".');
  }
  return f;
}

/**
 * Parses one client → server frame. Unlike {@link parseServerFrame}, an unknown `type` is an
 * error: servers answer it with an `error` frame.
 *
 * @param data - The text of a WebSocket message.
 * @returns The typed frame.
 * @throws {@link UnpodSessionError} `protocol_error` for anything malformed or unknown.
 */
export function parseClientFrame(data: unknown): ClientFrame {
  const f = parse<ClientFrame>(data, CLIENT);
  if (!f) throw fail("Unknown frame type.");
  if (f.type === "user_text" && f.text.length > MAX_USER_TEXT) {
    throw fail(`"user_text" is longer than ${MAX_USER_TEXT} characters.`);
  }
  return f;
}

/**
 * Serialises a frame for the wire.
 *
 * @param frame - A client or server frame.
 * @returns JSON text.
 */
export function encodeFrame(frame: ServerFrame | ClientFrame): string {
  return JSON.stringify(frame);
}
