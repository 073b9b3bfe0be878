import { type Clock, type Duration, UnpodArgumentError } from "@unpod/core";
import {
  checkClock,
  checkLogger,
  durationMs,
  invalidArgument,
  isLoopbackHost,
  systemClock,
} from "@unpod/core/internal";
import { exponentialBackoff, type ReconnectPolicy } from "../reconnectPolicy.js";
import type { TokenSource } from "../tokenSource.js";
import { type SafeLogger, safeLogger } from "./logger.js";
import type { FetchLike, WebSocketConstructor } from "./runtime.js";

/** The options {@link resolveSessionOptions} reads (the public `UnpodSessionOptions`, loosely typed). */
export interface SessionOptionsInput {
  serverUrl?: unknown;
  token?: unknown;
  tokenSource?: unknown;
  WebSocket?: unknown;
  fetch?: unknown;
  reconnect?: unknown;
  connectTimeout?: unknown;
  tokenStaleMargin?: unknown;
  allowInsecure?: unknown;
  logger?: unknown;
  clock?: unknown;
}

/** Every option, validated and defaulted once, at construction. */
export interface ResolvedSessionOptions {
  /** `ws(s)://host[/prefix]` without a trailing slash. */
  wsBase: string;
  /** `http(s)://host[/prefix]` without a trailing slash. */
  httpBase: string;
  /** Exactly one of `token` and `tokenSource` is set. */
  token: string | undefined;
  /** A token endpoint URL (absolute) or a function. */
  tokenSource: TokenSource | undefined;
  /** The `WebSocket` given, if any (the global one is looked up when connecting). */
  WebSocket: WebSocketConstructor | undefined;
  /** The `fetch` given, if any (the global one is looked up when needed). */
  fetch: FetchLike | undefined;
  policy: ReconnectPolicy;
  connectTimeoutMs: number;
  tokenStaleMarginMs: number;
  allowInsecure: boolean;
  logger: SafeLogger;
  clock: Clock;
}

/** Defaults of the optional settings. */
const DEFAULTS = {
  connectTimeout: "10s",
  tokenStaleMargin: "30s",
  allowInsecure: false,
} as const;

/** Bounds of the duration settings, in milliseconds. */
const DURATION_BOUNDS = {
  connectTimeout: { min: 1000, max: 300_000 },
  tokenStaleMargin: { min: 0, max: 3_600_000 },
} as const;

/** Web socket and HTTP schemes of each accepted `serverUrl` scheme; `secure` marks TLS. */
const SCHEMES: Readonly<Record<string, { ws: string; http: string; secure: boolean }>> = {
  "wss:": { ws: "wss", http: "https", secure: true },
  "https:": { ws: "wss", http: "https", secure: true },
  "ws:": { ws: "ws", http: "http", secure: false },
  "http:": { ws: "ws", http: "http", secure: false },
};

/**
 * Maps `serverUrl` (http, https, ws or wss, optionally with a path prefix) to its
 * `ws(s)://` and `http(s)://` bases. Plain ws/http is refused unless the host is loopback or
 * `allowInsecure` is set.
 */
export function endpoints(serverUrl: unknown, allowInsecure: boolean): [ws: string, http: string] {
  const refuse = () =>
    invalidArgument(
      "serverUrl",
      "must be a wss/https URL without a query (ws/http: loopback or allowInsecure)",
    );
  let url: URL;
  try {
    url = new URL(serverUrl as string);
  } catch {
    throw refuse();
  }
  const scheme = SCHEMES[url.protocol];
  if (!scheme || url.search || url.username || url.password) throw refuse();
  if (!scheme.secure && !allowInsecure && !isLoopbackHost(url.hostname)) throw refuse();
  const rest = `://${url.host}${url.pathname.replace(/\/+$/, "")}`;
  return [`${scheme.ws}${rest}`, `${scheme.http}${rest}`];
}

/** The page's URL, when there is a page (not in Node, nor on an opaque `about:blank`). */
function pageUrl(): URL | undefined {
  const href = (globalThis as { location?: { href?: unknown } }).location?.href;
  if (typeof href !== "string") return undefined;
  try {
    const url = new URL(href);
    return url.origin === "null" ? undefined : url;
  } catch {
    return undefined;
  }
}

