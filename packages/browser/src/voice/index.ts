/**
 * Full-duplex voice for `@unpod/browser`: {@link UnpodVoice} adds the microphone and the
 * speaker to an `UnpodSession`. A subpath of its own, so a text-only app never downloads
 * audio code.
 *
 * @packageDocumentation
 */
export {
  type AgentState,
  type AudioErrorCode,
  type InterruptReason,
  isUnpodAudioError,
  UnpodAudioError,
} from "@unpod/core";
export type { UnpodVoiceOptions } from "./options.js";
export type { VoiceStats } from "./stats.js";
export type {
  AgentStateEvent,
  DeviceChangeEvent,
  InterruptedEvent,
  PlaybackBlockedEvent,
  VoiceErrorEvent,
  VoiceEvents,
  VoiceInputOptions,
  VoiceOutputOptions,
  VoiceSnapshot,
  VoiceStatus,
} from "./types.js";
export { UnpodVoice } from "./voice.js";
