import {
  CLOSE_CODES,
  type SessionErrorCode,
  UnpodConnectionError,
  type UnpodError,
  type UnpodErrorCode,
  UnpodSessionError,
} from "@unpod/core";

/** What each session-ending close code means (PROTOCOL.md, "Close codes"); others resume. */
const CLOSE_ERRORS: ReadonlyMap<number, SessionErrorCode> = new Map([
  [CLOSE_CODES.unauthorized, "unauthorized"],
  [CLOSE_CODES.forbidden, "forbidden"],
  [CLOSE_CODES.sessionNotFound, "session_not_found"],
  [CLOSE_CODES.replaced, "session_replaced"],
  [CLOSE_CODES.protocolError, "protocol_error"],
]);

/** The error a close code stands for: a session error, or a (resumable) `network_error`. */
export function closeError(code: number): UnpodError {
  const known = CLOSE_ERRORS.get(code);
  const message = `Socket closed (${code}).`;
  return known
    ? new UnpodSessionError(known, message, { closeCode: code })
    : new UnpodConnectionError("network_error", message);
}

/** Failures a later attempt may get past; any other (but a lost session) stops. */
export const TRANSIENT: ReadonlySet<UnpodErrorCode> = new Set([
  "network_error",
  "timeout",
  "server_error",
  "rate_limited",
  "http_error",
]);
