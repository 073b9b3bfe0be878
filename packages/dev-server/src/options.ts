import { type Clock, type Duration, type Logger, UnpodArgumentError } from "@unpod/core";
import { durationMs, isLoopbackHost } from "@unpod/core/internal";
import { unrefClock } from "./internal/clock.js";
import { randomAlnum, randomHex } from "./internal/random.js";

/** Options of {@link startDevServer}. Every one is optional: the defaults run as they are. */
export interface DevServerOptions {
  /** TCP port; `0` picks a free one (read it back from `url`). @defaultValue 0 */
  port?: number | undefined;
  /**
   * Interface to listen on. Keep the default unless another machine must reach the server;
   * fault injection refuses any host that is not loopback.
   * @defaultValue "127.0.0.1"
   */
  host?: string | undefined;
  /**
   * API tokens the REST API accepts (`Authorization: Token …`); several model rotation.
   * `credentials.apiToken` is the first.
   * @defaultValue one fresh random token per start: 40 lowercase hex characters, like the platform's
   */
  apiTokens?: readonly string[] | undefined;
  /**
   * API key → API secret pairs that sign access tokens; the real-time endpoint accepts tokens
   * from any of them. `credentials.apiKey`/`apiSecret` are the first pair. Secrets must be at
   * least 32 characters.
   * @defaultValue one fresh random pair per start (`API…` key, 43-character secret)
   */
  keys?: Readonly<Record<string, string>> | undefined;
  /** `domain_handle` of the first fixture organization (the `Org-Handle` value). @defaultValue "unpod-dev" */
  orgHandle?: string | undefined;
  /** The `Product-ID` the fixture bridges and call logs belong to. @defaultValue "unpod.dev" */
  productId?: string | undefined;
  /**
   * How long a session stays resumable after its socket drops (seconds, or e.g. `"30s"`,
   * `"1500ms"`; 1 ms … 1 day).
   * @defaultValue 30 seconds
   */
  resumeWindow?: Duration | undefined;
  /**
   * A socket that sends nothing (no frame, no ping) for this long is closed with 4008 (1 ms … 1 day).
   * @defaultValue 30 seconds
   */
  idleTimeout?: Duration | undefined;
  /** Clock skew allowed on access tokens' `nbf`/`exp` (0 … 300 s). @defaultValue 10 seconds */
  clockTolerance?: Duration | undefined;
  /**
   * Enables fault injection (`server.faults`, the `/__dev/*` admin routes). Off by default, and
   * refused unless `host` is a loopback address and `NODE_ENV` is not `production`, so it
   * cannot be switched on by accident on a reachable server.
   * @defaultValue false
   */
  faults?: boolean | undefined;
  /**
   * Receives the server's log lines: requests, sessions joined and ended (`info`), refused
   * upgrades, protocol violations and injected faults (`warn`), and failures inside the
   * server (`error`). Lines never contain API tokens, access tokens or secrets: the server
   * logs method, path (without the query string) and status, and session ids and identities
   * for the real-time side.
   * @defaultValue no logging
   */
  logger?: Logger | undefined;
  /**
   * The clock and timers behind token checks, the resume window, idle sockets and token
   * refresh; tests pass a fake one to move time instead of sleeping.
   * @defaultValue the system clock
   */
  clock?: Clock | undefined;
  /** Largest REST request body in bytes; larger ones get 413. @defaultValue 1 MiB */
  maxBodySize?: number | undefined;
  /** How many REST requests `server.requests` keeps (oldest dropped first). @defaultValue 10000 */
  maxRequestLog?: number | undefined;
}

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
}

const VISIBLE = /^[\x21-\x7e]+$/;
const DAY_MS = 86_400_000;
const HANDLE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

function str(option: string, value: unknown, re: RegExp, fallback: string): string {
  if (value === undefined) return fallback;
  if (typeof value !== "string" || !re.test(value)) {
    throw new UnpodArgumentError(option, `must be a string matching ${re}`);
  }
  return value;
}

