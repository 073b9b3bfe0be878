// startDevServer()'s options checked and defaulted (each bad one an UnpodArgumentError naming
// it), with credentials from options, then the environment (UNPOD_*), then fresh ones.
import {
  AUDIO_ENCODING,
  type Clock,
  type JoinedAudio,
  type Logger,
  UnpodArgumentError,
} from "@unpod/core";
import {
  checkClock,
  checkLogger,
  durationMs,
  intOption,
  invalidArgument,
  isLoopbackHost,
  unrefClock,
} from "@unpod/core/internal";
import { randomAlnum, randomHex } from "./internal/random.js";
import type { DevServerOptions } from "./options.js";
import { type DevServerPipe, resolvePipes } from "./orchestrator/pipes.js";

/** Options after defaults and validation. */
export interface ResolvedOptions {
  port: number;
  host: string;
  apiTokens: string[];
  keys: Record<string, string>;
  orgHandle: string;
  productId: string;
  resumeWindowMs: number;
  idleTimeoutMs: number;
  clockTolerance: number;
  faults: boolean;
  logger: Logger;
  clock: Clock;
  maxBodySize: number;
  maxRequestLog: number;
  /** Audio formats and the uplink cap, or `undefined` when audio is off. */
  audio: ResolvedAudio | undefined;
  /** How keys are kept, or `undefined` when `Idempotency-Key` is ignored. */
  idempotency: { ttlMs: number; maxKeys: number } | undefined;
  /** Every pipe, the fixture one included. */
  pipes: DevServerPipe[];
  /** `registered.heartbeat_interval_s`. */
  heartbeatIntervalS: number;
  /** `job.assign.deadline_ms`. */
  assignDeadlineMs: number;
}

/** The `audio` option after defaults: what `joined.audio` announces, and the uplink cap. */
export interface ResolvedAudio {
  formats: JoinedAudio;
  maxUplinkBytes: number;
}

/** Sample rates the WebRTC VAD takes (the uplink's must be one). */
const INPUT_RATES: ReadonlySet<unknown> = new Set([8000, 16000, 32000, 48000]);
/** Every uplink binary frame holds this much audio. */
const INPUT_FRAME_MS = 20;

function resolveAudio(audio: DevServerOptions["audio"]): ResolvedAudio | undefined {
  if (audio === false) return undefined;
  const o = audio ?? {};
  if (typeof o !== "object" || o === null || Array.isArray(o)) {
    throw invalidArgument("audio", "must be false or an object of audio options");
  }
  const input = o.inputSampleRate ?? 16000;
  if (!INPUT_RATES.has(input)) {
    throw invalidArgument("audio.inputSampleRate", "must be 8000, 16000, 32000 or 48000");
  }
  return {
    formats: {
      input: {
        encoding: AUDIO_ENCODING,
        sample_rate: input,
        channels: 1,
        frame_ms: INPUT_FRAME_MS,
      },
      output: {
        encoding: AUDIO_ENCODING,
        sample_rate: intOption("audio.outputSampleRate", o.outputSampleRate, {
          min: 8000,
          max: 96_000,
          fallback: 24_000,
        }),
        channels: 1,
      },
    },
    maxUplinkBytes: intOption("audio.maxUplinkBytes", o.maxUplinkBytes, {
      min: 0,
      max: 1024 ** 3,
      fallback: 10 * 1024 ** 2,
    }),
  };
}

function resolveIdempotency(
  option: DevServerOptions["idempotency"],
): ResolvedOptions["idempotency"] {
  if (option === false) return undefined;
  const o = option ?? {};
  if (typeof o !== "object" || o === null || Array.isArray(o)) {
    throw invalidArgument("idempotency", "must be false or an object of idempotency options");
  }
  return {
    ttlMs: durationMs(o.ttl ?? "24h", { option: "idempotency.ttl", min: 1, max: 30 * DAY_MS }),
    maxKeys: intOption("idempotency.maxKeys", o.maxKeys, {
      min: 1,
      max: 1_000_000,
      fallback: 10_000,
    }),
  };
}

