/**
 * The server side of the Unpod SDK: mint and verify access tokens, call the REST API.
 * Runs on Node, Bun, Deno and edge workers; refuses to run in a browser page.
 *
 * @packageDocumentation
 */

// Re-exported from @unpod/core so token and REST users need one import.
export {
  type AccessTokenClaims,
  type ApiErrorCode,
  type ConnectionErrorCode,
  type Duration,
  decodeToken,
  type HttpMethod,
  hasErrorCode,
  isUnpodApiError,
  isUnpodArgumentError,
  isUnpodConnectionError,
  isUnpodError,
  isUnpodTokenError,
  type LogFields,
  type Logger,
  MAX_TOKEN_LENGTH,
  type ResponseHeaders,
  type ScopeHeader,
  UnpodApiError,
  UnpodArgumentError,
  UnpodConnectionError,
  UnpodError,
  type UnpodErrorByCode,
  type UnpodErrorCode,
  UnpodTokenError,
  type VideoGrant,
} from "@unpod/core";
export {
  AccessToken,
  type AccessTokenOptions,
  DEFAULT_TOKEN_TTL,
  MAX_TOKEN_TTL,
} from "./accessToken.js";
export { ApiPromise, type ApiResponse } from "./apiPromise.js";
export { DEFAULT_BASE_URL, UnpodClient } from "./client.js";
export type {
  RoomGrant,
  RoomGrantFor,
  RoomGrantWithoutJoin,
  RoomJoinGrant,
  SipGrant,
} from "./grants.js";
export { Page, type PageFetcher, type PageJSON, type PageParams, PagePromise } from "./page.js";
export { Agents } from "./resources/agents.js";
export { Bridges } from "./resources/bridges.js";
export { type CallLogListParams, CallLogs } from "./resources/callLogs.js";
export { PhoneNumbers } from "./resources/numbers.js";
export { Organizations } from "./resources/organizations.js";
export { ProviderConfigurations } from "./resources/providerConfigurations.js";
export { Providers } from "./resources/providers.js";
export { Runs } from "./resources/runs.js";
export { Sessions } from "./resources/sessions.js";
export { Spaces } from "./resources/spaces.js";
export { Tasks } from "./resources/tasks.js";
export { Telephony } from "./resources/telephony.js";
export type { ParticipantKind, RoomAgentDispatch, RoomConfiguration } from "./roomConfig.js";
export {
  DEFAULT_CLOCK_TOLERANCE,
  MAX_CLOCK_TOLERANCE,
  TokenVerifier,
  type TokenVerifierOptions,
  type VerifyOptions,
} from "./tokenVerifier.js";
export type { Agent, AgentExecution } from "./types/agents.js";
export type { CallLog, CallLogRef } from "./types/callLogs.js";
export type {
  ClientRequestOptions,
  RetryOptions,
  UnpodClientOptions,
} from "./types/clientOptions.js";
export type { OpenString, Timestamp } from "./types/common.js";
export type { QueryValue, RequestOptions } from "./types/options.js";
export type { Organization } from "./types/organizations.js";
export type { Run } from "./types/runs.js";
export type { CreateSessionTokenParams, SessionToken } from "./types/sessions.js";
export type { Space, SpaceOrganization } from "./types/spaces.js";
export type {
  CreateTasksParams,
  CreateTasksResult,
  Task,
  TaskDocument,
  TaskObjective,
  TaskOutput,
  TaskSchedule,
  TaskStatus,
  TranscriptLine,
} from "./types/tasks.js";
export type {
  Bridge,
  BridgeNumber,
  BridgeSummary,
  ConnectProviderParams,
  CreateBridgeParams,
  CreateProviderConfigurationParams,
  DisconnectProviderParams,
  PhoneNumber,
  Provider,
  ProviderConfiguration,
  ProviderRef,
  UpdateBridgeParams,
  UpdateProviderConfigurationParams,
} from "./types/telephony.js";
