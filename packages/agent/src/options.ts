import {
  type Clock,
  type Duration,
  type Logger,
  RUNNER_WORKERS_PATH,
  UnpodArgumentError,
} from "@unpod/core";
import {
  checkClock,
  checkLogger,
  durationMs,
  intOption,
  invalidArgument,
  isLoopbackHost,
  readEnv,
  unrefClock,
} from "@unpod/core/internal";
import type { AgentCall } from "./call.js";
import type { AgentReply, AgentTurn } from "./turn.js";

/** Unpod's platform API, from which the orchestrator's URL is derived by default. */
export const DEFAULT_BASE_URL = "https://unpod.ai/api/v2/platform/";

/**
 * Answers one user turn: return the reply as a string, a promise of one, or an
 * `AsyncIterable<string>` / `ReadableStream<string>` of chunks (an LLM token stream), which
 * the caller hears as it streams. Return nothing to stay silent. `turn.signal` aborts when
 * the user interrupts, so pass it to your LLM call.
 *
 * @param turn - What the user said, the turn's `signal`, and (once interrupted) `heardPrefix`.
 * @param call - The call: ids, metadata, history, and its verbs (`say`, `transfer`, `end`, `dispatch`).
 * @returns The reply.
 */
export type TurnHandler = (turn: AgentTurn, call: AgentCall) => AgentReply | Promise<AgentReply>;

/**
 * Runs a whole call, for full control: iterate `call.turns()` and `turn.reply()` each, greet
 * with `call.say()`, listen to `call.on(...)`. The call ends when the caller hangs up or
 * `call.end()` is called; returning early does not end it.
 *
 * @param call - The call.
 */
export type CallEntrypoint = (call: AgentCall) => void | Promise<void>;

/** Options of {@link AgentRunner} other than the handler. */
export interface AgentRunnerBaseOptions {
  /** The agent this runner serves (the pipe's agent). */
  agentId: string;
  /**
   * The platform API token, sent as `Authorization: Token …` with `Org-Handle` (the form
   * Unpod's runner protocol moves to).
   * @defaultValue `UNPOD_API_TOKEN`
   */
  apiToken?: string | undefined;
  /**
   * The organization's `domain_handle`, sent as `Org-Handle` with `apiToken`.
   * @defaultValue `UNPOD_ORG_HANDLE`
   */
  orgHandle?: string | undefined;
  /**
   * An `sk_…` runner key, sent as `Authorization: Bearer …` (the form Unpod's Python SDK
   * sends). When given, `apiToken` and `orgHandle` are not used.
   */
  secretKey?: string | undefined;
  /**
   * The orchestrator, `wss://…` (or `https://…`); the runner connects to
   * `{orchestratorUrl}/v1/internal/workers`.
   * @defaultValue `UNPOD_ORCHESTRATOR_URL`, else the host of `baseUrl` over `wss://`
   *   (`ws://` for an `http://` base, as the dev server's)
   */
  orchestratorUrl?: string | undefined;
  /**
   * The platform API's base URL, used only to derive `orchestratorUrl`.
   * @defaultValue `UNPOD_BASE_URL`, else `https://unpod.ai/api/v2/platform/`
   */
  baseUrl?: string | undefined;
  /** Calls this runner takes at once (`max_concurrent`); more are refused `at_capacity`. @defaultValue 50 */
  maxSessions?: number | undefined;
  /**
   * How long `close()` lets live calls finish before it ends them (seconds or `"90s"`).
   * @defaultValue 60 seconds
   */
  drainTimeout?: Duration | undefined;
  /** Registers in the pool `agentId@dev` instead of `agentId`, as Unpod's dev mode does. @defaultValue false */
  devMode?: boolean | undefined;
  /**
   * Reconnects in a row (1 s → 30 s backoff, ±50 % jitter) before `run()` rejects with
   * `network_error`; the count restarts after each successful registration.
   * @defaultValue 16
   */
  maxReconnectAttempts?: number | undefined;
  /** Voice profiles this runner serves (`capabilities.voice_profiles`). @defaultValue [] (any) */
  voiceProfiles?: readonly string[] | undefined;
  /** Shown to the orchestrator (`capabilities.region`). */
  region?: string | undefined;
  /** Shown to the orchestrator (`capabilities.hostname`). */
  hostname?: string | undefined;
  /**
   * Allow plain `ws://` to a host that is not loopback. The credential then travels in
   * clear text: only for trusted private networks.
   * @defaultValue false
   */
  allowInsecure?: boolean | undefined;
  /** Receives the runner's log lines (never a secret). @defaultValue no logging */
  logger?: Logger | undefined;
  /** Timers and time; tests pass a fake one. @defaultValue the system clock */
  clock?: Clock | undefined;
}

