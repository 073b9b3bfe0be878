// The agent-runner protocol's parsers and encoder (frames and constants: runnerFrames.ts):
// one tagged-frame parser per direction and socket, checking each frame against its spec.
import { UnpodSessionError } from "./errors.js";
import {
  bool,
  int,
  isObject,
  nonEmpty,
  num,
  object,
  opt,
  pos,
  type Spec,
  str,
  strings,
} from "./internal/check.js";
import { parseTagged } from "./internal/frames.js";

import {
  type BridgeAgentState,
  type BridgeErrorSeverity,
  type BridgeErrorSource,
  type BridgeEvent,
  type BridgeVerb,
  MAX_REPLY_TEXT,
  type OrchestratorControlFrame,
  type RunnerControlFrame,
  type TransferMode,
  type TransferType,
} from "./runnerFrames.js";

// ---- parsers ----

const oneOf =
  (values: readonly unknown[]) =>
  (v: unknown): boolean =>
    values.includes(v);
const dict = (v: unknown): boolean => isObject(v);
const optNum = /* @__PURE__ */ opt(num);
const optStr = /* @__PURE__ */ opt(str);
const text = (v: unknown): boolean => str(v) && (v as string).length <= MAX_REPLY_TEXT;

const RUNNER: Record<RunnerControlFrame["type"], Spec> = {
  register: {
    worker_id: nonEmpty,
    pool: nonEmpty,
    capabilities: /* @__PURE__ */ object({
      voice_profiles: strings,
      max_concurrent: pos,
      agent_id: nonEmpty,
      transport: (t) => t === "dial_out",
      kind: (k) => k === "brain",
      hostname: optStr,
      address: optStr,
      region: optStr,
    }),
  },
  heartbeat: { active_jobs: int, worker_id: nonEmpty },
  "job.ack": { job_id: nonEmpty, assign_id: nonEmpty, accepted: bool, reason: optStr },
};

const ORCHESTRATOR: Record<OrchestratorControlFrame["type"], Spec> = {
  registered: {
    heartbeat_interval_s: /* @__PURE__ */ opt((v) => num(v) && (v as number) > 0),
    transport_ack: optStr,
  },
  "job.assign": {
    job_id: nonEmpty,
    call_id: nonEmpty,
    agent_id: nonEmpty,
    bridge_url: nonEmpty,
    call_token: nonEmpty,
    assign_id: nonEmpty,
    deadline_ms: /* @__PURE__ */ opt(pos),
    metadata: /* @__PURE__ */ opt(dict),
  },
  "job.cancel": { job_id: nonEmpty },
};

const VERBS: Record<BridgeVerb["event"], Spec> = {
  hello: {
    protocol_version: pos,
    supported_events: strings,
    supported_verbs: strings,
  },
  "agent.text.delta": { text },
  "agent.text.end": {},
  "agent.say": { text: (v) => text(v) && nonEmpty(v) },
  "agent.transfer": {
    transfer_type: /* @__PURE__ */ oneOf(["number", "agent", "human"] satisfies TransferType[]),
    target: nonEmpty,
    mode: /* @__PURE__ */ oneOf(["cold", "warm"] satisfies TransferMode[]),
    announcement: str,
  },
  "agent.end_call": { reason: nonEmpty },
  "agent.dispatch": { agent_id: nonEmpty, metadata: dict },
  "agent.add_participant": { participant_type: nonEmpty, config: dict },
  "agent.remove_participant": { participant_id: nonEmpty },
  "agent.merge": { source_session_id: nonEmpty },
};

const EVENTS: Record<BridgeEvent["event"], Spec> = {
  "hello.ack": {
    protocol_version: pos,
    negotiated_events: strings,
    negotiated_verbs: strings,
    call_id: nonEmpty,
    session_id: nonEmpty,
    job_id: nonEmpty,
    room_id: nonEmpty,
  },
  "call.started": {
    session_id: nonEmpty,
    job_id: nonEmpty,
    room_id: nonEmpty,
    metadata: dict,
    voice_profile_id: optStr,
    agent_id: optStr,
  },
  "user.text": { text: str, is_final: /* @__PURE__ */ opt(bool), turn_id: optStr },
  "user.interrupted": { turn_id: nonEmpty, heard_prefix: optStr },
  state: {
    state: /* @__PURE__ */ oneOf([
      "idle",
      "listening",
      "thinking",
      "speaking",
      "interrupted",
    ] satisfies BridgeAgentState[]),
    turn_id: optStr,
  },
  error: {
    severity: /* @__PURE__ */ oneOf(["warn", "error", "fatal"] satisfies BridgeErrorSeverity[]),
    source: /* @__PURE__ */ oneOf([
      "stt",
      "tts",
      "transport",
      "internal",
    ] satisfies BridgeErrorSource[]),
    code: nonEmpty,
    message: str,
  },
  metric: {
    ttfa_ms: optNum,
    asr_p95_ms: optNum,
    tts_p95_ms: optNum,
    turns: int,
    cost_usd_so_far: optNum,
  },
  "turn.metrics": {
    call_id: nonEmpty,
    turn_id: nonEmpty,
    ttfa_ms: optNum,
    asr_ms: optNum,
    llm_ttft_ms: optNum,
    tts_ttfb_ms: optNum,
    llm_call_count: int,
    llm_total_ms: optNum,
    from_node: optStr,
    to_node: optStr,
  },
};

