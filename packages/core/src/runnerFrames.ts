// Unpod's agent-runner protocol (as Unpod's Python SDK 0.2.x speaks it): the frames between
// an agent runner — the customer's long-lived process that answers calls with text — and
// the orchestrator. Two sockets: the runner's **control socket** (`type`-tagged frames:
// register, heartbeat, job assignment) and one **bridge socket** per call (`event`-tagged
// frames: the caller's words in, the agent's words and verbs out). `@unpod/agent` and
// `@unpod/dev-server` both parse with runner.ts's functions, so the two ends cannot drift.
//
// Field names are the wire's (snake_case). Unknown fields are kept (the protocol allows
// extras, e.g. `language` on `user.text`); unknown `type`s/`event`s are `null` for the
// runner (forward compatibility) and an error for the orchestrator.
//
// The frames and constants (over 400 lines: one declaration per frame the reference lists,
// each documented); the parsers and the encoder are in runner.ts.

/** Path of the control socket under the orchestrator's URL. */
export const RUNNER_WORKERS_PATH = "/v1/internal/workers";
/** The bridge protocol version a runner speaks in `hello`. */
export const RUNNER_PROTOCOL_VERSION = 2;
/** Longest `agent.text.delta`, `agent.say` and whole reply of one turn, in characters. */
export const MAX_REPLY_TEXT = 16_000;
/** The orchestrator's default `registered.heartbeat_interval_s`. */
export const DEFAULT_HEARTBEAT_INTERVAL_S = 30;
/** The orchestrator's default `job.assign.deadline_ms`. */
export const DEFAULT_ASSIGN_DEADLINE_MS = 2000;
/** A bridge must be dialled within this long after its `job.assign`, or it is refused (4003). */
export const BRIDGE_PAIRING_WINDOW_MS = 20_000;

/** Close codes of the runner protocol and what they mean. */
export const RUNNER_CLOSE_CODES = {
  /** Control socket: the credential was refused. Fatal: stop, report, do not retry. */
  credentialRefused: 4001,
  /** Control socket: policy violation. Fatal: stop, report, do not retry. */
  policy: 1008,
  /** Bridge: unknown call, pairing expired (dialled > 20 s after the assign) or bad token. */
  bridgeRefused: 4003,
  /** Bridge: a bridge socket for that call is already live. */
  bridgeInUse: 4009,
} as const;

// ---- control socket: runner → orchestrator ----

/** What a runner can do, as `register` announces it. */
export interface RunnerCapabilities {
  /** Voice profiles this runner serves (empty: any). */
  voice_profiles: string[];
  /** Calls it takes at once. */
  max_concurrent: number;
  /** The agent it runs. */
  agent_id: string;
  /** How bridges connect: the runner dials out. */
  transport: "dial_out";
  /** What kind of worker this is. */
  kind: "brain";
  /** The machine's name, for the orchestrator's dashboards. */
  hostname?: string;
  /** An address the orchestrator may show. */
  address?: string;
  /** Where the runner runs. */
  region?: string;
}

/** First frame on the control socket: who the runner is. */
export interface RegisterFrame {
  /** Discriminant. */
  type: "register";
  /** `"<agent_id>#<8 hex>"`, kept across reconnects. */
  worker_id: string;
  /** `agent_id`, or `agent_id@dev` in dev mode. */
  pool: string;
  /** What the runner can do. */
  capabilities: RunnerCapabilities;
}

/** Liveness and load, every `heartbeat_interval_s`. */
export interface HeartbeatFrame {
  /** Discriminant. */
  type: "heartbeat";
  /** Calls the runner is serving now. */
  active_jobs: number;
  /** The runner's `worker_id`. */
  worker_id: string;
}

/** Why a runner refuses a job. */
export type JobRefusalReason = "agent_id_mismatch" | "at_capacity";

/** The runner's answer to `job.assign`, within `deadline_ms`. */
export interface JobAckFrame {
  /** Discriminant. */
  type: "job.ack";
  /** The job's id. */
  job_id: string;
  /** The assignment's `assign_id`, echoed. */
  assign_id: string;
  /** Whether the runner takes the call. */
  accepted: boolean;
  /** Why not, when refused. */
  reason?: JobRefusalReason | (string & {});
}

/** Every frame a runner sends on its control socket. */
export type RunnerControlFrame = RegisterFrame | HeartbeatFrame | JobAckFrame;

// ---- control socket: orchestrator → runner ----

/** The orchestrator accepted `register`. */
export interface RegisteredFrame {
  /** Discriminant. */
  type: "registered";
  /** Seconds between heartbeats; {@link DEFAULT_HEARTBEAT_INTERVAL_S} when absent. */
  heartbeat_interval_s?: number;
  /** `"dial_out"`; absent means the orchestrator is too old for dial-out bridges. */
  transport_ack?: string;
}

