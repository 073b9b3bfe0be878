import { isUnpodError, UnpodConnectionError, type UnpodError, UnpodTokenError } from "@unpod/core";
import { readTokenTimes } from "@unpod/core/internal";
import { get } from "./internal/http.js";
import type { FetchLike } from "./internal/runtime.js";
import { tokenExpired } from "./internal/validate.js";
import { asError, within } from "./internal/within.js";
import type { Clock } from "./types.js";

/**
 * Where a session gets its tokens: the URL of your backend's token endpoint (`GET`, answering
 * `{"token": "…"}` JSON, or the bare token as `text/plain`; same-origin cookies are sent), or
 * a function that fetches one. A relative URL is resolved against the page; outside a page
 * (Node) pass an absolute URL.
 *
 * @example
 * ```ts
 * import type { TokenSource } from "@unpod/browser";
 * const byUrl: TokenSource = "/api/unpod-token";
 * const byFunction: TokenSource = async ({ signal }) => {
 *   const res = await fetch("/api/unpod-token", { method: "POST", signal });
 *   return ((await res.json()) as { token: string }).token;
 * };
 * ```
 */
export type TokenSource = string | ((options: { signal: AbortSignal }) => Promise<string>);

/** The session's tokens; see {@link createTokenCache}. */
export interface TokenCache {
  /** `exp` of the newest token held, if any could be read. */
  exp(): number | undefined;
  /** The newest token held, even if expired (a resume accepts that). */
  latest(): string;
  /** Keeps `token` if it expires later than the one held; throws `invalid_token` if malformed. */
  offer(token: string): void;
  /** A token good for a **new** session (see {@link createTokenCache}). */
  get(signal: AbortSignal): Promise<string>;
}

/** Settings of {@link createTokenCache}, as the session resolved them. */
export interface TokenCacheSettings {
  /** A static token, when the session was given one. */
  token?: string | undefined;
  /** The source, when the session was given one (a URL already resolved to absolute). */
  source?: TokenSource | undefined;
  /** The `fetch` to use for a source URL (looked up when first needed). */
  fetch: () => FetchLike;
  /** Time and timers. */
  clock: Clock;
  /** A token counts as stale this long before `exp` (at most a quarter of its life), in ms. */
  staleMarginMs: number;
  /** Deadline of one call to the source, in ms. */
  timeoutMs: number;
}

/** Back-off after a failing source: 1 s, doubling, at most 30 s. */
const FIRST_BACKOFF_MS = 1000;
const MAX_BACKOFF_MS = 30_000;

/** A bare JWT: three base64url segments (the signature may be empty). */
const JWT_SHAPE = /^[\w-]+\.[\w-]+\.[\w-]*$/;

/** `invalid_token` for a source that answered something that is not a token. */
const badAnswer = (message: string, cause?: unknown) =>
  new UnpodTokenError("invalid_token", message, { reason: "token_response", cause });

/**
 * Asks a token endpoint URL. It must answer 2xx with `{"token": "…"}` as JSON, or the bare
 * token as text; anything else (an HTML page from an SPA fallback, a truncated body) is an
 * `invalid_token` error naming the URL, the status and the content type — never a network
 * error to be retried.
 */
async function askUrl(fetch: FetchLike, url: string, signal: AbortSignal): Promise<string> {
  const answer = await get(fetch, url, signal);
  if (answer.error) throw answer.error;
  const { status, contentType, body, truncated } = answer;
  const expected = `${url} returned ${contentType || "no content type"} (${status}); expected JSON {"token": …}`;
  const text = body.trim();
  if (!truncated && (contentType.endsWith("json") || text.startsWith("{"))) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (cause) {
      throw badAnswer(`${expected}, but the JSON does not parse.`, cause);
    }
    const token = (parsed as { token?: unknown } | null)?.token;
    if (typeof token !== "string") throw badAnswer(`${expected}, but it has no "token" string.`);
    return token;
  }
  if (!truncated && (contentType === "" || contentType === "text/plain") && JWT_SHAPE.test(text)) {
    return text;
  }
  throw badAnswer(`${expected}.`);
}