const fail = (reason: string, where?: string, cause?: unknown) =>
  new UnpodSessionError(
    "protocol_error",
    `Invalid runner frame (${reason}${where ? `: ${where}` : ""}).`,
    { reason, cause },
  );

/**
 * Parses one control frame from the orchestrator (what a runner reads).
 *
 * @param data - The text of a WebSocket message.
 * @returns The typed frame, or `null` for a well-formed frame of a `type` this version does
 *   not know (runners ignore those).
 * @throws {@link UnpodSessionError} `protocol_error` for anything malformed; its `reason` is
 *   `not_text`, `too_large`, `bad_json` or `bad_frame`.
 * @example
 * ```ts
 * import { parseOrchestratorFrame } from "@unpod/core";
 * const frame = parseOrchestratorFrame('{"type":"registered","transport_ack":"dial_out"}');
 * const interval = frame?.type === "registered" ? (frame.heartbeat_interval_s ?? 30) : 30;
 * ```
 */
export function parseOrchestratorFrame(data: unknown): OrchestratorControlFrame | null {
  return parseTagged<OrchestratorControlFrame>(data, "type", ORCHESTRATOR, fail);
}

/**
 * Parses one control frame from a runner (what an orchestrator reads). An unknown `type` is
 * an error here.
 *
 * @param data - The text of a WebSocket message.
 * @returns The typed frame.
 * @throws {@link UnpodSessionError} `protocol_error`; its `reason` is `not_text`,
 *   `too_large`, `bad_json`, `bad_frame` or `unknown_type`.
 */
export function parseRunnerFrame(data: unknown): RunnerControlFrame {
  const f = parseTagged<RunnerControlFrame>(data, "type", RUNNER, fail);
  if (!f) throw fail("unknown_type");
  return f;
}

/**
 * Parses one bridge event (what a runner reads on a call's bridge).
 *
 * @param data - The text of a WebSocket message.
 * @returns The typed event, or `null` for a well-formed event this version does not know.
 * @throws {@link UnpodSessionError} `protocol_error`; its `reason` is `not_text`,
 *   `too_large`, `bad_json` or `bad_frame`.
 * @example
 * ```ts
 * import { parseBridgeEvent } from "@unpod/core";
 * const event = parseBridgeEvent('{"event":"user.text","text":"hi"}');
 * const final = event?.event === "user.text" && event.is_final !== false;
 * ```
 */
export function parseBridgeEvent(data: unknown): BridgeEvent | null {
  return parseTagged<BridgeEvent>(data, "event", EVENTS, fail);
}

/**
 * Parses one bridge verb (what an orchestrator reads on a call's bridge). An unknown
 * `event` is an error here.
 *
 * @param data - The text of a WebSocket message.
 * @returns The typed verb (or `hello`).
 * @throws {@link UnpodSessionError} `protocol_error`; its `reason` is `not_text`,
 *   `too_large`, `bad_json`, `bad_frame` or `unknown_type`. Texts longer than
 *   {@link MAX_REPLY_TEXT} are `bad_frame`.
 */
export function parseBridgeVerb(data: unknown): BridgeVerb {
  const f = parseTagged<BridgeVerb>(data, "event", VERBS, fail);
  if (!f) throw fail("unknown_type");
  return f;
}

/**
 * Serialises a runner-protocol frame for the wire.
 *
 * @param frame - A control frame, a bridge event or a bridge verb.
 * @returns JSON text.
 */
export function encodeRunnerFrame(
  frame: RunnerControlFrame | OrchestratorControlFrame | BridgeVerb | BridgeEvent,
): string {
  return JSON.stringify(frame);
}
