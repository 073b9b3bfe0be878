import {
  type ClientFrame,
  isUnpodError,
  MAX_AUDIO_FRAME_BYTES,
  MAX_FRAME_SIZE,
  MAX_USER_TEXT,
  parseClientFrame,
  UnpodSessionError,
} from "@unpod/core";
import type { RawData } from "ws";
import type { Connection, Session, UnsequencedFrame } from "./session.js";

/** Protocol violations (`bad_frame`, `too_large`) a socket may commit before it is closed with 4400. */
export const MAX_VIOLATIONS = 5;

/** What the frame handler needs from the hub. */
export interface FrameHost {
  /** Sends a frame on the session (assigns `seq`, buffers it for replay). */
  send(session: Session, frame: UnsequencedFrame): void;
  /**
   * A `user_text` to answer (turn `tN` for client `seq` N): its `user_turn`, then the
   * session's agent's answer (a runner, an HTTP endpoint, or the echo agent).
   */
  userText(session: Session, seq: number, text: string): void;
  /**
   * The session's `clientSeq` moved: schedule the server's `ack {client_seq}` (after 32
   * client frames, or 250 ms after the first unacknowledged one).
   */
  clientFrameProcessed(session: Session): void;
  /** Sends `pong` (no `seq`, never buffered) on this socket. */
  pong(conn: Connection, t: number): void;
  /** The client said `leave`: answer `leave {client_left}`, close 1000, end the session. */
  clientLeft(session: Session): void;
  /** Too many violations: close 4400 and end the session. */
  protocolViolation(conn: Connection, session: Session): void;
  /** Debug log. */
  debug(message: string, fields?: Record<string, unknown>): void;
}

const ERROR_CODES: Record<string, string> = {
  not_text: "bad_frame",
  bad_json: "bad_frame",
  bad_frame: "bad_frame",
  too_large: "too_large",
  unknown_type: "unknown_type",
};

function byteLength(data: RawData): number {
  if (Array.isArray(data)) return data.reduce((n, b) => n + b.length, 0);
  return data instanceof ArrayBuffer ? data.byteLength : data.length;
}

function toBytes(data: RawData): Uint8Array {
  if (Array.isArray(data)) return Buffer.concat(data);
  return data instanceof ArrayBuffer ? new Uint8Array(data) : data;
}

function toText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString("utf8");
  return Buffer.isBuffer(data) ? data.toString("utf8") : Buffer.from(data).toString("utf8");
}

/** The `seq` of a frame we could not accept, when it has a usable one (for `ref_seq`). */
function refSeq(text: string): number | undefined {
  try {
    const f: unknown = JSON.parse(text);
    const seq = f && typeof f === "object" ? (f as { seq?: unknown }).seq : undefined;
    return Number.isSafeInteger(seq) && (seq as number) > 0 ? (seq as number) : undefined;
  } catch {
    return undefined;
  }
}

function reject(
  host: FrameHost,
  conn: Connection,
  session: Session,
  code: string,
  message: string,
  ref: number | undefined,
): void {
  const frame: UnsequencedFrame =
    ref === undefined
      ? { type: "error", code, message }
      : { type: "error", code, message, ref_seq: ref };
  host.send(session, frame);
  if (code === "unknown_type") return; // forward compatibility: a newer client is not a broken one
  conn.violations += 1;
  if (conn.violations >= MAX_VIOLATIONS) host.protocolViolation(conn, session);
}

/**
 * Handles one message from a client. Never throws on anything a client can send: every
 * malformed input becomes an `error` frame (`bad_frame`, `too_large`, `unknown_type`), and
 * the fifth `bad_frame`/`too_large` on one socket closes it with 4400.
 *
 * - `user_text`: processed once per client `seq` (a resent one is ignored) and acknowledged
 *   by the server's `ack {client_seq}` (after 32 frames or 250 ms); without
 *   `canPublishData` it is answered with `error {code: "permission_denied", ref_seq}`;
 *   otherwise the session's agent answers (see {@link FrameHost.userText}).
 * - `ack`: forgets buffered frames up to `seq`; acknowledging a `seq` never sent is `bad_frame`.
 * - `ping`: `pong` with the same `t`.
 * - `leave`: ends the session.
 * - `mute`, `interrupt`, `playback` (audio; processed once per client `seq` and acknowledged
 *   like `user_text`): go to the session's voice agent; ignored in a session that never
 *   negotiated audio.
 * - Binary frames are uplink audio: see {@link handleAudio}.
 */