function int(option: string, value: unknown, min: number, max: number, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || (value as number) < min || (value as number) > max) {
    throw new UnpodArgumentError(option, `must be an integer between ${min} and ${max}`);
  }
  return value as number;
}

/**
 * Validates the options once and fills in the defaults.
 *
 * @throws {@link UnpodArgumentError} naming the first bad option.
 */
export function resolveOptions(options: DevServerOptions = {}): ResolvedOptions {
  if (typeof options !== "object" || options === null) {
    throw new UnpodArgumentError("options", "must be an object");
  }
  const host = options.host ?? "127.0.0.1";
  if (typeof host !== "string" || host === "" || host.length > 255) {
    throw new UnpodArgumentError("host", "must be a host name or an IP address");
  }
  const faults = options.faults ?? false;
  if (typeof faults !== "boolean") throw new UnpodArgumentError("faults", "must be a boolean");
  if (faults && !isLoopbackHost(host)) {
    throw new UnpodArgumentError(
      "faults",
      `fault injection only runs on a loopback host (127.0.0.1, ::1, localhost); host is ${JSON.stringify(host)}`,
    );
  }
  if (faults && process.env.NODE_ENV === "production") {
    throw new UnpodArgumentError(
      "faults",
      "fault injection is refused when NODE_ENV is production",
    );
  }

  let apiTokens = [randomHex(20)];
  if (options.apiTokens !== undefined) {
    if (!Array.isArray(options.apiTokens) || options.apiTokens.length === 0) {
      throw new UnpodArgumentError("apiTokens", "must be a non-empty array of strings");
    }
    apiTokens = options.apiTokens.map((t, i) => {
      if (typeof t !== "string" || !VISIBLE.test(t) || t.length > 512) {
        throw new UnpodArgumentError(
          `apiTokens[${i}]`,
          "must be a non-empty string of visible ASCII characters, without spaces",
        );
      }
      return t;
    });
  }

  let keys: Record<string, string> = { [`API${randomAlnum(12)}`]: randomAlnum(43) };
  if (options.keys !== undefined) {
    if (typeof options.keys !== "object" || options.keys === null || Array.isArray(options.keys)) {
      throw new UnpodArgumentError("keys", "must be an object of API key → API secret");
    }
    const entries = Object.entries(options.keys);
    if (entries.length === 0)
      throw new UnpodArgumentError("keys", "must hold at least one key pair");
    for (const [k, s] of entries) {
      if (!VISIBLE.test(k))
        throw new UnpodArgumentError("keys", "an API key must be visible ASCII without spaces");
      if (typeof s !== "string" || new TextEncoder().encode(s).length < 32) {
        throw new UnpodArgumentError(
          `keys[${JSON.stringify(k)}]`,
          "the API secret must be at least 32 bytes",
        );
      }
    }
    keys = Object.fromEntries(entries);
  }

  const logger = options.logger ?? {};
  if (typeof logger !== "object" || logger === null) {
    throw new UnpodArgumentError("logger", "must be an object with debug/info/warn/error methods");
  }
  const clock = options.clock ?? unrefClock;
  if (
    typeof clock !== "object" ||
    clock === null ||
    typeof clock.now !== "function" ||
    typeof clock.setTimeout !== "function" ||
    typeof clock.clearTimeout !== "function"
  ) {
    throw new UnpodArgumentError("clock", "must have now(), setTimeout() and clearTimeout()");
  }

  return {
    port: int("port", options.port, 0, 65535, 0),
    host,
    apiTokens,
    keys,
    orgHandle: str("orgHandle", options.orgHandle, HANDLE, "unpod-dev"),
    productId: str("productId", options.productId, VISIBLE, "unpod.dev"),
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
    maxBodySize: int("maxBodySize", options.maxBodySize, 1, 100 * 1024 * 1024, 1024 * 1024),
    maxRequestLog: int("maxRequestLog", options.maxRequestLog, 0, 10_000_000, 10_000),
  };
}