function resolveWorkers(workers: DevServerOptions["workers"]): {
  heartbeatIntervalS: number;
  assignDeadlineMs: number;
} {
  const w = workers ?? {};
  if (typeof w !== "object" || w === null) {
    throw invalidArgument("workers", "must be an object of runner options");
  }
  return {
    // Whole seconds on the wire (`registered.heartbeat_interval_s`).
    heartbeatIntervalS: Math.ceil(
      durationMs(w.heartbeatInterval ?? 30, {
        option: "workers.heartbeatInterval",
        min: 1000,
        max: 3_600_000,
      }) / 1000,
    ),
    assignDeadlineMs: intOption("workers.assignDeadlineMs", w.assignDeadlineMs, {
      min: 1,
      max: 60_000,
      fallback: 2000,
    }),
  };
}

const VISIBLE = /^[\x21-\x7e]+$/;
const DAY_MS = 86_400_000;
const HANDLE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

function str(option: string, value: unknown, re: RegExp, fallback: string): string {
  if (value === undefined) return fallback;
  if (typeof value !== "string" || !re.test(value)) {
    throw invalidArgument(option, `must be a string matching ${re}`);
  }
  return value;
}

function checkApiToken(option: string, token: unknown): string {
  if (typeof token !== "string" || !VISIBLE.test(token) || token.length > 512) {
    throw invalidArgument(
      option,
      "must be a non-empty string of visible ASCII characters, without spaces",
    );
  }
  return token;
}

function checkKeyPair(keyOption: string, secretOption: string, key: string, secret: unknown): void {
  if (!VISIBLE.test(key)) {
    throw invalidArgument(keyOption, "an API key must be visible ASCII without spaces");
  }
  if (typeof secret !== "string" || new TextEncoder().encode(secret).length < 32) {
    throw invalidArgument(secretOption, "the API secret must be at least 32 bytes");
  }
}

/** The environment variables that stand in for options, as {@link DevServerOptions.env} says. */
export const CREDENTIAL_VARIABLES = {
  apiToken: "UNPOD_API_TOKEN",
  apiKey: "UNPOD_API_KEY",
  apiSecret: "UNPOD_API_SECRET",
  orgHandle: "UNPOD_ORG_HANDLE",
  productId: "UNPOD_PRODUCT_ID",
} as const;

/** Credentials found in the environment, checked; absent ones are `undefined`. */
interface EnvironmentCredentials {
  apiToken: string | undefined;
  keys: Record<string, string> | undefined;
  orgHandle: string | undefined;
  productId: string | undefined;
}

/**
 * Reads the `UNPOD_*` credentials from `env` (`process.env` by default, nothing for `false`).
 * A bad value throws an {@link UnpodArgumentError} naming the variable (never its value).
 */
function readEnvironment(
  env: Readonly<Record<string, string | undefined>> | false | undefined,
): EnvironmentCredentials {
  const source = env ?? process.env;
  if (source === false) {
    return { apiToken: undefined, keys: undefined, orgHandle: undefined, productId: undefined };
  }
  if (typeof source !== "object" || source === null) {
    throw invalidArgument("env", "must be an object of environment variables, or false");
  }
  const get = (name: string): string | undefined => {
    const value = source[name];
    if (value !== undefined && typeof value !== "string") {
      throw invalidArgument("env", `${name} must be a string`);
    }
    return value === "" ? undefined : value;
  };
  const V = CREDENTIAL_VARIABLES;
  const apiToken = get(V.apiToken);
  const apiKey = get(V.apiKey);
  const apiSecret = get(V.apiSecret);
  if ((apiKey === undefined) !== (apiSecret === undefined)) {
    const [set, missing] = apiKey === undefined ? [V.apiSecret, V.apiKey] : [V.apiKey, V.apiSecret];
    throw invalidArgument(
      missing,
      `is required when ${set} is set: set both (the pair your backend signs with) or neither`,
    );
  }
  let keys: Record<string, string> | undefined;
  if (apiKey !== undefined && apiSecret !== undefined) {
    checkKeyPair(V.apiKey, V.apiSecret, apiKey, apiSecret);
    keys = { [apiKey]: apiSecret };
  }
  const orgHandle = get(V.orgHandle);
  const productId = get(V.productId);
  return {
    apiToken: apiToken === undefined ? undefined : checkApiToken(V.apiToken, apiToken),
    keys,
    orgHandle: orgHandle === undefined ? undefined : str(V.orgHandle, orgHandle, HANDLE, ""),
    productId: productId === undefined ? undefined : str(V.productId, productId, VISIBLE, ""),
  };
}

