// Property tests: the decoder and the frame parsers never throw anything but our own error,
// and never hang, whatever they are given.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  decodeToken,
  errorFromResponse,
  isUnpodError,
  MAX_FRAME_SIZE,
  parseClientFrame,
  parseServerFrame,
} from "../src/index.js";
import { durationMs, readTokenTimes } from "../src/internal/index.js";
import { b64url, CLAIMS, jwt } from "./helpers.js";

// A ceiling, not a speed target: a catastrophic (super-linear) case takes seconds to
// minutes. Counted in this process's CPU time, so other processes on CI's two busy cores do
// not count (where the runtime reports it); generous, because a garbage-collector pause still does.
const BUDGET_MS = 1000;
const RUNS = { numRuns: 400 };

/** This process's CPU milliseconds where the runtime reports them (Node), else the wall clock. */
function cpuMs(): number {
  const usage = globalThis.process?.cpuUsage?.();
  return usage === undefined ? performance.now() : (usage.user + usage.system) / 1000;
}

/** Calls `fn`; passes when it returns, or throws an SDK error with one of `codes`, in time. */
function total(fn: () => unknown, codes: readonly string[]): boolean {
  const start = cpuMs();
  try {
    fn();
  } catch (error) {
    if (!isUnpodError(error)) throw new Error(`foreign error: ${String(error)}`, { cause: error });
    expect(codes).toContain(error.code);
  }
  const took = cpuMs() - start;
  if (took > BUDGET_MS) throw new Error(`took ${took.toFixed(0)} ms`);
  return true;
}

const anyString = fc.oneof(
  fc.string({ maxLength: 300 }),
  fc.string({ unit: "binary", maxLength: 300 }),
  fc.string({ unit: fc.constantFrom(..."eyJ.-_AQ=+/ "), maxLength: 300 }),
);
const anyJson = fc.jsonValue({ maxDepth: 4 });
const anything = fc.oneof(anyString, anyJson, fc.anything({ maxDepth: 2 }));

// Mutations of a valid input: replace, insert or delete characters, cut, duplicate.
function mutated(valid: string) {
  return fc
    .array(
      fc.tuple(
        fc.constantFrom("replace", "insert", "delete", "cut", "double"),
        fc.nat(),
        fc.string({ unit: "binary", minLength: 1, maxLength: 3 }),
      ),
      { minLength: 1, maxLength: 5 },
    )
    .map((edits) => {
      let s = valid;
      for (const [op, n, chars] of edits) {
        const i = s.length ? n % s.length : 0;
        if (op === "replace") s = s.slice(0, i) + chars + s.slice(i + 1);
        else if (op === "insert") s = s.slice(0, i) + chars + s.slice(i);
        else if (op === "delete") s = s.slice(0, i) + s.slice(i + 1);
        else if (op === "cut") s = s.slice(0, i);
        else s = s + s.slice(i);
      }
      return s;
    });
}

describe("decodeToken", () => {
  const codes = ["invalid_token"];
  const valid = jwt(CLAIMS);

  it("on arbitrary strings and values", () => {
    fc.assert(
      fc.property(anything, (v) => total(() => decodeToken(v as string), codes)),
      RUNS,
    );
  });

  it("on mutated valid tokens", () => {
    fc.assert(
      fc.property(mutated(valid), (t) => total(() => decodeToken(t), codes)),
      RUNS,
    );
  });

  it("on well-formed tokens around arbitrary JSON headers and payloads", () => {
    const claimLike = fc.record(
      {
        iss: fc.oneof(fc.string(), anyJson),
        exp: fc.oneof(fc.double(), fc.integer(), anyJson),
        nbf: anyJson,
        sub: anyJson,
        attributes: fc.oneof(fc.dictionary(fc.string(), fc.string()), anyJson),
        video: fc.oneof(
          fc.record(
            { room: anyJson, roomJoin: anyJson, canPublishSources: anyJson },
            { requiredKeys: [] },
          ),
          anyJson,
        ),
        sip: anyJson,
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(
        fc.oneof(claimLike, anyJson),
        fc.oneof(fc.constant({ alg: "HS256" }), anyJson),
        (p, h) => {
          const token = jwt(JSON.stringify(p) ?? "null", JSON.stringify(h) ?? "null");
          return total(() => decodeToken(token), codes);
        },
      ),
      RUNS,
    );
  });

  it("on random bytes in each segment", () => {
    const seg = fc.uint8Array({ maxLength: 200 }).map(b64url);
    fc.assert(
      fc.property(seg, seg, seg, (a, b, c) => total(() => decodeToken(`${a}.${b}.${c}`), codes)),
      RUNS,
    );
  });
});

describe("readTokenTimes", () => {
  const codes = ["invalid_token"];

  it("on arbitrary values, mutated tokens and random segments", () => {
    fc.assert(
      fc.property(anything, (v) => total(() => readTokenTimes(v), codes)),
      RUNS,
    );
    fc.assert(
      fc.property(mutated(jwt(CLAIMS)), (t) => total(() => readTokenTimes(t), codes)),
      RUNS,
    );
    const seg = fc.uint8Array({ maxLength: 200 }).map(b64url);
    fc.assert(
      fc.property(seg, seg, (a, b) => total(() => readTokenTimes(`${a}.${b}.x`), codes)),
      RUNS,
    );
  });

  it("reads the exp of any JSON payload that has a numeric one", () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 2 })),
        fc.double(),
        (p, exp) => {
          const claims = { ...p, exp, iat: undefined };
          const ok = Number.isFinite(exp);
          const token = jwt(JSON.stringify(claims));
          if (!ok) return total(() => readTokenTimes(token), codes);
          return readTokenTimes(token).exp === exp;
        },
      ),
      RUNS,
    );
  });
});

