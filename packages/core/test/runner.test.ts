import { describe, expect, it } from "vitest";
import {
  BRIDGE_EVENTS,
  BRIDGE_VERBS,
  type BridgeEvent,
  type BridgeVerb,
  encodeRunnerFrame,
  MAX_FRAME_SIZE,
  MAX_REPLY_TEXT,
  type OrchestratorControlFrame,
  parseBridgeEvent,
  parseBridgeVerb,
  parseOrchestratorFrame,
  parseRunnerFrame,
  RUNNER_CLOSE_CODES,
  RUNNER_WORKERS_PATH,
  type RunnerControlFrame,
  UnpodSessionError,
} from "../src/index.js";
import { thrown } from "./helpers.js";

// The agent-runner protocol (unpod-runner-protocol.md): every frame of the reference, valid
// and broken field by field, through the parser of the side that reads it.

const RUNNER: Record<RunnerControlFrame["type"], RunnerControlFrame> = {
  register: {
    type: "register",
    worker_id: "support#0a1b2c3d",
    pool: "support",
    capabilities: {
      voice_profiles: [],
      max_concurrent: 50,
      agent_id: "support",
      transport: "dial_out",
      kind: "brain",
      hostname: "box-1",
    },
  },
  heartbeat: { type: "heartbeat", active_jobs: 3, worker_id: "support#0a1b2c3d" },
  "job.ack": {
    type: "job.ack",
    job_id: "J1",
    assign_id: "A1",
    accepted: false,
    reason: "at_capacity",
  },
};

const ORCHESTRATOR: Record<OrchestratorControlFrame["type"], OrchestratorControlFrame> = {
  registered: { type: "registered", heartbeat_interval_s: 30, transport_ack: "dial_out" },
  "job.assign": {
    type: "job.assign",
    job_id: "J1",
    call_id: "C1",
    agent_id: "support",
    bridge_url: "wss://example/v1/internal/bridge/C1",
    call_token: "secret",
    assign_id: "A1",
    deadline_ms: 2000,
    metadata: { plan: "pro" },
  },
  "job.cancel": { type: "job.cancel", job_id: "J1" },
};

const VERBS: Record<BridgeVerb["event"], BridgeVerb> = {
  hello: {
    event: "hello",
    protocol_version: 2,
    supported_events: ["user.text"],
    supported_verbs: ["agent.text.delta"],
  },
  "agent.text.delta": { event: "agent.text.delta", text: "Hel" },
  "agent.text.end": { event: "agent.text.end" },
  "agent.say": { event: "agent.say", text: "One moment." },
  "agent.transfer": {
    event: "agent.transfer",
    transfer_type: "human",
    target: "billing",
    mode: "warm",
    announcement: "",
  },
  "agent.end_call": { event: "agent.end_call", reason: "completed" },
  "agent.dispatch": { event: "agent.dispatch", agent_id: "sales", metadata: {} },
  "agent.add_participant": {
    event: "agent.add_participant",
    participant_type: "phone",
    config: { number: "+14155550100" },
  },
  "agent.remove_participant": { event: "agent.remove_participant", participant_id: "P1" },
  "agent.merge": { event: "agent.merge", source_session_id: "S2" },
};

const EVENTS: Record<BridgeEvent["event"], BridgeEvent> = {
  "hello.ack": {
    event: "hello.ack",
    protocol_version: 2,
    negotiated_events: ["user.text"],
    negotiated_verbs: ["agent.text.delta"],
    call_id: "C1",
    session_id: "S1",
    job_id: "J1",
    room_id: "R1",
  },
  "call.started": {
    event: "call.started",
    session_id: "S1",
    job_id: "J1",
    room_id: "R1",
    metadata: {},
    agent_id: "support",
  },
  "user.text": { event: "user.text", text: "hi", is_final: true, turn_id: "t1", language: "en" },
  "user.interrupted": { event: "user.interrupted", turn_id: "t1", heard_prefix: "Hello" },
  state: { event: "state", state: "interrupted", turn_id: "t1" },
  error: { event: "error", severity: "warn", source: "tts", code: "slow", message: "TTS is slow" },
  metric: { event: "metric", ttfa_ms: 410, turns: 3 },
  "turn.metrics": {
    event: "turn.metrics",
    call_id: "C1",
    turn_id: "t1",
    llm_ttft_ms: 120,
    llm_call_count: 1,
  },
};