/**
 * Validates the options once and fills in the defaults.
 *
 * @throws {@link UnpodArgumentError} naming the first bad option.
 */
export function resolveOptions(options: DevServerOptions = {}): ResolvedOptions {
  if (typeof options !== "object" || options === null) {
    throw invalidArgument("options", "must be an object");
  }
  const host = options.host ?? "127.0.0.1";
  if (typeof host !== "string" || host === "" || host.length > 255) {
    throw invalidArgument("host", "must be a host name or an IP address");
  }
  const faults = options.faults ?? false;
  if (typeof faults !== "boolean") throw invalidArgument("faults", "must be a boolean");
  if (faults && !isLoopbackHost(host)) {
    throw invalidArgument(
      "faults",
      `fault injection only runs on a loopback host (127.0.0.1, ::1, localhost); host is ${JSON.stringify(host)}`,
    );
  }
  if (faults && process.env.NODE_ENV === "production") {
    throw invalidArgument("faults", "fault injection is refused when NODE_ENV is production");
  }

  const env = readEnvironment(options.env);

  let apiTokens = env.apiToken === undefined ? [randomHex(20)] : [env.apiToken];
  if (options.apiTokens !== undefined) {
    if (!Array.isArray(options.apiTokens) || options.apiTokens.length === 0) {
      throw invalidArgument("apiTokens", "must be a non-empty array of strings");
    }
    apiTokens = options.apiTokens.map((t, i) => checkApiToken(`apiTokens[${i}]`, t));
  }

  let keys: Record<string, string> = env.keys ?? { [`API${randomAlnum(12)}`]: randomAlnum(43) };
  if (options.keys !== undefined) {
    if (typeof options.keys !== "object" || options.keys === null || Array.isArray(options.keys)) {
      throw invalidArgument("keys", "must be an object of API key → API secret");
    }
    const entries = Object.entries(options.keys);
    if (entries.length === 0) throw invalidArgument("keys", "must hold at least one key pair");
    for (const [k, s] of entries) checkKeyPair("keys", `keys[${JSON.stringify(k)}]`, k, s);
    keys = Object.fromEntries(entries);
  }

  const logger = checkLogger(options.logger);
  const clock = checkClock(options.clock, unrefClock);

  return {
    port: intOption("port", options.port, { min: 0, max: 65535, fallback: 0 }),
    host,
    apiTokens,
    keys,
    orgHandle: str("orgHandle", options.orgHandle, HANDLE, env.orgHandle ?? "unpod-dev"),
    productId: str("productId", options.productId, VISIBLE, env.productId ?? "unpod.dev"),
    resumeWindowMs: durationMs(options.resumeWindow ?? 30, {
      option: "resumeWindow",
      min: 1,
      max: DAY_MS,
    }),
    idleTimeoutMs: durationMs(options.idleTimeout ?? 30, {
      option: "idleTimeout",
      min: 1,
      max: DAY_MS,
    }),
    clockTolerance:
      durationMs(options.clockTolerance ?? 10, { option: "clockTolerance", min: 0, max: 300_000 }) /
      1000,
    faults,
    logger,
    clock,
    maxBodySize: intOption("maxBodySize", options.maxBodySize, {
      min: 1,
      max: 100 * 1024 * 1024,
      fallback: 1024 * 1024,
    }),
    maxRequestLog: intOption("maxRequestLog", options.maxRequestLog, {
      min: 0,
      max: 10_000_000,
      fallback: 10_000,
    }),
    audio: resolveAudio(options.audio),
    idempotency: resolveIdempotency(options.idempotency),
    pipes: resolvePipes(options.pipes),
    ...resolveWorkers(options.workers),
  };
}
