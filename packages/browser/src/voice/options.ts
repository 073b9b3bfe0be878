import { UnpodArgumentError } from "@unpod/core";
import { invalidArgument } from "@unpod/core/internal";
import { type SafeLogger, safeLogger } from "../internal/logger.js";
import type { Logger } from "../types.js";
import type { VoiceInputOptions, VoiceOutputOptions } from "./types.js";

/** Options of {@link UnpodVoice}. */
export interface UnpodVoiceOptions {
  /** The microphone and its processing. */
  input?: VoiceInputOptions;
  /** The speaker and the volume. */
  output?: VoiceOutputOptions;
  /** Start with the microphone muted. @defaultValue false */
  muted?: boolean;
  /**
   * Whether `connect()` starts the microphone and the speaker. `false` keeps the session
   * text-only until `start()` — for pages that connect on load and talk on a click.
   * @defaultValue true
   */
  autoStart?: boolean;
  /**
   * URL of `@unpod/browser/voice-worklet.js` served by your app, for pages whose
   * Content-Security-Policy forbids `blob:` workers. Nothing is ever fetched from a CDN.
   * @defaultValue the worklet inlined, loaded from a `blob:` URL
   */
  workletUrl?: string | URL;
  /** Agent audio buffered before a turn starts playing, in ms (20–200). @defaultValue 60 */
  prebufferMs?: number;
  /** Diagnostics (never `console`). @defaultValue the session's own logger is not shared: none */
  logger?: Logger;
}

/** The options after validation and defaults. */
export interface ResolvedVoiceOptions {
  input: Required<Omit<VoiceInputOptions, "deviceId">> & { deviceId: string | undefined };
  outputDeviceId: string | undefined;
  volume: number;
  muted: boolean;
  autoStart: boolean;
  workletUrl: string | undefined;
  prebufferMs: number;
  logger: SafeLogger;
}

const DEFAULTS = {
  echoCancellation: true,
  noiseSuppression: true,
  autoGainControl: true,
  volume: 1,
  muted: false,
  autoStart: true,
  prebufferMs: 60,
} as const;

const PREBUFFER_MS = { min: 20, max: 200 } as const;

function object<T>(name: string, value: unknown): T {
  if (value === undefined) return {} as T;
  if (typeof value !== "object" || value === null) {
    throw invalidArgument(name, "must be an object");
  }
  return value as T;
}

function flag(name: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== "boolean") throw invalidArgument(name, "must be a boolean");
  return value;
}

/** A `deviceId` option: a non-empty string, or absent for the default device. */
export function checkDeviceId(name: string, value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "string" || value === "") {
    throw invalidArgument(name, "must be a MediaDeviceInfo.deviceId, or undefined for the default");
  }
  return value;
}

/** A volume: a number from 0 to 1. */
export function checkVolume(name: string, value: unknown): number {
  if (typeof value !== "number" || !(value >= 0 && value <= 1)) {
    throw invalidArgument(name, "must be a number from 0 to 1");
  }
  return value;
}

/**
 * Validates every option of `UnpodVoice` and fills in the defaults.
 *
 * @throws {@link UnpodArgumentError} naming the first bad option.
 */
export function resolveVoiceOptions(options: unknown): ResolvedVoiceOptions {
  const o = object<UnpodVoiceOptions>("options", options);
  const input = object<VoiceInputOptions>("input", o.input);
  const output = object<VoiceOutputOptions>("output", o.output);
  const prebufferMs = o.prebufferMs ?? DEFAULTS.prebufferMs;
  if (
    typeof prebufferMs !== "number" ||
    !(prebufferMs >= PREBUFFER_MS.min && prebufferMs <= PREBUFFER_MS.max)
  ) {
    throw invalidArgument("prebufferMs", `must be ${PREBUFFER_MS.min}–${PREBUFFER_MS.max} ms`);
  }
  let workletUrl: string | undefined;
  if (o.workletUrl !== undefined) {
    if (typeof o.workletUrl !== "string" && !(o.workletUrl instanceof URL)) {
      throw invalidArgument("workletUrl", "must be a URL");
    }
    workletUrl = String(o.workletUrl);
  }
  if (o.logger !== undefined && (typeof o.logger !== "object" || o.logger === null)) {
    throw invalidArgument("logger", "must be an object");
  }
  return {
    input: {
      deviceId: checkDeviceId("input.deviceId", input.deviceId),
      echoCancellation: flag(
        "input.echoCancellation",
        input.echoCancellation,
        DEFAULTS.echoCancellation,
      ),
      noiseSuppression: flag(
        "input.noiseSuppression",
        input.noiseSuppression,
        DEFAULTS.noiseSuppression,
      ),
      autoGainControl: flag(
        "input.autoGainControl",
        input.autoGainControl,
        DEFAULTS.autoGainControl,
      ),
    },
    outputDeviceId: checkDeviceId("output.deviceId", output.deviceId),
    volume:
      output.volume === undefined ? DEFAULTS.volume : checkVolume("output.volume", output.volume),
    muted: flag("muted", o.muted, DEFAULTS.muted),
    autoStart: flag("autoStart", o.autoStart, DEFAULTS.autoStart),
    workletUrl,
    prebufferMs,
    logger: safeLogger(o.logger),
  };
}
