/**
 * `@unpod/core/internal`: helpers that only the Unpod packages themselves need (token
 * parsing for verifiers and clients, the invalid-argument error every package throws, the small error mapper for status endpoints, the
 * duration parser, the loopback check, credential scrubbing, the kept response headers, the
 * `Symbol.asyncDispose` polyfill).
 *
 * **Not covered by semver.** Anything here may change or disappear in any release, patch
 * releases included; the Unpod packages always depend on a matching version. Use the
 * public `@unpod/core` entry point instead.
 *
 * @packageDocumentation
 */
export { type Clock, systemClock, unrefClock } from "../clock.js";
export { type DurationMsBounds, durationMs } from "../duration.js";
export {
  errorFromStatus,
  MAX_ERROR_BODY,
  MAX_RETRY_AFTER,
  parseRetryAfter,
} from "../response.js";
export {
  type HeaderSource,
  keptHeaders,
  MAX_KEPT_HEADERS,
  type ResponseHeaders,
} from "../responseHeaders.js";
export {
  base64UrlDecode,
  checkClaims,
  type ParsedToken,
  parseToken,
  readTokenTimes,
  type TokenTimes,
} from "../token.js";
export { invalidArgument } from "./argument.js";
export { polyfillAsyncDispose } from "./dispose.js";
export { isLoopbackHost } from "./loopback.js";
export { checkClock, checkLogger, intOption, readEnv } from "./options.js";
export { clip, MAX_SCRUBBED, redact, scrub } from "./redact.js";
