import { describe, expect, it } from "vitest";
import {
  CLOSE_CODES,
  type ClientFrame,
  encodeFrame,
  MAX_FRAME_SIZE,
  MAX_USER_TEXT,
  parseClientFrame,
  parseServerFrame,
  RTC_PATH,
  RTC_VALIDATE_PATH,
  type ServerFrame,
  UnpodSessionError,
} from "../src/index.js";
import { thrown } from "./helpers.js";

const SERVER: Record<ServerFrame["type"], ServerFrame> = {
  joined: {
    type: "joined",
    seq: 1,
    session_id: "S1",
    room: "support",
    participant: { identity: "alice", name: "Alice", metadata: "{}", attributes: { team: "blue" } },
    resumed: false,
    client_seq: 0,
    resume_window_s: 30,
    server_time: 1_700_000_000_123,
  },
  token_refreshed: { type: "token_refreshed", seq: 2, token: "a.b.c", expires_at: 1_700_021_600 },
  agent_reply: { type: "agent_reply", seq: 3, turn_id: "t1", text: "Echo: hi", final: true },
  user_turn: { type: "user_turn", seq: 4, turn_id: "t1", text: "", final: false },
  error: { type: "error", seq: 5, code: "permission_denied", message: "No.", ref_seq: 1 },
  leave: { type: "leave", seq: 6, reason: "client_left" },
  pong: { type: "pong", t: 123.5 },
  ack: { type: "ack", client_seq: 7 },
  audio_start: { type: "audio_start", seq: 7, turn_id: "t2" },
  audio_end: { type: "audio_end", seq: 8, turn_id: "t2" },
  interrupt: { type: "interrupt", seq: 9, turn_id: "t2", reason: "barge_in" },
  agent_state: { type: "agent_state", seq: 10, state: "speaking", turn_id: "t2" },
  user_speech: { type: "user_speech", seq: 11, speaking: true },
};

const AUDIO = {
  input: { encoding: "pcm_s16le", sample_rate: 16000, channels: 1, frame_ms: 20 },
  output: { encoding: "pcm_s16le", sample_rate: 24000, channels: 1 },
} as const;

const CLIENT: Record<ClientFrame["type"], ClientFrame> = {
  user_text: { type: "user_text", seq: 1, text: "hi" },
  ack: { type: "ack", seq: 0 },
  ping: { type: "ping", t: 1_700_000_000_000 },
  leave: { type: "leave", seq: 2 },
  mute: { type: "mute", seq: 3, muted: true },
  interrupt: { type: "interrupt", seq: 4, turn_id: "t2", played_ms: 1240 },
  playback: { type: "playback", seq: 5, turn_id: "t2", played_ms: 0 },
};

// Values of the wrong kind for each field; `undefined` means "field missing".
const NOT_SEQ = [undefined, 0, -1, 1.5, "1", null, true, 2 ** 53, [], {}];
const NOT_COUNT = [undefined, -1, 1.5, "0", null, 2 ** 53];
const NOT_NUMBER = [undefined, "1", null, true, [], {}];
const NOT_STRING = [undefined, 1, null, true, [], {}];
const NOT_NONEMPTY = [...NOT_STRING, ""];
const NOT_BOOL = [undefined, 0, 1, "true", null];

const SERVER_BAD: Record<string, Record<string, unknown[]>> = {
  joined: {
    seq: NOT_SEQ,
    session_id: NOT_NONEMPTY,
    room: NOT_NONEMPTY,
    participant: [
      undefined,
      null,
      "alice",
      [],
      {},
      { identity: "" },
      { identity: 1 },
      { identity: "a", name: 1 },
      { identity: "a", metadata: {} },
      { identity: "a", attributes: [] },
      { identity: "a", attributes: { k: 1 } },
    ],
    resumed: NOT_BOOL,
    client_seq: NOT_COUNT,
    resume_window_s: NOT_COUNT,
    server_time: NOT_NUMBER,
  },
  token_refreshed: { seq: NOT_SEQ, token: NOT_NONEMPTY, expires_at: NOT_NUMBER },
  agent_reply: { seq: NOT_SEQ, turn_id: NOT_NONEMPTY, text: NOT_STRING, final: NOT_BOOL },
  user_turn: { seq: NOT_SEQ, turn_id: NOT_NONEMPTY, text: NOT_STRING, final: NOT_BOOL },
  error: {
    seq: NOT_SEQ,
    code: NOT_NONEMPTY,
    message: NOT_STRING,
    ref_seq: [-1, 1.5, "1", null],
  },
  leave: { seq: NOT_SEQ, reason: [undefined, "", "bye", "CLIENT_LEFT", 1, null] },
  pong: { t: NOT_NUMBER },
  ack: { client_seq: NOT_COUNT },
  audio_start: { seq: NOT_SEQ, turn_id: NOT_NONEMPTY },
  audio_end: { seq: NOT_SEQ, turn_id: NOT_NONEMPTY },
  interrupt: {
    seq: NOT_SEQ,
    turn_id: NOT_NONEMPTY,
    reason: [undefined, "", "user", "BARGE_IN", 1, null],
  },
  agent_state: {
    seq: NOT_SEQ,
    state: [undefined, "", "interrupted", "SPEAKING", 1, null],
    turn_id: ["", 1, null],
  },
  user_speech: { seq: NOT_SEQ, speaking: NOT_BOOL },
};