/**
 * Checks a token source. A URL is resolved against the page (a relative one needs a page);
 * it must be http(s), and plain http only to loopback, to the page's own origin, or with
 * `allowInsecure`.
 */
function resolveTokenSource(source: unknown, allowInsecure: boolean): TokenSource {
  if (typeof source === "function") return source as TokenSource;
  if (typeof source !== "string" || source === "") {
    throw invalidArgument("tokenSource", "must be a URL or a function");
  }
  const page = pageUrl();
  let url: URL;
  try {
    url = new URL(source, page);
  } catch {
    throw invalidArgument(
      "tokenSource",
      page
        ? `${JSON.stringify(source)} is not a URL`
        : `${JSON.stringify(source)} is relative and there is no page to resolve it against: pass an absolute URL`,
    );
  }
  const scheme = SCHEMES[url.protocol];
  if (!scheme || url.protocol.startsWith("ws")) {
    throw invalidArgument("tokenSource", "must be an http(s) URL");
  }
  const sameOrigin = page !== undefined && url.origin === page.origin;
  if (!scheme.secure && !allowInsecure && !sameOrigin && !isLoopbackHost(url.hostname)) {
    throw invalidArgument(
      "tokenSource",
      "plain http only to loopback or the page's origin (or allowInsecure)",
    );
  }
  return url.href;
}

function optionalFunction<T>(name: string, value: unknown): T | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "function") throw invalidArgument(name, "must be a function");
  return value as T;
}

function resolvePolicy(value: unknown): ReconnectPolicy {
  if (value === undefined) return exponentialBackoff();
  if (value === false) return { nextDelay: () => null };
  if (typeof (value as ReconnectPolicy | null)?.nextDelay !== "function") {
    throw invalidArgument("reconnect", "must be a ReconnectPolicy or false");
  }
  return value as ReconnectPolicy;
}

function resolveLogger(value: unknown): SafeLogger {
  return safeLogger(checkLogger(value));
}

function duration(name: keyof typeof DURATION_BOUNDS, value: unknown): number {
  const given = (value ?? DEFAULTS[name]) as Duration;
  return durationMs(given, { option: name, ...DURATION_BOUNDS[name] });
}

/**
 * Validates every option of `UnpodSession` and fills in the defaults.
 *
 * @throws {@link UnpodArgumentError} naming the first option that is missing or invalid.
 */
export function resolveSessionOptions(options: SessionOptionsInput): ResolvedSessionOptions {
  if (typeof options !== "object" || options === null) {
    throw invalidArgument("options", "must be an object");
  }
  const allowInsecure = options.allowInsecure ?? DEFAULTS.allowInsecure;
  if (typeof allowInsecure !== "boolean") {
    throw invalidArgument("allowInsecure", "must be a boolean");
  }
  const { token, tokenSource } = options;
  if ((token === undefined) === (tokenSource === undefined)) {
    throw invalidArgument("token", "pass a token or a tokenSource (exactly one)");
  }
  if (token !== undefined && (typeof token !== "string" || token === "")) {
    throw invalidArgument("token", "must be a non-empty string");
  }
  const [wsBase, httpBase] = endpoints(options.serverUrl, allowInsecure);
  return {
    wsBase,
    httpBase,
    token: token as string | undefined,
    tokenSource:
      tokenSource === undefined ? undefined : resolveTokenSource(tokenSource, allowInsecure),
    WebSocket: optionalFunction<WebSocketConstructor>("WebSocket", options.WebSocket),
    fetch: optionalFunction<FetchLike>("fetch", options.fetch),
    policy: resolvePolicy(options.reconnect),
    connectTimeoutMs: duration("connectTimeout", options.connectTimeout),
    tokenStaleMarginMs: duration("tokenStaleMargin", options.tokenStaleMargin),
    allowInsecure,
    logger: resolveLogger(options.logger),
    clock: checkClock(options.clock, systemClock),
  };
}
