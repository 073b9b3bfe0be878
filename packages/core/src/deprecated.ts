// Helpers only the Unpod packages need, still reachable from the public entry point while
// @unpod/browser moves to `@unpod/core/internal`. They go away in the next minor release.
import { errorFromStatus as statusError } from "./response.js";
import { type TokenTimes as Times, readTokenTimes as tokenTimes } from "./token.js";

/**
 * The smaller `errorFromResponse` for endpoints that answer a status and `{"message"}`.
 *
 * @deprecated — internal, moving to `@unpod/core/internal` (not covered by semver). Use
 * {@link errorFromResponse} for the platform's envelope.
 */
export const errorFromStatus: typeof statusError = statusError;

/**
 * Reads only a token's `exp` and `iat`, without verifying it.
 *
 * @deprecated — internal, moving to `@unpod/core/internal` (not covered by semver). Use
 * {@link decodeToken}, which checks every claim.
 */
export const readTokenTimes: typeof tokenTimes = tokenTimes;

/**
 * What `readTokenTimes` returns: `exp` and `iat`.
 *
 * @deprecated — internal, moving to `@unpod/core/internal` (not covered by semver).
 */
export type TokenTimes = Times;