const CLIENT_BAD: Record<string, Record<string, unknown[]>> = {
  user_text: { seq: NOT_SEQ, text: NOT_STRING },
  ack: { seq: NOT_COUNT },
  ping: { t: NOT_NUMBER },
  leave: { seq: NOT_SEQ },
  mute: { seq: NOT_SEQ, muted: NOT_BOOL },
  interrupt: { seq: NOT_SEQ, turn_id: NOT_NONEMPTY, played_ms: NOT_COUNT },
  playback: { seq: NOT_SEQ, turn_id: NOT_NONEMPTY, played_ms: NOT_COUNT },
};

const withField = (frame: object, field: string, value: unknown) =>
  JSON.stringify({ ...frame, [field]: value });

describe("parseServerFrame", () => {
  it.each(Object.values(SERVER))("parses a valid $type frame", (frame) => {
    expect(parseServerFrame(JSON.stringify(frame))).toEqual(frame);
    expect(parseServerFrame(encodeFrame(frame))).toEqual(frame);
  });

  it("accepts optional fields being absent", () => {
    const { ref_seq: _, ...error } = SERVER.error as Extract<ServerFrame, { type: "error" }>;
    expect(parseServerFrame(JSON.stringify(error))).toEqual(error);
    const joined = { ...SERVER.joined, participant: { identity: "bob" } };
    expect(parseServerFrame(JSON.stringify(joined))).toEqual(joined);
  });

  it("reads joined.audio, the formats of a voice session", () => {
    const joined = { ...SERVER.joined, audio: AUDIO };
    expect(parseServerFrame(JSON.stringify(joined))).toEqual(joined);
  });

  it.each<[string, unknown]>([
    ["not an object", "pcm"],
    ["no output", { input: AUDIO.input }],
    ["another encoding", { ...AUDIO, input: { ...AUDIO.input, encoding: "opus" } }],
    ["stereo", { ...AUDIO, output: { ...AUDIO.output, channels: 2 } }],
    ["a rate below 8 kHz", { ...AUDIO, output: { ...AUDIO.output, sample_rate: 4000 } }],
    ["a fractional rate", { ...AUDIO, input: { ...AUDIO.input, sample_rate: 16000.5 } }],
    ["frame_ms of 0", { ...AUDIO, input: { ...AUDIO.input, frame_ms: 0 } }],
    ["frame_ms over 100", { ...AUDIO, input: { ...AUDIO.input, frame_ms: 120 } }],
  ])("rejects joined.audio with %s", (_, audio) => {
    const e = thrown(() => parseServerFrame(withField(SERVER.joined, "audio", audio)));
    expect(e.reason).toBe("bad_frame");
    expect(e.message).toContain("joined.audio");
  });

  it.each(["client_left", "session_ended", "removed", "server_shutdown", "replaced"])(
    "accepts leave reason %s",
    (reason) => {
      expect(parseServerFrame(withField(SERVER.leave, "reason", reason))).toMatchObject({ reason });
    },
  );

  for (const [type, fields] of Object.entries(SERVER_BAD)) {
    for (const [field, values] of Object.entries(fields)) {
      it.each(values.map((v) => [v]))(`rejects ${type}.${field} = %j`, (value) => {
        const data = withField(SERVER[type as ServerFrame["type"]], field, value);
        const e = thrown(() => parseServerFrame(data));
        expect(e).toBeInstanceOf(UnpodSessionError);
        expect(e.code).toBe("protocol_error");
        expect(e.reason).toBe("bad_frame");
        expect(e.message).toContain(`${type}.${field}`);
      });
    }
  }

  it.each([
    "hello",
    "joined2",
    "JOINED",
    "__proto__",
    "constructor",
    "toString",
    "hasOwnProperty",
    "",
  ])("returns null for an unknown type %j (forward compatibility)", (type) => {
    expect(parseServerFrame(JSON.stringify({ type, seq: 1 }))).toBeNull();
  });

  it("keeps unknown extra fields (forward compatibility)", () => {
    const frame = { ...SERVER.pong, added_later: [1] };
    expect(parseServerFrame(JSON.stringify(frame))).toEqual(frame);
  });
});

