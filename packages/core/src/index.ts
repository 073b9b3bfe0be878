/**
 * Shared pieces of the Unpod SDK: request headers, the error family, access-token claims
 * and the real-time wire protocol. No runtime dependencies; runs in any JavaScript runtime.
 *
 * @packageDocumentation
 */
export { type Duration, type DurationBounds, parseDuration } from "./duration.js";
export {
  type ApiErrorCode,
  type ApiErrorFields,
  type ArgumentErrorCode,
  type ConnectionErrorCode,
  hasErrorCode,
  isUnpodApiError,
  isUnpodError,
  isUnpodTokenError,
  type RequestInfo,
  type SessionErrorCode,
  type SessionErrorFields,
  type TokenErrorCode,
  type TokenErrorFields,
  UnpodApiError,
  UnpodArgumentError,
  UnpodConnectionError,
  UnpodError,
  type UnpodErrorCode,
  type UnpodErrorOptions,
  UnpodSessionError,
  UnpodTokenError,
} from "./errors.js";
export {
  type BuildHeadersOptions,
  buildHeaders,
  HEADERS,
  type HttpMethod,
  type ScopeHeader,
} from "./headers.js";
export {
  type AckFrame,
  type AgentReplyFrame,
  CLOSE_CODES,
  type ClientFrame,
  type ClientLeaveFrame,
  type ErrorFrame,
  encodeFrame,
  type JoinedFrame,
  type LeaveFrame,
  type LeaveReason,
  MAX_FRAME_SIZE,
  MAX_USER_TEXT,
  type Participant,
  type PingFrame,
  type PongFrame,
  parseClientFrame,
  parseServerFrame,
  RTC_PATH,
  RTC_VALIDATE_PATH,
  type ServerFrame,
  type TokenRefreshedFrame,
  type UserTextFrame,
  type UserTurnFrame,
} from "./protocol.js";
export {
  type Envelope,
  errorFromResponse,
  errorFromStatus,
  type HeaderReader,
  MAX_ERROR_BODY,
  MAX_RETRY_AFTER,
  parseRetryAfter,
  type ResponseInfo,
} from "./response.js";
export {
  type AccessTokenClaims,
  base64UrlDecode,
  checkClaims,
  type DecodedToken,
  decodeToken,
  type ExpiryOptions,
  isTokenExpired,
  MAX_TOKEN_LENGTH,
  type ParsedToken,
  parseToken,
  readTokenTimes,
  type SipGrant,
  type TokenHeader,
  type TokenTimes,
  type TrackSource,
  tokenSecondsLeft,
  type VideoGrant,
} from "./token.js";
export { VERSION } from "./version.js";
