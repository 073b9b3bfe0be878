import type { BridgeAgentState, JobRefusalReason } from "@unpod/core";

/** What an agent (a runner's call, an HTTP endpoint, the echo agent) may do to its session. */
export interface SessionPort {
  /** `joined.session_id`. */
  readonly sessionId: string;
  /** The session's room. */
  readonly room: string;
  /** The participant's identity. */
  readonly identity: string;
  /** Whether the session speaks now (an audio connection is attached). */
  hasVoice(): boolean;
  /** Sends `agent_reply` (sequenced, replayed) without speaking it: the text so far of a streaming turn. */
  reply(turnId: string, text: string, final: boolean): void;
  /** Voice sessions: speaks a streaming turn's text as it grows; `final` closes the turn. */
  speak(turnId: string, text: string, final: boolean): void;
  /** Sends a final `agent_reply` and speaks it whole (a `say`, an endpoint's answer). */
  say(turnId: string, text: string): void;
  /** Sends an `error` frame. */
  error(code: string, message: string): void;
  /** Ends the session: `leave {reason: "session_ended"}`. */
  end(): void;
}

/** What a session tells the agent that serves it. */
export interface SessionAgentLink {
  /**
   * A final user turn (typed text, or a voice utterance's transcript).
   *
   * @returns Whether an agent takes it; `false` leaves it to the built-in echo/voice agent.
   */
  userTurn(turnId: string, text: string): boolean;
  /** The user interrupted the agent's turn; `heardPrefix` is what they heard of it. */
  interrupted(turnId: string, heardPrefix: string | undefined): void;
  /** The voice agent's state changed. */
  agentState(state: BridgeAgentState, turnId: string | undefined): void;
  /** The session ended. */
  close(): void;
}

/** A runner connected to the dev server, as `server.workers.list()` shows it. */
export interface RunnerWorkerInfo {
  /** `register.worker_id`. */
  workerId: string;
  /** `capabilities.agent_id`. */
  agentId: string;
  /** `register.pool` (`agent_id` or `agent_id@dev`). */
  pool: string;
  /** `capabilities.max_concurrent`. */
  maxConcurrent: number;
  /** Whether its control socket is open now (calls continue on their bridges while it is not). */
  connected: boolean;
  /** How many times it registered (1 + reconnects). */
  registrations: number;
  /** Heartbeats received since it first registered. */
  heartbeats: number;
  /** `active_jobs` of its last heartbeat. */
  reportedActiveJobs: number;
  /** Calls assigned to it that have not ended. */
  activeCalls: number;
}

/** One turn of a runner's call, as `server.workers.calls()` shows it. */
export interface RunnerTurnInfo {
  /** The turn id (`tN` for typed text, `voice-N` for an utterance). */
  turnId: string;
  /** What the user said. */
  userText: string;
  /** The agent's reply as forwarded to the session (up to an interruption). */
  reply: string;
  /** `agent.text.delta`s received for the turn. */
  deltas: number;
  /** Deltas that arrived after the turn was interrupted (in flight, or a runner that did not stop). */
  deltasAfterInterrupt: number;
  /** Whether the user interrupted it. */
  interrupted: boolean;
  /** `heard_prefix` sent with `user.interrupted`. */
  heardPrefix?: string | undefined;
  /** Whether the runner's `agent.text.end` arrived. */
  ended: boolean;
  /** Deltas that arrived after `agent.text.end` (none from a correct runner). */
  deltasAfterEnd: number;
  /** `user.text` sent → first delta, in ms. */
  firstDeltaMs?: number | undefined;
}

/** A runner call, as `server.workers.calls()` shows it. */
export interface RunnerCallInfo {
  /** `job.assign.call_id`. */
  callId: string;
  /** The accepted job (the latest assignment). */
  jobId: string | undefined;
  /** The runner serving it. */
  workerId: string | undefined;
  /** The agent. */
  agentId: string;
  /** The session behind it (none for a call made by `server.workers.assign()`). */
  sessionId: string | undefined;
  /** Where it is. */
  phase: "assigning" | "awaiting_bridge" | "live" | "ended";
  /** Why it ended. */
  endReason?: string | undefined;
  /** Bridge dials, refused ones included. */
  bridgeDials: number;
  /** Bridge dials refused, by close code (4003, 4009). */
  bridgeRefusals: number[];
  /** The latest turns, oldest first. */
  turns: RunnerTurnInfo[];
  /** The verbs received other than text deltas and ends, oldest first (the latest 100). */
  verbs: Record<string, unknown>[];
}

/** Options of `server.workers.assign()`. */
export interface AssignOptions {
  /** `job.assign.agent_id`; another runner's agent id makes it refuse (`agent_id_mismatch`). @defaultValue the worker's */
  agentId?: string | undefined;
  /**
   * Assign an existing call again (a duplicate assignment, as a confused orchestrator
   * might): its bridge URL and token; dialled while the first bridge is live, it gets 4009.
   */
  callId?: string | undefined;
  /** Replace the call token: a wrong one makes the bridge refuse the dial with 4003. */
  callToken?: string | undefined;
  /** `job.assign.deadline_ms`. @defaultValue the server's `workers.assignDeadlineMs` */
  deadlineMs?: number | undefined;
  /** `job.assign.metadata`. @defaultValue `{}` */
  metadata?: Record<string, unknown> | undefined;
}

/** The runner's answer to `server.workers.assign()`. */
export interface AssignResult {
  /** The job sent. */
  jobId: string;
  /** The call it is for. */
  callId: string;
  /** `job.ack.accepted` (`false` when no ack came by the deadline). */
  accepted: boolean;
  /** `job.ack.reason`, or `timeout`, or `disconnected`. */
  reason?: JobRefusalReason | "timeout" | "disconnected" | (string & {}) | undefined;
  /** Assignment sent → ack received, in ms. */
  ackMs?: number | undefined;
}