describe("parseClientFrame", () => {
  it.each(Object.values(CLIENT))("parses a valid $type frame", (frame) => {
    expect(parseClientFrame(JSON.stringify(frame))).toEqual(frame);
    expect(parseClientFrame(encodeFrame(frame))).toEqual(frame);
  });

  for (const [type, fields] of Object.entries(CLIENT_BAD)) {
    for (const [field, values] of Object.entries(fields)) {
      it.each(values.map((v) => [v]))(`rejects ${type}.${field} = %j`, (value) => {
        const data = withField(CLIENT[type as ClientFrame["type"]], field, value);
        const e = thrown(() => parseClientFrame(data));
        expect(e.code).toBe("protocol_error");
        expect(e.reason).toBe("bad_frame");
        expect(e.message).toContain(`${type}.${field}`);
      });
    }
  }

  it.each(["joined", "agent_reply", "pong", "hello", "__proto__", "constructor"])(
    "rejects the unknown client type %j with unknown_type",
    (type) => {
      const e = thrown(() => parseClientFrame(JSON.stringify({ type, seq: 1, t: 1 })));
      expect(e.code).toBe("protocol_error");
      expect(e.reason).toBe("unknown_type");
    },
  );

  it("accepts user_text up to MAX_USER_TEXT characters and refuses longer as too_large", () => {
    const at = { type: "user_text", seq: 1, text: "x".repeat(MAX_USER_TEXT) };
    expect(parseClientFrame(JSON.stringify(at))).toEqual(at);
    const over = JSON.stringify({ ...at, text: "x".repeat(MAX_USER_TEXT + 1) });
    expect(thrown(() => parseClientFrame(over)).reason).toBe("too_large");
  });
});

describe("both parsers: anything that is not a frame", () => {
  const parsers = [
    ["server", parseServerFrame],
    ["client", parseClientFrame],
  ] as const;

  for (const [side, parse] of parsers) {
    it.each<[string, unknown]>([
      ["ArrayBuffer (binary audio)", new ArrayBuffer(4)],
      ["Uint8Array", new Uint8Array([123, 125])],
      ["null", null],
      ["undefined", undefined],
      ["a number", 1],
      ["an object", { type: "ping", t: 1 }],
    ])(`${side}: %s → not_text`, (_, data) => {
      expect(thrown(() => parse(data)).reason).toBe("not_text");
    });

    it.each(["", "{", '{"type":"ping","t":1', "ping", "{type:'ping'}", "[1,"])(
      `${side}: invalid JSON %j → bad_json with the cause kept`,
      (data) => {
        const e = thrown(() => parse(data));
        expect(e.reason).toBe("bad_json");
        expect(e.cause).toBeInstanceOf(SyntaxError);
      },
    );

    it.each([
      "[]",
      "1",
      "null",
      '"ping"',
      "true",
      "{}",
      '{"type":1}',
      '{"type":null}',
      '{"kind":"ping"}',
    ])(`${side}: %s → bad_frame (not an object with a string type)`, (data) => {
      expect(thrown(() => parse(data)).reason).toBe("bad_frame");
    });

    it(`${side}: oversize → too_large, without parsing`, () => {
      const big = JSON.stringify({ type: "ping", t: 1, pad: "x".repeat(MAX_FRAME_SIZE) });
      const e = thrown(() => parse(big));
      expect(e.code).toBe("protocol_error");
      expect(e.reason).toBe("too_large");
      expect(e.cause).toBeUndefined();
    });

    it(`${side}: exactly MAX_FRAME_SIZE is accepted`, () => {
      const type = side === "server" ? "pong" : "ping";
      const head = `{"type":"${type}","t":1,"pad":"`;
      const data = `${head}${"x".repeat(MAX_FRAME_SIZE - head.length - 2)}"}`;
      expect(data.length).toBe(MAX_FRAME_SIZE);
      expect(parse(data)).toMatchObject({ type, t: 1 });
    });
  }
});

describe("constants", () => {
  it("match PROTOCOL.md", () => {
    expect([RTC_PATH, RTC_VALIDATE_PATH]).toEqual(["/v1/rtc", "/v1/rtc/validate"]);
    expect(CLOSE_CODES).toEqual({
      normal: 1000,
      goingAway: 1001,
      abnormal: 1006,
      serviceRestart: 1012,
      unauthorized: 4001,
      forbidden: 4003,
      sessionNotFound: 4004,
      idle: 4008,
      replaced: 4009,
      protocolError: 4400,
    });
  });
});
