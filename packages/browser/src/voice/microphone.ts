import { type AudioErrorCode, UnpodAudioError } from "@unpod/core";
import type { ResolvedVoiceOptions } from "./options.js";

/** What each `getUserMedia` failure (a DOMException name) means for the app. */
const FAILURES: ReadonlyMap<string, AudioErrorCode> = new Map([
  ["NotAllowedError", "microphone_denied"],
  ["SecurityError", "microphone_denied"],
  ["NotFoundError", "microphone_unavailable"],
  ["OverconstrainedError", "microphone_unavailable"],
  ["NotReadableError", "microphone_unavailable"],
  ["AbortError", "microphone_unavailable"],
]);

/** The typed error for a failed `getUserMedia`, the DOMException kept as `cause`. */
export function microphoneError(cause: unknown): UnpodAudioError {
  const name = (cause as { name?: unknown } | null)?.name;
  const code = (typeof name === "string" && FAILURES.get(name)) || "audio_failed";
  const detail = cause instanceof Error && cause.message ? `: ${cause.message}` : "";
  return new UnpodAudioError(code, `Microphone ${String(name ?? "failure")}${detail}`, { cause });
}

/** Whether this page can capture and play audio: getUserMedia, AudioContext and AudioWorklet. */
export function audioSupport(): UnpodAudioError | undefined {
  const scope = globalThis as {
    navigator?: { mediaDevices?: { getUserMedia?: unknown } };
    AudioContext?: unknown;
    AudioWorkletNode?: unknown;
  };
  if (typeof scope.navigator?.mediaDevices?.getUserMedia !== "function") {
    return new UnpodAudioError(
      "audio_not_supported",
      "No microphone here (it needs a secure page: https or localhost).",
    );
  }
  if (typeof scope.AudioContext !== "function" || typeof scope.AudioWorkletNode !== "function") {
    return new UnpodAudioError("audio_not_supported", "This browser has no AudioWorklet.");
  }
  return undefined;
}

/**
 * Opens the microphone: mono, with the browser's echo cancellation, noise suppression and
 * gain control as the options say, on `deviceId` (exactly that one) or the default.
 *
 * @throws {@link UnpodAudioError} `microphone_denied`, `microphone_unavailable` or `audio_failed`.
 */
export async function openMicrophone(
  input: ResolvedVoiceOptions["input"],
  deviceId: string | undefined,
): Promise<MediaStream> {
  const { echoCancellation, noiseSuppression, autoGainControl } = input;
  try {
    return await navigator.mediaDevices.getUserMedia({
      audio: {
        ...(deviceId !== undefined && { deviceId: { exact: deviceId } }),
        echoCancellation,
        noiseSuppression,
        autoGainControl,
        channelCount: 1,
      },
    });
  } catch (cause) {
    throw microphoneError(cause);
  }
}
