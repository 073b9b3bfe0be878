/**
 * Voice for `@unpod/react`: a provider whose session has an `UnpodVoice`, and hooks for it.
 * A subpath of its own, so a text-only React app stays as small as before.
 *
 * @packageDocumentation
 * @module voice
 */
// Re-exported from @unpod/browser/voice: voice's error and its guard.
export { isUnpodAudioError, UnpodAudioError } from "@unpod/browser/voice";
export {
  UnpodProvider,
  type UnpodProviderVoiceOptions,
  type UnpodVoiceProviderProps,
} from "./provider.js";
export { useAudioLevel } from "./useAudioLevel.js";
export { type MediaDevices, useMediaDevices } from "./useMediaDevices.js";
export { useVoice, type VoiceState } from "./useVoice.js";
export type { VoiceControls } from "./voiceHandle.js";