export function handleMessage(
  host: FrameHost,
  conn: Connection,
  data: RawData,
  isBinary: boolean,
): void {
  const session = conn.session;
  if (!session || session.ended || session.connection !== conn) return;
  if (isBinary) {
    handleAudio(host, conn, session, toBytes(data));
    return;
  }
  // Cheap bound before decoding: UTF-8 needs at least one byte per UTF-16 unit.
  const bytes = byteLength(data);
  let text = bytes > MAX_FRAME_SIZE * 3 ? undefined : toText(data);
  if (text !== undefined && text.length > MAX_FRAME_SIZE) text = undefined;
  if (text === undefined) {
    reject(
      host,
      conn,
      session,
      "too_large",
      `Frame is longer than ${MAX_FRAME_SIZE} characters.`,
      undefined,
    );
    return;
  }
  let frame: ClientFrame;
  try {
    frame = parseClientFrame(text);
  } catch (error) {
    const reason = error instanceof UnpodSessionError ? (error.reason ?? "bad_frame") : "bad_frame";
    const message = isUnpodError(error) ? error.message : "Malformed frame.";
    reject(host, conn, session, ERROR_CODES[reason] ?? "bad_frame", message, refSeq(text));
    return;
  }
  switch (frame.type) {
    case "ping":
      host.pong(conn, frame.t);
      return;
    case "ack":
      if (frame.seq > session.lastSeq) {
        reject(
          host,
          conn,
          session,
          "bad_frame",
          `"ack" of seq ${frame.seq}, but the last frame sent was ${session.lastSeq}.`,
          undefined,
        );
        return;
      }
      session.trim(frame.seq);
      return;
    case "leave":
      session.clientSeq = Math.max(session.clientSeq, frame.seq);
      host.clientLeft(session);
      return;
    case "user_text": {
      if (frame.seq <= session.clientSeq) {
        host.debug("rtc duplicate client frame ignored", { sid: session.id, seq: frame.seq });
        return;
      }
      session.clientSeq = frame.seq;
      host.clientFrameProcessed(session);
      if (!session.canPublishData) {
        host.send(session, {
          type: "error",
          code: "permission_denied",
          message: "The token's grant does not allow sending text (canPublishData).",
          ref_seq: frame.seq,
        });
        return;
      }
      // MAX_USER_TEXT is enforced by parseClientFrame; keep the agent's answer bounded too.
      host.userText(session, frame.seq, frame.text.slice(0, MAX_USER_TEXT));
      return;
    }
    case "mute":
    case "interrupt":
    case "playback": {
      if (frame.seq <= session.clientSeq) {
        host.debug("rtc duplicate client frame ignored", { sid: session.id, seq: frame.seq });
        return;
      }
      session.clientSeq = frame.seq;
      host.clientFrameProcessed(session);
      const voice = session.voice;
      if (!voice) return;
      if (frame.type === "mute") voice.mute(frame.muted);
      else if (frame.type === "interrupt") voice.clientInterrupt(frame.turn_id, frame.played_ms);
      else voice.playback(frame.turn_id, frame.played_ms);
      return;
    }
  }
}

/**
 * One uplink binary frame (PROTOCOL.md, "Audio"):
 * - longer than {@link MAX_AUDIO_FRAME_BYTES}: the socket is closed with 4400;
 * - on a socket that did not negotiate audio: `error {code: "bad_frame"}` (a violation);
 * - without `canPublish` (or with `canPublishSources` lacking `microphone`): one
 *   `error {code: "permission_denied"}`, then every later frame is ignored;
 * - not exactly one `frame_ms` of input: `error {code: "bad_frame"}` (a violation);
 * - while muted: ignored; otherwise recorded and heard by the voice agent.
 */
function handleAudio(host: FrameHost, conn: Connection, session: Session, bytes: Uint8Array) {
  if (bytes.byteLength > MAX_AUDIO_FRAME_BYTES) {
    host.protocolViolation(conn, session);
    return;
  }
  const voice = conn.audio ? session.voice : undefined;
  if (!voice) {
    const message = "Binary frame on a connection that did not ask for audio (audio=pcm_s16le).";
    reject(host, conn, session, "bad_frame", message, undefined);
    return;
  }
  const result = voice.receive(bytes);
  if (result.kind === "bad_frame") {
    reject(host, conn, session, "bad_frame", result.message, undefined);
  } else if (result.kind === "permission_denied") {
    host.send(session, { type: "error", code: "permission_denied", message: result.message });
  }
}
