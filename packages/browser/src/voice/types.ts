import type { AgentState, InterruptReason, UnpodError } from "@unpod/core";

/**
 * Where voice is in its life.
 *
 * - `idle` — attached, `connect()` not called yet.
 * - `starting` — getting the microphone, setting up audio (or waiting for a user gesture:
 *   see {@link VoiceSnapshot.playbackBlocked}).
 * - `active` — capturing, and able to play the agent.
 * - `stopped` — released: by `stop()`, `disconnect()`, or an error (see {@link VoiceSnapshot.error}).
 */
export type VoiceStatus = "idle" | "starting" | "active" | "stopped";

/** An immutable picture of voice; the same object until something changes. */
export interface VoiceSnapshot {
  /** See {@link VoiceStatus}. */
  readonly status: VoiceStatus;
  /** Whether the microphone is muted (nothing is sent). */
  readonly muted: boolean;
  /** Output volume, 0–1. */
  readonly volume: number;
  /**
   * `speaking` while the agent's audio is playing here (from the playback queue, not the
   * server's word alone), otherwise the server's last `agent_state`.
   */
  readonly agentState: AgentState;
  /** The server's voice-activity detector: the user is speaking. */
  readonly userSpeaking: boolean;
  /** The browser refused to start audio without a user gesture: call `start()` in one. */
  readonly playbackBlocked: boolean;
  /** The microphone in use (`undefined`: the default, or none yet). */
  readonly inputDeviceId: string | undefined;
  /** The speaker chosen (`undefined`: the default). */
  readonly outputDeviceId: string | undefined;
  /** The last error (`stopped` by an error, or a non-fatal one), cleared by `start()`. */
  readonly error: UnpodError | undefined;
}

/** Payload of the `agent_state` event. */
export interface AgentStateEvent {
  /** The new state (as in {@link VoiceSnapshot.agentState}). */
  readonly state: AgentState;
  /** The state before. */
  readonly previous: AgentState;
}

/** Payload of the `interrupted` event: the agent's turn was cut off. */
export interface InterruptedEvent {
  /** The turn. */
  readonly turnId: string;
  /** `client` (`interrupt()`), `barge_in` (the user spoke over the agent) or `server`. */
  readonly reason: InterruptReason;
  /** How much of the turn had been played here. */
  readonly playedMs: number;
}

/** Payload of the `playback_blocked` event. */
export interface PlaybackBlockedEvent {
  /** `true`: audio waits for a user gesture (`start()` in one); `false`: it plays again. */
  readonly blocked: boolean;
}

/** Payload of the `device_change` event. */
export interface DeviceChangeEvent {
  /** Microphone or speaker. */
  readonly kind: "audioinput" | "audiooutput";
  /** The device now in use (`undefined`: the default). */
  readonly deviceId: string | undefined;
  /** `selected` (by a setter) or `removed` (unplugged: back to the default). */
  readonly reason: "selected" | "removed";
}

/** Payload of the `error` event. */
export interface VoiceErrorEvent {
  /** What went wrong. */
  readonly error: UnpodError;
  /** `true` when voice stopped because of it (the text session goes on). */
  readonly fatal: boolean;
}

/** Events of an {@link UnpodVoice} and their payloads. */
export interface VoiceEvents {
  /** {@link VoiceSnapshot.agentState} changed. */
  agent_state: AgentStateEvent;
  /** The agent's turn was cut off, here or by the server. */
  interrupted: InterruptedEvent;
  /** Audio became blocked (autoplay policy) or unblocked. */
  playback_blocked: PlaybackBlockedEvent;
  /** The microphone or speaker changed. */
  device_change: DeviceChangeEvent;
  /** Something went wrong with audio. */
  error: VoiceErrorEvent;
}

/** Microphone settings of {@link UnpodVoiceOptions}. */
export interface VoiceInputOptions {
  /** The microphone (`MediaDeviceInfo.deviceId`). @defaultValue the default microphone */
  deviceId?: string;
  /** Browser echo cancellation. @defaultValue true */
  echoCancellation?: boolean;
  /** Browser noise suppression. @defaultValue true */
  noiseSuppression?: boolean;
  /** Browser automatic gain control. @defaultValue true */
  autoGainControl?: boolean;
}

/** Speaker settings of {@link UnpodVoiceOptions}. */
export interface VoiceOutputOptions {
  /** The speaker (`MediaDeviceInfo.deviceId`, via `setSinkId`). @defaultValue the default speaker */
  deviceId?: string;
  /** Volume, 0–1. @defaultValue 1 */
  volume?: number;
}
