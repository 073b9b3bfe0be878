"use client";
import type { VoiceSnapshot } from "@unpod/browser/voice";
import { useSyncExternalStore } from "react";
import { useVoiceHandle } from "./context.js";
import type { VoiceControls } from "./voiceHandle.js";

/** What {@link useVoice} returns: the voice's state and its controls. */
export type VoiceState = Pick<
  VoiceSnapshot,
  "status" | "agentState" | "userSpeaking" | "muted" | "volume" | "playbackBlocked" | "error"
> &
  VoiceControls;

/**
 * The voice of the nearest voice provider: its state (re-renders when it changes — not for
 * audio levels, see {@link useAudioLevel}) and its controls, whose references are stable.
 * Before the session exists (and during server rendering) it reads an idle voice.
 *
 * @returns `status`, `agentState`, `userSpeaking`, `muted`, `volume`, `playbackBlocked`,
 *   `error`, and `setMuted`, `setVolume`, `interrupt`, `start`, `stop`.
 * @throws {@link @unpod/core!UnpodArgumentError} outside `<UnpodProvider voice={…}>` from
 *   `@unpod/react/voice`.
 * @example
 * ```tsx
 * import { useVoice } from "@unpod/react/voice";
 * function Interrupt() {
 *   const { agentState, interrupt } = useVoice();
 *   return (
 *     <button type="button" disabled={agentState !== "speaking"} onClick={interrupt}>
 *       Stop talking
 *     </button>
 *   );
 * }
 * ```
 */
export function useVoice(): VoiceState {
  const handle = useVoiceHandle("useVoice");
  const snapshot = useSyncExternalStore(handle.subscribe, handle.getSnapshot, handle.getSnapshot);
  return { ...snapshot, ...handle.controls };
}