/** A call for the runner: answer `job.ack` within `deadline_ms`, then dial `bridge_url`. */
export interface JobAssignFrame {
  /** Discriminant. */
  type: "job.assign";
  /** The job's id. */
  job_id: string;
  /** The call's id. */
  call_id: string;
  /** The agent the call is for (a runner of another agent refuses: `agent_id_mismatch`). */
  agent_id: string;
  /** Where to dial the call's bridge (`ws(s)://…`). */
  bridge_url: string;
  /** Sent as `?token=` on the bridge URL; a secret. */
  call_token: string;
  /** Echoed in the `job.ack`. */
  assign_id: string;
  /** Time to answer, in ms; {@link DEFAULT_ASSIGN_DEADLINE_MS} when absent. */
  deadline_ms?: number;
  /** The call's metadata (from the session token, for example). */
  metadata?: Record<string, unknown>;
}

/** The media side failed: abandon the job. */
export interface JobCancelFrame {
  /** Discriminant. */
  type: "job.cancel";
  /** The job to abandon. */
  job_id: string;
}

/** Every frame an orchestrator sends on a control socket. */
export type OrchestratorControlFrame = RegisteredFrame | JobAssignFrame | JobCancelFrame;

// ---- bridge socket: runner → bridge ----

/** First frame on a bridge: the runner's protocol version, events and verbs. */
export interface BridgeHelloFrame {
  /** Discriminant. */
  event: "hello";
  /** {@link RUNNER_PROTOCOL_VERSION}. */
  protocol_version: number;
  /** Events the runner understands. */
  supported_events: string[];
  /** Verbs the runner may send. */
  supported_verbs: string[];
}

/** A chunk of the agent's reply to the current turn (spoken as it streams). */
export interface AgentTextDeltaVerb {
  /** Discriminant. */
  event: "agent.text.delta";
  /** The chunk; at most {@link MAX_REPLY_TEXT} characters. */
  text: string;
}

/** The reply to the current turn is complete: exactly once per turn, interrupted or not. */
export interface AgentTextEndVerb {
  /** Discriminant. */
  event: "agent.text.end";
}

/** Speak this now, outside a turn. */
export interface AgentSayVerb {
  /** Discriminant. */
  event: "agent.say";
  /** What to say; at most {@link MAX_REPLY_TEXT} characters. */
  text: string;
}

/** Where a call is transferred to. */
export type TransferType = "number" | "agent" | "human";
/** A cold transfer hands the call over; a warm one keeps the agent on until the target joins. */
export type TransferMode = "cold" | "warm";

/** Transfer the call. */
export interface AgentTransferVerb {
  /** Discriminant. */
  event: "agent.transfer";
  /** A phone number, another agent, or a human queue. */
  transfer_type: TransferType;
  /** The number (E.164), the agent id or the queue. */
  target: string;
  /** Cold or warm. */
  mode: TransferMode;
  /** Said to the caller before the transfer (may be empty). */
  announcement: string;
}

/** Why the agent hangs up: one of the platform's reasons, or another short code. */
export type EndCallReason =
  | "completed"
  | "no_response"
  | "error"
  | "transferred"
  | "max_duration"
  | (string & {});

/** Hang up. */
export interface AgentEndCallVerb {
  /** Discriminant. */
  event: "agent.end_call";
  /** Why. */
  reason: EndCallReason;
}

/** Hand the call to another agent. */
export interface AgentDispatchVerb {
  /** Discriminant. */
  event: "agent.dispatch";
  /** The agent to hand the call to. */
  agent_id: string;
  /** Metadata for that agent's `call.started`. */
  metadata: Record<string, unknown>;
}

/** Add a participant to the call. */
export interface AgentAddParticipantVerb {
  /** Discriminant. */
  event: "agent.add_participant";
  /** What kind of participant (e.g. `phone`, `agent`). */
  participant_type: string;
  /** Its configuration. */
  config: Record<string, unknown>;
}

/** Remove a participant from the call. */
export interface AgentRemoveParticipantVerb {
  /** Discriminant. */
  event: "agent.remove_participant";
  /** The participant to remove. */
  participant_id: string;
}

/** Merge another session into this call. */
export interface AgentMergeVerb {
  /** Discriminant. */
  event: "agent.merge";
  /** The session to merge in. */
  source_session_id: string;
}

/** Every verb (and the `hello`) a runner sends on a bridge. */
export type BridgeVerb =
  | BridgeHelloFrame
  | AgentTextDeltaVerb
  | AgentTextEndVerb
  | AgentSayVerb
  | AgentTransferVerb
  | AgentEndCallVerb
  | AgentDispatchVerb
  | AgentAddParticipantVerb
  | AgentRemoveParticipantVerb
  | AgentMergeVerb;

// ---- bridge socket: bridge → runner ----

/** The bridge accepted `hello`. */
export interface BridgeHelloAckEvent {
  /** Discriminant. */
  event: "hello.ack";
  /** The version both speak. */
  protocol_version: number;
  /** Events the bridge will send. */
  negotiated_events: string[];
  /** Verbs the bridge accepts. */
  negotiated_verbs: string[];
  /** The call. */
  call_id: string;
  /** The real-time session behind the call. */
  session_id: string;
  /** The job. */
  job_id: string;
  /** The room. */
  room_id: string;
}

