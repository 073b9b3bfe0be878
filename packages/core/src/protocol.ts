// The real-time wire protocol v1.1 (PROTOCOL.md): its frames, constants and parsers.
// Slightly over 400 lines: one declaration per frame PROTOCOL.md lists, plus the two parsers
// that check them; the shared frame checks are internal/check.ts and internal/frames.ts.
import {
  type AgentStateFrame,
  AUDIO_ENCODING,
  type AudioEndFrame,
  type AudioStartFrame,
  type ClientInterruptFrame,
  type InterruptFrame,
  type JoinedAudio,
  type MuteFrame,
  type PlaybackFrame,
  type UserSpeechFrame,
} from "./audio.js";
import { UnpodSessionError } from "./errors.js";
import {
  bool,
  int,
  nonEmpty,
  num,
  object,
  opt,
  pos,
  record,
  type Spec,
  str,
} from "./internal/check.js";
import { parseTagged } from "./internal/frames.js";

/**
 * Real-time wire protocol v1.1 (see `PROTOCOL.md`). JSON text frames discriminated by `type`,
 * snake_case fields. Both `@unpod/browser` and `@unpod/dev-server` parse with these
 * functions so the two ends cannot drift.
 *
 * @packageDocumentation
 */

/** Path of the WebSocket endpoint. */
export const RTC_PATH = "/v1/rtc";
/** Path of the HTTP endpoint that explains a refused upgrade. */
export const RTC_VALIDATE_PATH = "/v1/rtc/validate";
/** Largest text frame either end accepts, in UTF-16 code units (`string.length`). */
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
  /** Identity (the token's `sub`); never empty. */
  identity: string;
  /** Display name. */
  name?: string;
  /** Opaque metadata. */
  metadata?: string;
  /** String → string attributes. */
  attributes?: Record<string, string>;
}

/** First frame of every (re)connection. */
export interface JoinedFrame {
  /** Discriminant. */
  type: "joined";
  /** Server sequence number (1, 2, 3… per session, kept across resumes). */
  seq: number;
  /** Session id; pass it as `sid` to resume. Never empty. */
  session_id: string;
  /** Room name, from the token's grant. Never empty. */
  room: string;
  /** This participant as the server sees it. */
  participant: Participant;
  /** `true` when this connection resumed an existing session. */
  resumed: boolean;
  /** Highest client `seq` the server has processed (0 on a new session). */
  client_seq: number;
  /** Seconds the server keeps the session after a drop. */
  resume_window_s: number;
  /** Server clock, ms since epoch. */
  server_time: number;
  /**
   * The audio formats, when the client asked for audio (`audio=pcm_s16le` on the upgrade
   * URL) and the server supports it; absent otherwise.
   */
  audio?: JoinedAudio;
}

/** A fresh token pushed before the current one expires. */
export interface TokenRefreshedFrame {
  /** Discriminant. */
  type: "token_refreshed";
  /** Server sequence number. */
  seq: number;
  /** The new access token (same grants, same TTL); use it for any later resume. */
  token: string;
  /** The new token's `exp`, seconds since epoch. */
  expires_at: number;
}

/** The agent's words for a turn. */
export interface AgentReplyFrame {
  /** Discriminant. */
  type: "agent_reply";
  /** Server sequence number. */
  seq: number;
  /** Turn this text belongs to; a later frame with the same id replaces it. */
  turn_id: string;
  /** The text so far. */
  text: string;
  /** `true` once the turn's text will not change again. */
  final: boolean;
}

/** What the server understood from the user. */
export interface UserTurnFrame {
  /** Discriminant. */
  type: "user_turn";
  /** Server sequence number. */
  seq: number;
  /** Turn this text belongs to; a later frame with the same id replaces it. */
  turn_id: string;
  /** The text so far. */
  text: string;
  /** `true` once the turn's text will not change again. */
  final: boolean;
}

/** A refused or failed action. */
export interface ErrorFrame {
  /** Discriminant. */
  type: "error";
  /** Server sequence number. */
  seq: number;
  /** e.g. `permission_denied`, `bad_frame`, `too_large`, `unknown_type`. */
  code: string;
  /** Human-readable explanation. */
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
  /** Discriminant. */
  type: "leave";
  /** Server sequence number. */
  seq: number;
  /** Why the session ends; the parser rejects any other value. */
  reason: LeaveReason;
}