/**
 * Calls a token source function. A non-string answer is `invalid_token`; a failure that is
 * not already an SDK error (a rejected `fetch`, a bug that throws) is `network_error` naming
 * the source, with the original as `cause`.
 */
async function askFunction(
  source: Exclude<TokenSource, string>,
  signal: AbortSignal,
): Promise<string> {
  let token: unknown;
  try {
    token = await source({ signal });
  } catch (cause) {
    if (isUnpodError(cause)) throw cause;
    const detail = cause instanceof Error ? `: ${cause.message}` : "";
    throw new UnpodConnectionError("network_error", `tokenSource failed${detail}`, { cause });
  }
  if (typeof token !== "string") {
    throw badAnswer(
      `tokenSource returned ${token === null ? "null" : typeof token}; expected a token string.`,
    );
  }
  return token;
}

/**
 * Holds the static token, the newest one the server pushed, and what the source returned.
 *
 * `get()` without a source returns the token held, or fails with `token_expired` at once
 * (no network traffic) once it has expired. With a source it returns the token held while
 * it is not stale, and otherwise asks the source: single-flight (concurrent callers share
 * one request, and each may abort on its own), under a deadline, and with back-off after a
 * failure (1 s, 2 s, 4 s … 30 s) during which calls fail at once with the last error instead
 * of hammering the endpoint.
 *
 * @param settings - Token or source, and the session's resolved timings.
 * @returns The cache.
 */
export function createTokenCache(settings: TokenCacheSettings): TokenCache {
  const { source, clock, staleMarginMs, timeoutMs } = settings;
  let token = settings.token;
  let exp = 0;
  let iat = 0;
  let flight: Promise<string> | undefined;
  let failures = 0;
  let retryAt = 0;
  let lastError: UnpodError | undefined;
  const nowSeconds = () => clock.now() / 1000;

  const offer = (t: string, times = readTokenTimes(t)) => {
    if (times.exp >= exp) {
      token = t;
      exp = times.exp;
      iat = times.iat ?? 0;
    }
  };
  try {
    if (token) offer(token);
  } catch {
    // get() reports it as invalid_token
  }

  const ask = (signal: AbortSignal): Promise<string> =>
    typeof source === "string"
      ? askUrl(settings.fetch(), source, signal)
      : askFunction(source as Exclude<TokenSource, string>, signal);

  const refresh = async (): Promise<string> => {
    try {
      const fresh = await within(ask, new AbortController().signal, clock, timeoutMs);
      let times: ReturnType<typeof readTokenTimes>;
      try {
        times = readTokenTimes(fresh);
      } catch (cause) {
        const from = typeof source === "string" ? source : "tokenSource";
        throw badAnswer(
          `${from} returned a malformed token (not a JWT with a numeric exp).`,
          cause,
        );
      }
      if (times.exp <= nowSeconds()) throw tokenExpired("tokenSource returned an expired token.");
      offer(fresh, times);
      failures = 0;
      return fresh;
    } catch (error) {
      lastError = asError(error);
      retryAt = clock.now() + Math.min(MAX_BACKOFF_MS, FIRST_BACKOFF_MS * 2 ** failures++);
      throw lastError;
    } finally {
      flight = undefined;
    }
  };

  return {
    exp: () => exp || undefined,
    latest: () => token as string,
    offer,
    async get(signal) {
      if (token && !exp) offer(token); // a malformed static token throws invalid_token here
      if (token) {
        const lifeMs = iat ? (exp - iat) * 1000 : Number.POSITIVE_INFINITY;
        const marginMs = source ? Math.min(staleMarginMs, lifeMs / 4) : 0;
        if (exp * 1000 - marginMs > clock.now()) return token;
        if (!source) throw tokenExpired();
      }
      if (lastError && clock.now() < retryAt) throw lastError;
      flight ??= refresh();
      const shared = flight;
      return within(() => shared, signal, clock);
    },
  };
}