/**
 * Options of {@link AgentRunner}: the base options and exactly one of `onTurn` (the simple
 * path: one function per user turn) and `entrypoint` (full control of each call).
 */
export type AgentRunnerOptions = AgentRunnerBaseOptions &
  (
    | {
        /** Answers each user turn (the simple path). */
        onTurn: TurnHandler;
        /** Not with `onTurn`. */
        entrypoint?: never;
      }
    | {
        /** Runs each whole call (full control). */
        entrypoint: CallEntrypoint;
        /** Not with `entrypoint`. */
        onTurn?: never;
      }
  );

/** The options after defaults and checks. Holds the credential: never logged or printed. */
export interface ResolvedRunnerOptions {
  agentId: string;
  workerId: string;
  pool: string;
  /** `wss://…/v1/internal/workers`. */
  controlUrl: string;
  /** `Token` + `Org-Handle`, or `Bearer`. */
  auth: { scheme: "Token"; token: string; orgHandle: string } | { scheme: "Bearer"; token: string };
  maxSessions: number;
  drainTimeoutMs: number;
  maxReconnectAttempts: number;
  voiceProfiles: string[];
  region: string | undefined;
  hostname: string | undefined;
  allowInsecure: boolean;
  logger: Logger;
  clock: Clock;
  handler: { kind: "turn"; onTurn: TurnHandler } | { kind: "call"; entrypoint: CallEntrypoint };
}

// Visible ASCII: what an HTTP header value may carry without surprises.
const HEADER_SAFE = /^[\x21-\x7e]{1,4096}$/;
const ID = /^[\x21-\x7e]{1,256}$/;

function credential(option: string, value: unknown): string {
  if (typeof value !== "string" || !HEADER_SAFE.test(value)) {
    throw invalidArgument(
      option,
      "must be a non-empty string of visible ASCII characters (no spaces or line breaks)",
    );
  }
  return value;
}

function optionalText(option: string, value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "string" || !/^[\x20-\x7e]{1,256}$/.test(value)) {
    throw invalidArgument(option, "must be printable ASCII, at most 256 characters");
  }
  return value;
}

/** The control socket's URL from the orchestrator's (or the API base's) URL. */
export function controlUrl(options: {
  orchestratorUrl: string | undefined;
  baseUrl: string | undefined;
  allowInsecure: boolean;
}): string {
  const given = options.orchestratorUrl;
  const option = given === undefined ? "baseUrl" : "orchestratorUrl";
  const raw = given ?? options.baseUrl ?? DEFAULT_BASE_URL;
  let url: URL;
  try {
    url = new URL(String(raw));
  } catch (cause) {
    throw invalidArgument(option, "must be an absolute URL", { cause });
  }
  const secure = url.protocol === "wss:" || url.protocol === "https:";
  if (!secure && url.protocol !== "ws:" && url.protocol !== "http:") {
    throw invalidArgument(option, "must be a wss://, https://, ws:// or http:// URL");
  }
  if (url.search || url.hash || url.username || url.password) {
    throw invalidArgument(option, "must not carry a query, a fragment or credentials");
  }
  if (!secure && !options.allowInsecure && !isLoopbackHost(url.hostname)) {
    throw invalidArgument(
      option,
      "plain ws:// or http:// is only allowed to a loopback host (pass allowInsecure: true for a trusted private network)",
    );
  }
  const scheme = secure ? "wss:" : "ws:";
  // The API base's path (/api/v2/platform/) is not the orchestrator's; an explicit
  // orchestrator URL keeps its path prefix.
  const prefix = given === undefined ? "" : url.pathname.replace(/\/+$/, "");
  return `${scheme}//${url.host}${prefix}${RUNNER_WORKERS_PATH}`;
}