/** Answer to `ping`; carries no `seq` and is never replayed. */
export interface PongFrame {
  /** Discriminant. */
  type: "pong";
  /** The ping's `t`, echoed. */
  t: number;
}

/**
 * The server has processed client frames up to `client_seq` (v1.1): the client may forget
 * them. Carries no `seq` and is never replayed.
 */
export interface ServerAckFrame {
  /** Discriminant. */
  type: "ack";
  /** Highest client `seq` the server has processed. */
  client_seq: number;
}

/** Every frame a server sends. */
export type ServerFrame =
  | JoinedFrame
  | TokenRefreshedFrame
  | AgentReplyFrame
  | UserTurnFrame
  | ErrorFrame
  | LeaveFrame
  | PongFrame
  | ServerAckFrame
  | AudioStartFrame
  | AudioEndFrame
  | InterruptFrame
  | AgentStateFrame
  | UserSpeechFrame;

/** The server frames that carry a `seq` (all but `pong` and `ack`): replayed on resume. */
export type SequencedServerFrame = Exclude<ServerFrame, PongFrame | ServerAckFrame>;

/** Text from the user; needs `canPublishData`. */
export interface UserTextFrame {
  /** Discriminant. */
  type: "user_text";
  /** Client sequence number (1, 2, 3…, kept across resumes). */
  seq: number;
  /** What the user typed, at most {@link MAX_USER_TEXT} characters. */
  text: string;
}

/** Highest server `seq` the client has processed. */
export interface AckFrame {
  /** Discriminant. */
  type: "ack";
  /** Highest server `seq` processed (0 before any). */
  seq: number;
}

/** Keep-alive; the server answers `pong`. */
export interface PingFrame {
  /** Discriminant. */
  type: "ping";
  /** Client clock, ms; echoed in the `pong`. */
  t: number;
}

/** Ends the session. */
export interface ClientLeaveFrame {
  /** Discriminant. */
  type: "leave";
  /** Client sequence number. */
  seq: number;
}

/** Every frame a client sends. */
export type ClientFrame =
  | UserTextFrame
  | AckFrame
  | PingFrame
  | ClientLeaveFrame
  | MuteFrame
  | ClientInterruptFrame
  | PlaybackFrame;

/**
 * The client frames that carry a `seq` (all but `ping` and `ack`): kept by the client until
 * the server confirms them, and processed by the server once per `seq`.
 */
export type SequencedClientFrame = Exclude<ClientFrame, AckFrame | PingFrame>;

// Predicates from internal/check.ts (pos = seq ≥ 1, nonEmpty = non-empty string, …).
const LEAVE_REASONS: readonly unknown[] = [
  "client_left",
  "session_ended",
  "removed",
  "server_shutdown",
  "replaced",
] satisfies LeaveReason[];
const AGENT_STATES: readonly unknown[] = [
  "idle",
  "listening",
  "thinking",
  "speaking",
] satisfies AgentStateFrame["state"][];
const INTERRUPT_REASONS: readonly unknown[] = [
  "barge_in",
  "client",
  "server",
] satisfies InterruptFrame["reason"][];
const TURN: Spec = { seq: pos, turn_id: nonEmpty, text: str, final: bool };
const AUDIO_TURN: Spec = { seq: pos, turn_id: nonEmpty };
const PLAYED: Spec = { seq: pos, turn_id: nonEmpty, played_ms: int };
const sampleRate = (v: unknown): boolean =>
  int(v) && (v as number) >= 8000 && (v as number) <= 96_000;
