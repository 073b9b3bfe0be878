/**
 * Connect-only Unpod real-time client for browsers (and Node ≥ 22, or any runtime given a
 * `WebSocket`): {@link UnpodSession} connects with a token minted by your backend, resumes
 * after drops, and exposes typed events and an observable store. It never signs anything
 * and never holds a secret.
 *
 * @packageDocumentation
 * @mergeModuleWith <project>
 */
export {
  hasErrorCode,
  isUnpodApiError,
  isUnpodArgumentError,
  isUnpodConnectionError,
  isUnpodError,
  isUnpodSessionError,
  isUnpodTokenError,
  type Participant,
  UnpodApiError,
  UnpodArgumentError,
  UnpodConnectionError,
  UnpodError,
  type UnpodErrorCode,
  UnpodSessionError,
  UnpodTokenError,
} from "@unpod/core";
export type { SessionExtension, SessionLink } from "./extension.js";
export type { UnsequencedClientFrame } from "./internal/outbox.js";
export type {
  FetchLike,
  WebSocketConstructor,
  WebSocketHandler,
  WebSocketLike,
} from "./internal/runtime.js";
export type { WaitForOptions } from "./internal/waitFor.js";
export {
  type ExponentialBackoffOptions,
  exponentialBackoff,
  HEALTHY_CONNECTION_MS,
  type ReconnectContext,
  type ReconnectPolicy,
} from "./reconnectPolicy.js";
export { UnpodSession } from "./session.js";
export type { ConnectOptions, SessionSettings, UnpodSessionOptions } from "./sessionOptions.js";
export type { TokenSource } from "./tokenSource.js";
export type {
  Clock,
  ConnectionState,
  DisconnectedEvent,
  DisconnectReason,
  ErrorEvent,
  Logger,
  SessionErrorEvent,
  SessionEvents,
  SessionSnapshot,
  StateEvent,
  TokenRefreshedEvent,
  TranscriptEntry,
  TurnEvent,
} from "./types.js";
export { VERSION } from "./version.js";