const NOT_ID = [undefined, "", 1, null, true, [], {}];
const NOT_STRING = [undefined, 1, null, true, [], {}];
const NOT_COUNT = [undefined, -1, 1.5, "1", null];
const NOT_POS = [...NOT_COUNT, 0];
const NOT_BOOL = [undefined, 0, "true", null];
const NOT_DICT = [undefined, null, [], "x", 1];
const NOT_STRINGS = [undefined, null, "a", [1], {}];

const RUNNER_BAD: Record<string, Record<string, unknown[]>> = {
  register: {
    worker_id: NOT_ID,
    pool: NOT_ID,
    capabilities: [
      undefined,
      null,
      [],
      { ...RUNNER.register, max_concurrent: 0 },
      { voice_profiles: [], max_concurrent: 1, agent_id: "a", transport: "dial_in", kind: "brain" },
      { voice_profiles: [], max_concurrent: 1, agent_id: "a", transport: "dial_out", kind: "x" },
      {
        voice_profiles: [1],
        max_concurrent: 1,
        agent_id: "a",
        transport: "dial_out",
        kind: "brain",
      },
      { voice_profiles: [], max_concurrent: 1, agent_id: "", transport: "dial_out", kind: "brain" },
    ],
  },
  heartbeat: { active_jobs: NOT_COUNT, worker_id: NOT_ID },
  "job.ack": { job_id: NOT_ID, assign_id: NOT_ID, accepted: NOT_BOOL, reason: [1, null] },
};

const ORCHESTRATOR_BAD: Record<string, Record<string, unknown[]>> = {
  registered: { heartbeat_interval_s: [0, -1, "30", null], transport_ack: [1, null] },
  "job.assign": {
    job_id: NOT_ID,
    call_id: NOT_ID,
    agent_id: NOT_ID,
    bridge_url: NOT_ID,
    call_token: NOT_ID,
    assign_id: NOT_ID,
    deadline_ms: [0, -1, 1.5, "2000", null],
    metadata: [null, [], "x", 1],
  },
  "job.cancel": { job_id: NOT_ID },
};

const VERBS_BAD: Record<string, Record<string, unknown[]>> = {
  hello: {
    protocol_version: NOT_POS,
    supported_events: NOT_STRINGS,
    supported_verbs: NOT_STRINGS,
  },
  "agent.text.delta": { text: [...NOT_STRING, "x".repeat(MAX_REPLY_TEXT + 1)] },
  "agent.say": { text: [...NOT_STRING, "", "x".repeat(MAX_REPLY_TEXT + 1)] },
  "agent.transfer": {
    transfer_type: [undefined, "phone", "", null],
    target: NOT_ID,
    mode: [undefined, "hot", null],
    announcement: NOT_STRING,
  },
  "agent.end_call": { reason: NOT_ID },
  "agent.dispatch": { agent_id: NOT_ID, metadata: NOT_DICT },
  "agent.add_participant": { participant_type: NOT_ID, config: NOT_DICT },
  "agent.remove_participant": { participant_id: NOT_ID },
  "agent.merge": { source_session_id: NOT_ID },
};

const EVENTS_BAD: Record<string, Record<string, unknown[]>> = {
  "hello.ack": {
    protocol_version: NOT_POS,
    negotiated_events: NOT_STRINGS,
    negotiated_verbs: NOT_STRINGS,
    call_id: NOT_ID,
    session_id: NOT_ID,
    job_id: NOT_ID,
    room_id: NOT_ID,
  },
  "call.started": {
    session_id: NOT_ID,
    job_id: NOT_ID,
    room_id: NOT_ID,
    metadata: NOT_DICT,
    voice_profile_id: [1, null],
    agent_id: [1, null],
  },
  "user.text": { text: NOT_STRING, is_final: [0, "true", null], turn_id: [1, null] },
  "user.interrupted": { turn_id: NOT_ID, heard_prefix: [1, null] },
  state: { state: [undefined, "", "SPEAKING", "talking", null], turn_id: [1, null] },
  error: {
    severity: [undefined, "info", null],
    source: [undefined, "llm", null],
    code: NOT_ID,
    message: NOT_STRING,
  },
  metric: { turns: NOT_COUNT, ttfa_ms: ["1", null] },
  "turn.metrics": { call_id: NOT_ID, turn_id: NOT_ID, llm_call_count: NOT_COUNT, asr_ms: ["1"] },
};