describe("frame parsers", () => {
  const codes = ["protocol_error"];
  const frames = [
    '{"type":"joined","seq":1,"session_id":"S","room":"r","participant":{"identity":"a"},"resumed":false,"client_seq":0,"resume_window_s":30,"server_time":1}',
    '{"type":"agent_reply","seq":2,"turn_id":"t1","text":"hi","final":true}',
    '{"type":"error","seq":3,"code":"bad_frame","message":"x","ref_seq":1}',
    '{"type":"leave","seq":4,"reason":"removed"}',
    '{"type":"user_text","seq":1,"text":"hi"}',
    '{"type":"ack","seq":0}',
    '{"type":"ping","t":5}',
  ];
  const both = (data: unknown) =>
    total(() => parseServerFrame(data), codes) && total(() => parseClientFrame(data), codes);

  it("on arbitrary strings and values", () => {
    fc.assert(fc.property(anything, both), RUNS);
  });

  it("on arbitrary JSON text", () => {
    fc.assert(
      fc.property(anyJson, (v) => both(JSON.stringify(v))),
      RUNS,
    );
  });

  it("on objects with a known type and arbitrary fields", () => {
    const type = fc.constantFrom(
      "joined",
      "token_refreshed",
      "agent_reply",
      "user_turn",
      "error",
      "leave",
      "pong",
      "user_text",
      "ack",
      "ping",
      "__proto__",
      "constructor",
    );
    const value = fc.oneof(anyJson, fc.double(), fc.constant(undefined));
    const frame = fc.record(
      {
        type,
        seq: value,
        t: value,
        text: value,
        turn_id: value,
        final: value,
        participant: fc.oneof(
          fc.record({ identity: value, attributes: value }, { requiredKeys: [] }),
          value,
        ),
        reason: value,
        session_id: value,
        room: value,
        token: value,
        code: value,
      },
      { requiredKeys: ["type"] },
    );
    fc.assert(
      fc.property(frame, (f) => both(JSON.stringify(f))),
      RUNS,
    );
  });

  it("on mutated valid frames", () => {
    fc.assert(fc.property(fc.constantFrom(...frames).chain(mutated), both), RUNS);
  });

  it("on pathological inputs near the size limit", () => {
    for (const data of [
      "[".repeat(MAX_FRAME_SIZE),
      `${"[".repeat(MAX_FRAME_SIZE / 2)}${"]".repeat(MAX_FRAME_SIZE / 2)}`,
      `{"type":"pong","t":1,"x":${"[".repeat(30_000)}${"]".repeat(30_000)}}`,
      `"${"\\u0000".repeat(MAX_FRAME_SIZE / 6 - 1)}"`,
      "x".repeat(MAX_FRAME_SIZE + 1),
    ]) {
      expect(both(data)).toBe(true);
    }
  });
});

describe("the other parsers of untrusted input", () => {
  it("durationMs throws only invalid_argument", () => {
    const bounds = { option: "ttl", min: 0, max: 86_400_000 };
    fc.assert(
      fc.property(fc.oneof(anything, fc.double()), (v) =>
        total(() => durationMs(v as string, bounds), ["invalid_argument"]),
      ),
      RUNS,
    );
  });

  it("errorFromResponse never throws", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 999 }),
        fc.oneof(
          anything,
          anyJson.map((v) => JSON.stringify(v)),
        ),
        (status, body) =>
          total(
            () =>
              errorFromResponse({ status, body, request: { method: "GET", url: "https://h/" } }),
            [],
          ),
      ),
      RUNS,
    );
  });
});
