import type { AccessTokenClaims, Participant, ServerFrame, VideoGrant } from "@unpod/core";
import type { WebSocket } from "ws";
import type { SessionAgentLink } from "../orchestrator/types.js";
import type { VoiceAgent } from "./voice/voiceAgent.js";

/** Frames a session keeps for replay, at most; older ones are dropped (with a warning). */
export const MAX_REPLAY_FRAMES = 10_000;
/** Bytes (UTF-8) of frames a session keeps for replay, at most. */
export const MAX_REPLAY_BYTES = 8 * 1024 * 1024;
/** The server acknowledges client frames after this many… */
export const CLIENT_ACK_AFTER_FRAMES = 32;
/** …or this long after the first unacknowledged one (PROTOCOL.md, server `ack`). */
export const CLIENT_ACK_AFTER_MS = 250;

/** A frame kept for replay: its `seq`, its wire text and that text's UTF-8 size. */
interface Buffered {
  seq: number;
  data: string;
  bytes: number;
}

/** A server frame before the session gives it a `seq`. */
export type UnsequencedFrame = ServerFrame extends infer F
  ? F extends { seq: number }
    ? Omit<F, "seq">
    : never
  : never;

/** One socket's life: the session it serves, its idle timer and its protocol violations. */
export interface Connection {
  readonly ws: WebSocket;
  session: Session | undefined;
  lastActivity: number;
  idleTimer: unknown;
  violations: number;
  /** Whether this socket negotiated audio (`joined.audio` was sent on it). */
  audio: boolean;
}

/**
 * A real-time session: the participant, the server's `seq` counter (kept across resumes),
 * the highest client `seq` processed, the frames not yet acknowledged, and the token the
 * next refresh derives from. At most one socket at a time.
 */
export class Session {
  readonly id: string;
  readonly identity: string;
  readonly room: string;
  readonly participant: Participant;
  /** Grants of the latest token (a refresh keeps them). */
  video: VideoGrant;
  /** Claims of the newest token the session knows (the connect token, or the last refresh). */
  claims: AccessTokenClaims;
  lastSeq = 0;
  /** Highest client `seq` processed. */
  clientSeq = 0;
  /** Highest client `seq` announced in an `ack` (or a `joined`). */
  clientSeqAcked = 0;
  /** Pending `ack` timer (250 ms after the first unacknowledged client frame). */
  ackTimer: unknown;
  /** Highest server `seq` the client acknowledged. */
  acked = 0;
  /**
   * Highest `seq` dropped from the replay buffer before the client acknowledged it: a resume
   * from before it cannot be honoured without loss, so it is refused.
   */
  evictedSeq = 0;
  #buffer: Buffered[] = [];
  #bufferBytes = 0;
  connection: Connection | undefined;
  ended = false;
  disconnectedAt: number | undefined;
  expiryTimer: unknown;
  refreshTimer: unknown;
  /** The session's voice, from its first connection that negotiated audio on. */
  voice: VoiceAgent | undefined;
  /** Who answers the session's turns (a runner, an HTTP endpoint, or the echo agent). */
  agent: SessionAgentLink | undefined;

  constructor(id: string, claims: AccessTokenClaims) {
    this.id = id;
    this.claims = claims;
    this.identity = claims.sub as string;
    this.video = claims.video as VideoGrant;
    this.room = this.video.room as string;
    const p: Participant = { identity: this.identity };
    if (claims.name !== undefined) p.name = claims.name;
    if (claims.metadata !== undefined) p.metadata = claims.metadata;
    if (claims.attributes !== undefined) p.attributes = claims.attributes;
    this.participant = p;
  }

  /** Whether `user_text` is allowed. */
  get canPublishData(): boolean {
    return this.video.canPublishData === true;
  }

  /** The frames kept for replay, oldest first. */
  get buffer(): readonly Buffered[] {
    return this.#buffer;
  }

  /** Bytes of the frames kept for replay. */
  get bufferBytes(): number {
    return this.#bufferBytes;
  }

  /**
   * Keeps a sent frame for replay. Past {@link MAX_REPLAY_FRAMES} or
   * {@link MAX_REPLAY_BYTES} the oldest frames are dropped and {@link Session.evictedSeq}
   * records it.
   *
   * @returns How many frames were dropped to make room.
   */
  keep(seq: number, data: string): number {
    const bytes = Buffer.byteLength(data);
    this.#buffer.push({ seq, data, bytes });
    this.#bufferBytes += bytes;
    let dropped = 0;
    while (
      this.#buffer.length > MAX_REPLAY_FRAMES ||
      (this.#bufferBytes > MAX_REPLAY_BYTES && this.#buffer.length > 1)
    ) {
      const oldest = this.#buffer.shift() as Buffered;
      this.#bufferBytes -= oldest.bytes;
      this.evictedSeq = oldest.seq;
      dropped += 1;
    }
    return dropped;
  }

  /** Forgets frames up to `seq` (the client has processed them). */
  trim(seq: number): void {
    if (seq <= this.acked) return;
    this.acked = seq;
    let n = 0;
    while (n < this.#buffer.length && (this.#buffer[n] as Buffered).seq <= seq) {
      this.#bufferBytes -= (this.#buffer[n] as Buffered).bytes;
      n++;
    }
    if (n > 0) this.#buffer.splice(0, n);
  }
}