const AUDIO_FORMAT: Spec = {
  encoding: (v) => v === AUDIO_ENCODING,
  sample_rate: sampleRate,
  channels: (v) => v === 1,
};
const SERVER: Record<ServerFrame["type"], Spec> = {
  joined: {
    seq: pos,
    session_id: nonEmpty,
    room: nonEmpty,
    participant: /* @__PURE__ */ object({
      identity: nonEmpty,
      name: /* @__PURE__ */ opt(str),
      metadata: /* @__PURE__ */ opt(str),
      attributes: /* @__PURE__ */ opt(record),
    }),
    resumed: bool,
    client_seq: int,
    resume_window_s: int,
    server_time: num,
    audio: /* @__PURE__ */ opt(
      /* @__PURE__ */ object({
        input: /* @__PURE__ */ object({
          ...AUDIO_FORMAT,
          frame_ms: (v) => int(v) && (v as number) >= 10 && (v as number) <= 100,
        }),
        output: /* @__PURE__ */ object(AUDIO_FORMAT),
      }),
    ),
  },
  token_refreshed: { seq: pos, token: nonEmpty, expires_at: num },
  agent_reply: TURN,
  user_turn: TURN,
  error: { seq: pos, code: nonEmpty, message: str, ref_seq: /* @__PURE__ */ opt(int) },
  leave: { seq: pos, reason: (v) => LEAVE_REASONS.includes(v) },
  pong: { t: num },
  ack: { client_seq: int },
  audio_start: AUDIO_TURN,
  audio_end: AUDIO_TURN,
  interrupt: { ...AUDIO_TURN, reason: (v) => INTERRUPT_REASONS.includes(v) },
  agent_state: {
    seq: pos,
    state: (v) => AGENT_STATES.includes(v),
    turn_id: /* @__PURE__ */ opt(nonEmpty),
  },
  user_speech: { seq: pos, speaking: bool },
};
const CLIENT: Record<ClientFrame["type"], Spec> = {
  user_text: { seq: pos, text: str },
  ack: { seq: int },
  ping: { t: num },
  leave: { seq: pos },
  mute: { seq: pos, muted: bool },
  interrupt: PLAYED,
  playback: PLAYED,
};

// Messages are short (this runs in browsers); `reason` is the machine-readable part.
const fail = (reason: string, where?: string, cause?: unknown) =>
  new UnpodSessionError(
    "protocol_error",
    `Invalid frame (${reason}${where ? `: ${where}` : ""}).`,
    {
      reason,
      cause,
    },
  );

function parse<T>(data: unknown, specs: Record<string, Spec>): T | null {
  return parseTagged<T>(data, "type", specs, fail);
}

/**
 * Parses one server → client frame.
 *
 * @param data - The text of a WebSocket message.
 * @returns The typed frame, or `null` for a well-formed frame of a `type` this version does
 *   not know (clients ignore those, for forward compatibility).
 * @throws {@link UnpodSessionError} `protocol_error` for anything malformed; its `reason` is
 *   `not_text`, `too_large`, `bad_json` or `bad_frame`.
 * @example
 * ```ts
 * import { parseServerFrame } from "@unpod/core";
 * const frame = parseServerFrame('{"type":"pong","t":1}');
 * const roundTripMs = frame?.type === "pong" ? Date.now() - frame.t : undefined;
 * ```
 */
export function parseServerFrame(data: unknown): ServerFrame | null {
  return parse<ServerFrame>(data, SERVER);
}

/**
 * Parses one client → server frame. Unlike {@link parseServerFrame}, an unknown `type` is an
 * error: servers answer it with an `error` frame.
 *
 * @param data - The text of a WebSocket message.
 * @returns The typed frame.
 * @throws {@link UnpodSessionError} `protocol_error` for anything malformed or unknown; its
 *   `reason` (`not_text`, `too_large`, `bad_json`, `bad_frame`, `unknown_type`) maps onto the
 *   `error` frame's `code`. A `user_text` longer than {@link MAX_USER_TEXT} is `too_large`.
 * @example
 * ```ts
 * import { parseClientFrame } from "@unpod/core";
 * const frame = parseClientFrame('{"type":"user_text","seq":1,"text":"hi"}');
 * const text = frame.type === "user_text" ? frame.text : undefined;
 * ```
 */
export function parseClientFrame(data: unknown): ClientFrame {
  const f = parse<ClientFrame>(data, CLIENT);
  if (!f) throw fail("unknown_type");
  if (f.type === "user_text" && f.text.length > MAX_USER_TEXT)
    throw fail("too_large", "user_text.text");
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
