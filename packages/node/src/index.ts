/**
 * The server side of the Unpod SDK: mint and verify access tokens, call the REST API.
 * Runs on Node, Bun, Deno and edge workers; refuses to run in a browser page.
 *
 * @packageDocumentation
 */
export {
  AccessToken,
  type AccessTokenOptions,
  DEFAULT_TOKEN_TTL,
  MAX_TOKEN_TTL,
} from "./accessToken.js";
export type {
  RoomGrant,
  RoomGrantFor,
  RoomGrantWithoutJoin,
  RoomJoinGrant,
  SipGrant,
} from "./grants.js";
export {
  DEFAULT_CLOCK_TOLERANCE,
  MAX_CLOCK_TOLERANCE,
  TokenVerifier,
  type TokenVerifierOptions,
  type VerifyOptions,
} from "./tokenVerifier.js";
// Re-exported from @unpod/core so token users need one import.
export {
  type AccessTokenClaims,
  decodeToken,
  type Duration,
  isUnpodError,
  isUnpodTokenError,
  MAX_TOKEN_LENGTH,
  UnpodArgumentError,
  UnpodError,
  UnpodTokenError,
  type VideoGrant,
} from "@unpod/core";
