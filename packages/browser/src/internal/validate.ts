import {
  errorFromStatus,
  type SessionErrorCode,
  type UnpodApiError,
  UnpodConnectionError,
  type UnpodError,
  UnpodSessionError,
  UnpodTokenError,
} from "@unpod/core";
import type { FetchLike } from "./runtime.js";

/**
 * `GET url` (uncached): the body's text, and the error a non-2xx answer stands for, via
 * `errorFromStatus` (`undefined` for a success).
 */
export async function get(
  fetch: FetchLike,
  url: string,
  signal: AbortSignal,
): Promise<[body: string, error: UnpodApiError | undefined]> {
  const res = await fetch(url, { signal, cache: "no-store" });
  const body = await res.text();
  return [
    body,
    errorFromStatus({
      status: res.status,
      body,
      request: { method: "GET", url },
      headers: res.headers,
    }),
  ];
}

/** `UnpodTokenError("token_expired")` for the `exp` claim. */
export const tokenExpired = (message = "Token expired.", cause?: unknown) =>
  new UnpodTokenError("token_expired", message, { claim: "exp", reason: "expired", cause });

/**
 * Turns the answer of `GET …/v1/rtc/validate` — asked after a refused WebSocket upgrade,
 * since browsers hide the upgrade's HTTP status — into the error the refusal stands for:
 *
 * | answer | error |
 * |---|---|
 * | 403 `Token has expired.` | `UnpodTokenError` `token_expired` |
 * | 401 | `UnpodSessionError` `unauthorized` |
 * | 403 (other) | `UnpodSessionError` `forbidden` |
 * | 404 | `UnpodSessionError` `session_not_found` |
 * | other failures (400, 429, 5xx) | the `UnpodApiError` (`bad_request`, `rate_limited`, …) |
 * | 200 (the token is fine) | `UnpodConnectionError` `network_error`: the socket itself failed |
 *
 * (No answer at all is `network_error`, `timeout` or `aborted`, from `within`.)
 */
export async function refusalError(
  fetch: FetchLike,
  url: string,
  signal: AbortSignal,
): Promise<UnpodError> {
  const [, cause] = await get(fetch, url, signal);
  if (!cause) return new UnpodConnectionError("network_error", "WebSocket failed.");
  const { code, message } = cause;
  return code === "token_expired"
    ? tokenExpired(message, cause)
    : /^(unauthorized|forbidden|not_found)$/.test(code)
      ? new UnpodSessionError(
          code === "not_found" ? "session_not_found" : (code as SessionErrorCode),
          message,
          { cause },
        )
      : cause;
}