function randomHex(bytes: number): string {
  const b = new Uint8Array(bytes);
  crypto.getRandomValues(b);
  return [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
}

/**
 * Checks the options once and fills in the defaults (and the environment).
 *
 * @throws {@link UnpodArgumentError} naming the first bad option.
 */
export function resolveRunnerOptions(options: AgentRunnerOptions): ResolvedRunnerOptions {
  if (typeof options !== "object" || options === null) {
    throw invalidArgument("options", "must be an object");
  }
  const o = options as AgentRunnerBaseOptions & { onTurn?: unknown; entrypoint?: unknown };
  if (typeof o.agentId !== "string" || !ID.test(o.agentId) || o.agentId.includes("#")) {
    throw invalidArgument(
      "agentId",
      "must be a non-empty string of visible ASCII characters, without '#'",
    );
  }
  if ((o.onTurn === undefined) === (o.entrypoint === undefined)) {
    throw invalidArgument("onTurn", "pass exactly one of onTurn and entrypoint");
  }
  const fn = o.onTurn ?? o.entrypoint;
  if (typeof fn !== "function") {
    throw invalidArgument(o.onTurn === undefined ? "entrypoint" : "onTurn", "must be a function");
  }
  const handler: ResolvedRunnerOptions["handler"] =
    o.onTurn === undefined
      ? { kind: "call", entrypoint: fn as CallEntrypoint }
      : { kind: "turn", onTurn: fn as TurnHandler };

  let auth: ResolvedRunnerOptions["auth"];
  if (o.secretKey !== undefined) {
    auth = { scheme: "Bearer", token: credential("secretKey", o.secretKey) };
  } else {
    const token = o.apiToken ?? readEnv("UNPOD_API_TOKEN");
    if (token === undefined) {
      throw invalidArgument(
        "apiToken",
        "is required: pass apiToken and orgHandle (or set UNPOD_API_TOKEN and UNPOD_ORG_HANDLE), or a secretKey",
      );
    }
    const orgHandle = o.orgHandle ?? readEnv("UNPOD_ORG_HANDLE");
    if (orgHandle === undefined) {
      throw invalidArgument(
        "orgHandle",
        "is required with apiToken (sent as Org-Handle): pass orgHandle or set UNPOD_ORG_HANDLE",
      );
    }
    auth = {
      scheme: "Token",
      token: credential("apiToken", token),
      orgHandle: credential("orgHandle", orgHandle),
    };
  }

  const allowInsecure = o.allowInsecure ?? false;
  if (typeof allowInsecure !== "boolean") {
    throw invalidArgument("allowInsecure", "must be a boolean");
  }
  const devMode = o.devMode ?? false;
  if (typeof devMode !== "boolean") throw invalidArgument("devMode", "must be a boolean");
  const voiceProfiles = o.voiceProfiles ?? [];
  if (
    !Array.isArray(voiceProfiles) ||
    voiceProfiles.some((v) => typeof v !== "string" || !ID.test(v))
  ) {
    throw invalidArgument("voiceProfiles", "must be an array of voice profile ids");
  }
  const logger = checkLogger(o.logger);
  const clock = checkClock(o.clock, unrefClock);
  return {
    agentId: o.agentId,
    workerId: `${o.agentId}#${randomHex(4)}`,
    pool: devMode ? `${o.agentId}@dev` : o.agentId,
    controlUrl: controlUrl({
      orchestratorUrl: o.orchestratorUrl ?? readEnv("UNPOD_ORCHESTRATOR_URL"),
      baseUrl: o.baseUrl ?? readEnv("UNPOD_BASE_URL"),
      allowInsecure,
    }),
    auth,
    maxSessions: intOption("maxSessions", o.maxSessions, { min: 1, max: 10_000, fallback: 50 }),
    drainTimeoutMs: drainTimeoutMs(o.drainTimeout ?? 60),
    maxReconnectAttempts: intOption("maxReconnectAttempts", o.maxReconnectAttempts, {
      min: 0,
      max: 1_000_000,
      fallback: 16,
    }),
    voiceProfiles: [...voiceProfiles],
    region: optionalText("region", o.region),
    hostname: optionalText("hostname", o.hostname),
    allowInsecure,
    logger,
    clock,
    handler,
  };
}

/** `drainTimeout` (an option, and `close()`'s) in milliseconds: from 0 to a day. */
export function drainTimeoutMs(value: Duration): number {
  return durationMs(value, { option: "drainTimeout", min: 0, max: 86_400_000 });
}
