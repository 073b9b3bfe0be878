import {
  errorFromResponse,
  type SessionErrorCode,
  UnpodConnectionError,
  type UnpodError,
  UnpodSessionError,
  UnpodTokenError,
} from "@unpod/core";

/**
 * Reads a non-2xx answer (or a 2xx with an error envelope) as the matching error, via
 * `errorFromResponse`. `undefined` for a success.
 */
export const responseError = (res: Response, body: string, url: string) =>
  errorFromResponse({
    status: res.status,
    body,
    request: { method: "GET", url },
    headers: res.headers,
  });

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
export async function refusalError(res: Response, url: string): Promise<UnpodError> {
  const cause = responseError(res, await res.text(), url);
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
