// Helpers only the Unpod packages need, still reachable from the public entry point while
// @unpod/browser moves to `@unpod/core/internal`. They go away in the next minor release.
import type { UnpodApiError } from "./errors.js";
import { type ResponseInfo, errorFromStatus as statusError } from "./response.js";
import { readTokenTimes as tokenTimes } from "./token.js";

/**
 * What {@link readTokenTimes} returns.
 *
 * @deprecated — internal, moving to `@unpod/core/internal` (not covered by semver).
 */
export interface TokenTimes {
  /** Expiry, seconds since epoch. */
  exp: number;
  /** Issued at, seconds since epoch, when the token has it. */
  iat: number | undefined;
}

/**
 * The smaller `errorFromResponse` for endpoints that answer a status and `{"message"}`.
 *
 * @deprecated — internal, moving to `@unpod/core/internal` (not covered by semver). Use
 * {@link errorFromResponse} for the platform's envelope.
 * @param info - Status, the body as text, request and headers.
 * @returns The error, or `undefined` for a success.
 */
export function errorFromStatus(info: ResponseInfo & { body: string }): UnpodApiError | undefined {
  return statusError(info);
}

/**
 * Reads only a token's `exp` and `iat`, without verifying it.
 *
 * @deprecated — internal, moving to `@unpod/core/internal` (not covered by semver). Use
 * {@link decodeToken}, which checks every claim.
 * @param token - A compact JWT.
 * @returns `exp` and `iat`.
 * @throws {@link UnpodTokenError} `invalid_token` (reason `malformed`) for anything else.
 */
export function readTokenTimes(token: unknown): TokenTimes {
  return tokenTimes(token);
}
