/**
 * Write Unpod agents in TypeScript. An {@link AgentRunner} speaks Unpod's agent-runner
 * protocol: it registers with the orchestrator, takes the calls it is assigned and answers
 * each user turn with your code — a string, a promise, or a token stream from any LLM SDK,
 * cancelled when the caller interrupts. {@link createDialogHandler} is the HTTP
 * agent-endpoint form, a Fetch-API handler. Server runtimes only (the runner uses `ws`).
 *
 * @packageDocumentation
 */

// Re-exported from @unpod/core: what the runner throws and reports, and the protocol's
// shared vocabulary, so one import serves.
export {
  type BridgeAgentState,
  type BridgeErrorSeverity,
  type BridgeErrorSource,
  type Clock,
  type Duration,
  type EndCallReason,
  hasErrorCode,
  isUnpodError,
  type JobRefusalReason,
  type LogFields,
  type Logger,
  MAX_REPLY_TEXT,
  type TransferMode,
  UnpodArgumentError,
  UnpodConnectionError,
  UnpodError,
  type UnpodErrorCode,
  UnpodSessionError,
} from "@unpod/core";
export { AgentRunner, type RunnerEvents, type RunnerState } from "./agentRunner.js";
export {
  AgentCall,
  type BridgeProblem,
  type CallEnd,
  type CallEndReason,
  type CallEvents,
  type CallHistoryEntry,
  type CallMetric,
  MAX_HISTORY,
  type TransferTarget,
  type TurnMetrics,
} from "./call.js";
export {
  createDialogHandler,
  DEFAULT_MAX_DIALOG_BODY,
  type DialogContext,
  type DialogHandler,
  type DialogHandlerOptions,
  type DialogTurn,
} from "./dialog.js";
export {
  type AgentRunnerBaseOptions,
  type AgentRunnerOptions,
  type CallEntrypoint,
  DEFAULT_BASE_URL,
  type TurnHandler,
} from "./options.js";
export { type AgentReply, AgentTurn, type TurnAbortReason, type TurnResult } from "./turn.js";