const withField = (frame: object, field: string, value: unknown) =>
  JSON.stringify({ ...frame, [field]: value });

type Parser = (data: unknown) => unknown;
const SIDES: [
  string,
  Parser,
  Record<string, object>,
  Record<string, Record<string, unknown[]>>,
  "type" | "event",
  boolean,
][] = [
  ["parseRunnerFrame", parseRunnerFrame, RUNNER, RUNNER_BAD, "type", true],
  ["parseOrchestratorFrame", parseOrchestratorFrame, ORCHESTRATOR, ORCHESTRATOR_BAD, "type", false],
  ["parseBridgeVerb", parseBridgeVerb, VERBS, VERBS_BAD, "event", true],
  ["parseBridgeEvent", parseBridgeEvent, EVENTS, EVENTS_BAD, "event", false],
];

for (const [name, parse, valid, bad, key, strict] of SIDES) {
  describe(name, () => {
    it.each(Object.values(valid).map((f) => [(f as Record<string, string>)[key], f]))(
      "parses a valid %s",
      (_, frame) => {
        expect(parse(JSON.stringify(frame))).toEqual(frame);
        expect(parse(encodeRunnerFrame(frame as RunnerControlFrame))).toEqual(frame);
      },
    );

    for (const [tag, fields] of Object.entries(bad)) {
      for (const [field, values] of Object.entries(fields)) {
        it.each(values.map((v) => [v]))(`rejects ${tag}.${field} = %j`, (value) => {
          const e = thrown(() => parse(withField(valid[tag] as object, field, value)));
          expect(e).toBeInstanceOf(UnpodSessionError);
          expect(e.code).toBe("protocol_error");
          expect(e.reason).toBe("bad_frame");
          expect(e.message).toContain(`${tag}.${field}`);
        });
      }
    }

    it.each(["__proto__", "constructor", "toString", "joined", ""])(
      strict ? "rejects the unknown tag %j (unknown_type)" : "returns null for the unknown tag %j",
      (tag) => {
        const data = JSON.stringify({ [key]: tag });
        if (strict) expect(thrown(() => parse(data)).reason).toBe("unknown_type");
        else expect(parse(data)).toBeNull();
      },
    );

    it.each<[string, unknown, string]>([
      ["binary", new Uint8Array([123, 125]), "not_text"],
      ["an object", { [key]: "x" }, "not_text"],
      ["invalid JSON", "{", "bad_json"],
      ["an array", "[]", "bad_frame"],
      ["no tag", "{}", "bad_frame"],
      [
        "a tag of the other kind",
        JSON.stringify({ [key === "type" ? "event" : "type"]: "x" }),
        "bad_frame",
      ],
      ["oversize", JSON.stringify({ [key]: "x", pad: "x".repeat(MAX_FRAME_SIZE) }), "too_large"],
    ])("refuses %s: %s", (_, data, reason) => {
      expect(thrown(() => parse(data)).reason).toBe(reason);
    });
  });
}

describe("the runner protocol's extras and constants", () => {
  it("user.text keeps extra fields (language) and defaults is_final by absence", () => {
    const event = parseBridgeEvent('{"event":"user.text","text":"hola","language":"es"}');
    expect(event).toEqual({ event: "user.text", text: "hola", language: "es" });
  });

  it("registered may be empty (heartbeat 30 s by default, no transport_ack)", () => {
    expect(parseOrchestratorFrame('{"type":"registered"}')).toEqual({ type: "registered" });
  });

  it("a delta of exactly MAX_REPLY_TEXT characters is accepted", () => {
    const verb = { event: "agent.text.delta", text: "x".repeat(MAX_REPLY_TEXT) };
    expect(parseBridgeVerb(JSON.stringify(verb))).toEqual(verb);
  });

  it("match the reference", () => {
    expect(RUNNER_WORKERS_PATH).toBe("/v1/internal/workers");
    expect(RUNNER_CLOSE_CODES).toEqual({
      credentialRefused: 4001,
      policy: 1008,
      bridgeRefused: 4003,
      bridgeInUse: 4009,
    });
    expect([...BRIDGE_EVENTS].sort()).toEqual(Object.keys(EVENTS).sort());
    expect([...BRIDGE_VERBS, "hello"].sort()).toEqual(Object.keys(VERBS).sort());
  });
});
