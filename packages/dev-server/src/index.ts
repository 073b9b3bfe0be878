/**
 * A local Unpod server for development and tests: the platform's REST contract over
 * in-memory fixture data, the real-time endpoint with an echo agent (and, for sessions that
 * ask for audio, a voice agent), and fault injection.
 *
 * @packageDocumentation
 */

// Re-exported from @unpod/core: what the dev server throws, so one import catches it, and
// the interfaces of its `clock` and `logger` options (shared by every Unpod package).
export { type Clock, type LogFields, type Logger, UnpodArgumentError } from "@unpod/core";
export type { DevServerFaults, FaultRule } from "./faults.js";
export type {
  DevServerAudioOptions,
  DevServerIdempotencyOptions,
  DevServerOptions,
  DevServerWorkersOptions,
} from "./options.js";
export {
  DEFAULT_PIPE,
  type DevServerEndpointPipe,
  type DevServerPipe,
  type DevServerRunnerPipe,
} from "./orchestrator/pipes.js";
export { SESSION_TOKEN_TTL_S } from "./orchestrator/sessionTokens.js";
export type {
  AssignOptions,
  AssignResult,
  RunnerCallInfo,
  RunnerTurnInfo,
  RunnerWorkerInfo,
} from "./orchestrator/types.js";
export type { DevServerRequest, ScopeHeaderName } from "./requestLog.js";
export type { PushFrame, RtcSessionInfo, RtcStats } from "./rtc/control.js";
export type { RtcUplinkCounts } from "./rtc/voice/listener.js";
export type { RtcSpokenTurn } from "./rtc/voice/speaker.js";
export type { RtcVoiceInfo } from "./rtc/voice/voiceAgent.js";
export type { RtcUplinkAudio, SayRequest } from "./rtc/voice/voiceControl.js";
export { type DevServer, startDevServer } from "./server.js";
export type { DevServerCredentials, DevServerRtc, DevServerWorkers } from "./serverParts.js";
export type { DevServerTestKit, DevServerTokenOptions } from "./testKit.js";
