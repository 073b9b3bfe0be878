import type { AccessTokenClaims, Participant, ServerFrame, VideoGrant } from "@unpod/core";
import type { WebSocket } from "ws";
import type { VoiceAgent } from "./voice/voiceAgent.js";

/** Frames a session keeps for replay, at most; older ones are dropped (with a warning). */
export const MAX_REPLAY_BUFFER = 10_000;

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
  clientSeq = 0;
  acked = 0;
  readonly buffer: { seq: number; data: string }[] = [];
  connection: Connection | undefined;
  ended = false;
  disconnectedAt: number | undefined;
  expiryTimer: unknown;
  refreshTimer: unknown;
  /** The session's voice, from its first connection that negotiated audio on. */
  voice: VoiceAgent | undefined;

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

  /** Forgets frames up to `seq` (the client has processed them). */
  trim(seq: number): void {
    if (seq <= this.acked) return;
    this.acked = seq;
    let n = 0;
    while (n < this.buffer.length && (this.buffer[n] as { seq: number }).seq <= seq) n++;
    if (n > 0) this.buffer.splice(0, n);
  }
}
