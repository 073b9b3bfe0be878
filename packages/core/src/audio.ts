/**
 * Real-time wire protocol v1.1, audio (see `PROTOCOL.md`, "Audio (v1.1, additive)"): the
 * audio formats a `joined` frame announces and the control frames around binary audio.
 * Binary frames themselves are raw 16-bit little-endian PCM, mono.
 *
 * @packageDocumentation
 */

/** The only audio encoding of protocol v1.1: 16-bit signed little-endian PCM. */
export const AUDIO_ENCODING = "pcm_s16le";
/** Largest client → server binary frame in bytes; a longer one closes the socket with 4400. */
export const MAX_AUDIO_FRAME_BYTES = 8 * 1024;
/** Longest server → client binary frame, in milliseconds of audio. */
export const MAX_AUDIO_FRAME_MS = 200;

/** Format of one direction of audio. */
export interface AudioFormat {
  /** Always `"pcm_s16le"` in protocol v1.1. */
  encoding: typeof AUDIO_ENCODING;
  /** Samples per second (8,000–96,000). */
  sample_rate: number;
  /** Always 1 (mono) in protocol v1.1. */
  channels: 1;
}

/** Format of the audio the client sends: also the exact duration of each binary frame. */
export interface AudioInputFormat extends AudioFormat {
  /** Every client binary frame holds exactly this many milliseconds (10–100). */
  frame_ms: number;
}

/** The `audio` field of a `joined` frame, when audio was asked for and granted. */
export interface JoinedAudio {
  /** What the client sends. */
  input: AudioInputFormat;
  /** What the server sends. */
  output: AudioFormat;
}

/** The agent starts speaking a turn; binary frames that follow belong to it. */
export interface AudioStartFrame {
  /** Discriminant. */
  type: "audio_start";
  /** Server sequence number. */
  seq: number;
  /** The turn (the same id as its `agent_reply` frames). */
  turn_id: string;
}

/** The server has sent a turn's last audio. */
export interface AudioEndFrame {
  /** Discriminant. */
  type: "audio_end";
  /** Server sequence number. */
  seq: number;
  /** The turn. */
  turn_id: string;
}

/** Why the agent's speech was cut off. */
export type InterruptReason = "barge_in" | "client" | "server";

/** Stop playing a turn now: empty the playback buffer and drop the turn's remaining audio. */
export interface InterruptFrame {
  /** Discriminant. */
  type: "interrupt";
  /** Server sequence number. */
  seq: number;
  /** The turn to stop. */
  turn_id: string;
  /** `barge_in` (the user spoke over the agent), `client` (answering the client's `interrupt`) or `server`. */
  reason: InterruptReason;
}

/** What the agent is doing, in the server's view. */
export type AgentState = "idle" | "listening" | "thinking" | "speaking";

/** The server's view of the agent changed. */
export interface AgentStateFrame {
  /** Discriminant. */
  type: "agent_state";
  /** Server sequence number. */
  seq: number;
  /** The new state. */
  state: AgentState;
  /** The turn the state belongs to, when there is one. */
  turn_id?: string;
}

/** The server's voice-activity detector: the user started or stopped speaking. */
export interface UserSpeechFrame {
  /** Discriminant. */
  type: "user_speech";
  /** Server sequence number. */
  seq: number;
  /** `true` when speech started, `false` when it stopped. */
  speaking: boolean;
}

/** The microphone was muted or unmuted; a muted client sends no audio frames. */
export interface MuteFrame {
  /** Discriminant. */
  type: "mute";
  /** Client sequence number. */
  seq: number;
  /** Whether the microphone is muted now. */
  muted: boolean;
}

/** The user stopped the agent; the server stops the turn and answers `interrupt {reason: "client"}`. */
export interface ClientInterruptFrame {
  /** Discriminant. */
  type: "interrupt";
  /** Client sequence number. */
  seq: number;
  /** The turn being played. */
  turn_id: string;
  /** How much of the turn was actually heard, from the playback position (not wall time). */
  played_ms: number;
}

/** A turn's audio finished playing on the client (the agent is truly done speaking only then). */
export interface PlaybackFrame {
  /** Discriminant. */
  type: "playback";
  /** Client sequence number. */
  seq: number;
  /** The turn. */
  turn_id: string;
  /** How much of the turn was played. */
  played_ms: number;
}
