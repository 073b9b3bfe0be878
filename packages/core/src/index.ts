/**
 * Shared pieces of the Unpod SDK: request headers, the error family, access-token claims,
 * the real-time wire protocol, and the interfaces every package's options share (`Logger`,
 * `Clock`, `Duration`). No runtime dependencies; runs in any JavaScript runtime.
 *
 * (Helpers only the Unpod packages need live in `@unpod/core/internal`, which is not
 * covered by semver.)
 *
 * @packageDocumentation
 */
export {
  type AgentState,
  type AgentStateFrame,
  AUDIO_ENCODING,
  type AudioEndFrame,
  type AudioFormat,
  type AudioInputFormat,
  type AudioStartFrame,
  type ClientInterruptFrame,
  type InterruptFrame,
  type InterruptReason,
  type JoinedAudio,
  MAX_AUDIO_FRAME_BYTES,
  MAX_AUDIO_FRAME_MS,
  type MuteFrame,
  type PlaybackFrame,
  type UserSpeechFrame,
} from "./audio.js";
export type { Clock } from "./clock.js";
export type { Duration } from "./duration.js";
export {
  hasErrorCode,
  isUnpodApiError,
  isUnpodArgumentError,
  isUnpodAudioError,
  isUnpodConnectionError,
  isUnpodSessionError,
  isUnpodTokenError,
  type UnpodErrorByCode,
  type UnpodErrorClass,
} from "./errorGuards.js";
export {
  type ApiErrorCode,
  type ApiErrorFields,
  type ApiRequestInfo,
  type ArgumentErrorCode,
  type AudioErrorCode,
  type ConnectionErrorCode,
  isUnpodError,
  MAX_KEPT_BODY,
  type SessionErrorCode,
  type SessionErrorFields,
  type TokenErrorCode,
  type TokenErrorFields,
  UnpodApiError,
  UnpodArgumentError,
  UnpodAudioError,
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
export type { LogFields, Logger } from "./logger.js";
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
  type SequencedClientFrame,
  type SequencedServerFrame,
  type ServerAckFrame,
  type ServerFrame,
  type TokenRefreshedFrame,
  type UserTextFrame,
  type UserTurnFrame,
} from "./protocol.js";
export {
  type Envelope,
  errorFromResponse,
  type HeaderReader,
  type ResponseInfo,
} from "./response.js";
export type { HeaderSource, ResponseHeaders } from "./responseHeaders.js";
export {
  type AccessTokenClaims,
  type DecodedToken,
  decodeToken,
  type ExpiryOptions,
  isTokenExpired,
  MAX_TOKEN_LENGTH,
  type SipGrant,
  type TokenHeader,
  type TrackSource,
  tokenSecondsLeft,
  type VideoGrant,
} from "./token.js";
export { VERSION } from "./version.js";
