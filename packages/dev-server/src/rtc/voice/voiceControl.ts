import { MAX_USER_TEXT, UnpodArgumentError } from "@unpod/core";
import { invalidArgument } from "@unpod/core/internal";
import { MAX_TURN_MS } from "./synth.js";

/**
 * What `server.rtc.say()` and `POST /__dev/rtc/say` make the agent say. Field names are the
 * route's JSON body's, so both take the same object.
 */
export interface SayRequest {
  /**
   * The agent's words: sent as `agent_reply` (final) and, without `tone_hz`, spoken as one
   * tone burst per word. At most 4000 characters.
   */
  text?: string | undefined;
  /** Speak a pure sine at this frequency instead (20 Hz up to below half the output rate). */
  tone_hz?: number | undefined;
  /** With `tone_hz`: how long, in ms (1–30000). @defaultValue 1000 */
  duration_ms?: number | undefined;
}

/** The uplink audio a session received, from `server.rtc.audio()`. */
export interface RtcUplinkAudio {
  /** The kept audio as a WAV file: RIFF, PCM16, mono, at {@link RtcUplinkAudio.sampleRate}. */
  wav: Uint8Array<ArrayBuffer>;
  /** The uplink's sample rate (`joined.audio.input.sample_rate`). */
  sampleRate: number;
  /** PCM bytes received since the session started (muted or refused audio is not counted). */
  receivedBytes: number;
  /** PCM bytes in {@link RtcUplinkAudio.wav} (after its 44-byte header). */
  keptBytes: number;
  /** PCM bytes dropped from the start to stay under `audio.maxUplinkBytes`. */
  droppedBytes: number;
}

const SAY_FIELDS: ReadonlySet<string> = new Set(["text", "tone_hz", "duration_ms"]);

/**
 * Checks a {@link SayRequest}.
 *
 * @param request - From the caller or the route's body.
 * @param outputRate - The output sample rate (bounds `tone_hz`).
 * @returns The request in the voice agent's terms.
 * @throws {@link UnpodArgumentError} naming the field at fault (`request` when it is not an
 *   object, or an unknown field).
 */
export function validateSay(
  request: SayRequest,
  outputRate: number,
): { text?: string; toneHz?: number; durationMs: number } {
  if (typeof request !== "object" || request === null || Array.isArray(request)) {
    throw invalidArgument("request", "must be an object with text, tone_hz or duration_ms");
  }
  for (const key of Object.keys(request)) {
    if (!SAY_FIELDS.has(key)) {
      throw invalidArgument(key, "unknown field (say takes text, tone_hz and duration_ms)");
    }
  }
  const { text, tone_hz: toneHz, duration_ms: durationMs } = request;
  if (text !== undefined && (typeof text !== "string" || text.length > MAX_USER_TEXT)) {
    throw invalidArgument("text", `must be a string of at most ${MAX_USER_TEXT} characters`);
  }
  const nyquist = outputRate / 2;
  if (
    toneHz !== undefined &&
    (typeof toneHz !== "number" || !Number.isFinite(toneHz) || toneHz < 20 || toneHz >= nyquist)
  ) {
    throw invalidArgument(
      "tone_hz",
      `must be a number from 20 to below half the output rate (${nyquist} Hz)`,
    );
  }
  if (durationMs !== undefined) {
    if (toneHz === undefined) {
      throw invalidArgument("duration_ms", "only with tone_hz (a text sets its own length)");
    }
    if (!Number.isSafeInteger(durationMs) || durationMs < 1 || durationMs > MAX_TURN_MS) {
      throw invalidArgument("duration_ms", `must be an integer from 1 to ${MAX_TURN_MS}`);
    }
  }
  if (toneHz === undefined && (text === undefined || text.trim() === "")) {
    throw invalidArgument("text", "say needs a text with at least one word, or tone_hz");
  }
  return {
    ...(text === undefined ? {} : { text }),
    ...(toneHz === undefined ? {} : { toneHz }),
    durationMs: durationMs ?? 1000,
  };
}
