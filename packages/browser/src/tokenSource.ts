import { readTokenTimes, type UnpodError } from "@unpod/core";
import type { FetchLike } from "./internal/runtime.js";
import { get, tokenExpired } from "./internal/validate.js";
import { within } from "./internal/within.js";
import type { Clock } from "./types.js";

/**
 * Where a session gets its tokens: the URL of your backend's token endpoint (`GET`, answering
 * `{"token": "…"}` JSON or the token as plain text; same-origin cookies are sent), or a
 * function that fetches one.
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

/**
 * Holds the static token, the newest one the server pushed, and what the source returned.
 * The session passes its normalised settings: `fetch` gives the `fetch` to use for a
 * source URL, `staleMargin` is the seconds before `exp` at which a token counts as stale (at
 * most a quarter of its life), and `timeoutMs` the deadline of one call to the source.
 *
 * `get()` without a source returns the token held, or fails with `token_expired` at once
 * (no network traffic) once it has expired. With a source it returns the token held while
 * it is not stale, and otherwise asks the source: single-flight (concurrent callers share
 * one request, and each may abort on its own), under a deadline, and with back-off after a
 * failure (1 s, 2 s, 4 s … 30 s) during which calls fail at once with the last error instead
 * of hammering the endpoint.
 */
export function createTokenCache(
  source: TokenSource | undefined,
  token: string | undefined,
  fetch: () => FetchLike,
  clock: Clock,
  staleMargin: number,
  timeoutMs: number,
): TokenCache {
  let exp = 0;
  let iat = 0;
  let flight: Promise<string> | undefined;
  let failures = 0;
  let retryAt = 0;
  let lastError: UnpodError;
  const now = () => clock.now() / 1000;

  const offer = (t: string, claims = readTokenTimes(t)) => {
    if (claims.exp >= exp) {
      token = t;
      exp = claims.exp;
      iat = claims.iat ?? 0;
    }
  };
  try {
    if (token) offer(token);
  } catch {
    // get() reports it as invalid_token
  }

  const ask =
    typeof source === "string"
      ? async (signal: AbortSignal) => {
          const [body, error] = await get(fetch(), source, signal);
          if (error) throw error;
          // `{"token": "…"}` or the token as text; readTokenTimes() rejects anything else.
          return /^\s*\{/.test(body) ? JSON.parse(body).token : body.trim();
        }
      : (signal: AbortSignal) => (source as Exclude<TokenSource, string>)({ signal });

  const refresh = async () => {
    try {
      const t: string = await within(ask, new AbortController().signal, clock, timeoutMs);
      const times = readTokenTimes(t);
      if (times.exp <= now()) throw tokenExpired();
      offer(t, times);
      failures = 0;
      return t;
    } catch (error) {
      lastError = error as UnpodError; // within() made it an UnpodError
      retryAt = clock.now() + Math.min(30_000, 1000 * 2 ** failures++);
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
      if (token && !exp) offer(token);
      if (token) {
        const margin = source ? Math.min(staleMargin, iat ? (exp - iat) / 4 : staleMargin) : 0;
        if (exp - margin > now()) return token;
        if (!source) throw tokenExpired();
      }
      if (clock.now() < retryAt) throw lastError;
      flight ??= refresh();
      const shared = flight;
      return within(() => shared, signal, clock);
    },
  };
}