/** The call starts: after `hello.ack`, before anything else. */
export interface CallStartedEvent {
  /** Discriminant. */
  event: "call.started";
  /** The real-time session behind the call. */
  session_id: string;
  /** The job. */
  job_id: string;
  /** The room. */
  room_id: string;
  /** The call's metadata. */
  metadata: Record<string, unknown>;
  /** The voice the caller hears, if the pipe chose one. */
  voice_profile_id?: string;
  /** The agent the call is for. */
  agent_id?: string;
}

/**
 * What the caller said. Extra fields are allowed (e.g. `language`); the dev server adds
 * `turn_id`, the id later `user.interrupted` and `state` events name.
 */
export interface UserTextEvent {
  /** Discriminant. */
  event: "user.text";
  /** The words. */
  text: string;
  /** `false` for a partial transcript; absent means `true`. */
  is_final?: boolean;
  /** The turn this text opens (an extra field; not every orchestrator sends it). */
  turn_id?: string;
  /** Any other extra field. */
  [extra: string]: unknown;
}

/** The caller spoke over the agent: stop the current turn. */
export interface UserInterruptedEvent {
  /** Discriminant. */
  event: "user.interrupted";
  /** The interrupted turn. */
  turn_id: string;
  /** What the caller actually heard of the agent's reply, when the orchestrator knows. */
  heard_prefix?: string;
}

/** The agent's state, as the speech side sees it. */
export type BridgeAgentState = "idle" | "listening" | "thinking" | "speaking" | "interrupted";

/** The agent's state changed on the speech side. */
export interface BridgeStateEvent {
  /** Discriminant. */
  event: "state";
  /** The new state. */
  state: BridgeAgentState;
  /** The turn it concerns, if any. */
  turn_id?: string;
}

/** How bad a reported problem is. */
export type BridgeErrorSeverity = "warn" | "error" | "fatal";
/** Which part of the speech side reported a problem. */
export type BridgeErrorSource = "stt" | "tts" | "transport" | "internal";

/** A problem on the speech side. */
export interface BridgeErrorEvent {
  /** Discriminant. */
  event: "error";
  /** How bad. */
  severity: BridgeErrorSeverity;
  /** Where. */
  source: BridgeErrorSource;
  /** A short machine code. */
  code: string;
  /** A human-readable message. */
  message: string;
}

/** Running figures of the call. */
export interface BridgeMetricEvent {
  /** Discriminant. */
  event: "metric";
  /** Time to first audio of the last turn, in ms. */
  ttfa_ms?: number;
  /** Speech recognition latency, 95th percentile, in ms. */
  asr_p95_ms?: number;
  /** Speech synthesis latency, 95th percentile, in ms. */
  tts_p95_ms?: number;
  /** Turns so far. */
  turns: number;
  /** Cost so far, in US dollars. */
  cost_usd_so_far?: number;
}

/** Figures of one turn. */
export interface TurnMetricsEvent {
  /** Discriminant. */
  event: "turn.metrics";
  /** The call. */
  call_id: string;
  /** The turn. */
  turn_id: string;
  /** User stopped speaking → first agent audio, in ms. */
  ttfa_ms?: number;
  /** Speech recognition time, in ms. */
  asr_ms?: number;
  /** `user.text` sent → first `agent.text.delta`, in ms. */
  llm_ttft_ms?: number;
  /** First text → first synthesized audio, in ms. */
  tts_ttfb_ms?: number;
  /** How many replies the turn took. */
  llm_call_count: number;
  /** `user.text` sent → `agent.text.end`, in ms. */
  llm_total_ms?: number;
  /** Flow node the turn left, for flow agents. */
  from_node?: string;
  /** Flow node the turn entered, for flow agents. */
  to_node?: string;
}

/** Every event (and the handshake answers) a bridge sends to a runner. */
export type BridgeEvent =
  | BridgeHelloAckEvent
  | CallStartedEvent
  | UserTextEvent
  | UserInterruptedEvent
  | BridgeStateEvent
  | BridgeErrorEvent
  | BridgeMetricEvent
  | TurnMetricsEvent;

/** The events a runner of this SDK understands, as its `hello` lists them. */
export const BRIDGE_EVENTS: readonly BridgeEvent["event"][] = [
  "hello.ack",
  "call.started",
  "user.text",
  "user.interrupted",
  "state",
  "error",
  "metric",
  "turn.metrics",
];

/** Every verb of the protocol (`hello` excluded). */
export const BRIDGE_VERBS: readonly Exclude<BridgeVerb["event"], "hello">[] = [
  "agent.text.delta",
  "agent.text.end",
  "agent.say",
  "agent.transfer",
  "agent.end_call",
  "agent.dispatch",
  "agent.add_participant",
  "agent.remove_participant",
  "agent.merge",
];
