import {
  type SessionErrorCode,
  UnpodConnectionError,
  type UnpodError,
  UnpodSessionError,
  UnpodTokenError,
} from "@unpod/core";
import { get } from "./http.js";
import type { FetchLike } from "./runtime.js";

/** `UnpodTokenError("token_expired")` for the `exp` claim. */
export const tokenExpired = (message = "Token expired.", cause?: unknown): UnpodTokenError =>
  new UnpodTokenError("token_expired", message, { claim: "exp", reason: "expired", cause });

/** API error codes of a refusal that mean the session itself was refused. */
const SESSION_REFUSALS: ReadonlyMap<string, SessionErrorCode> = new Map([
  ["unauthorized", "unauthorized"],
  ["forbidden", "forbidden"],
  ["not_found", "session_not_found"],
]);

/**
 * What a server may add to a refusal's JSON body to say why (the dev server does): a short
 * machine `reason` (e.g. `unknown_key`) and a `hint` saying what to do.
 */
function explanation(body: string): { reason?: string; hint?: string } {
  try {
    const parsed: unknown = JSON.parse(body);
    if (typeof parsed !== "object" || parsed === null) return {};
    const { reason, hint } = parsed as Record<string, unknown>;
    return {
      ...(typeof reason === "string" && reason && { reason: reason.slice(0, 64) }),
      ...(typeof hint === "string" && hint && { hint: hint.slice(0, 500) }),
    };
  } catch {
    return {};
  }
}

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
 * A `reason` in the body becomes the session error's `reason`, and a `hint` is added to its
 * message. (No answer at all is `network_error`, `timeout` or `aborted`, from `within`.)
 */
export async function refusalError(
  fetch: FetchLike,
  url: string,
  signal: AbortSignal,
): Promise<UnpodError> {
  const { error: cause, body } = await get(fetch, url, signal);
  if (!cause) return new UnpodConnectionError("network_error", "WebSocket failed.");
  if (cause.code === "token_expired") return tokenExpired(cause.message, cause);
  const code = SESSION_REFUSALS.get(cause.code);
  if (!code) return cause;
  const { reason, hint } = explanation(body);
  const message = hint ? `${cause.message} ${hint}` : cause.message;
  return new UnpodSessionError(code, message, { cause, reason });
}
