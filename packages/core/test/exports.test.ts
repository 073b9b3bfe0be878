import { describe, expect, it } from "vitest";
import * as core from "../src/index.js";
import * as internal from "../src/internal/index.js";

// Every public export is a promise (semver covers it): this list changes only on purpose,
// with a changeset that says so. Helpers only our packages need live in
// `@unpod/core/internal`, which semver does not cover.
const PUBLIC = [
  "AUDIO_ENCODING",
  "BRIDGE_EVENTS",
  "BRIDGE_PAIRING_WINDOW_MS",
  "BRIDGE_VERBS",
  "CLOSE_CODES",
  "DEFAULT_ASSIGN_DEADLINE_MS",
  "DEFAULT_HEARTBEAT_INTERVAL_S",
  "HEADERS",
  "MAX_AUDIO_FRAME_BYTES",
  "MAX_AUDIO_FRAME_MS",
  "MAX_FRAME_SIZE",
  "MAX_KEPT_BODY",
  "MAX_REPLY_TEXT",
  "MAX_TOKEN_LENGTH",
  "MAX_USER_TEXT",
  "RTC_PATH",
  "RTC_VALIDATE_PATH",
  "RUNNER_CLOSE_CODES",
  "RUNNER_PROTOCOL_VERSION",
  "RUNNER_WORKERS_PATH",
  "UnpodApiError",
  "UnpodArgumentError",
  "UnpodAudioError",
  "UnpodConnectionError",
  "UnpodError",
  "UnpodSessionError",
  "UnpodTokenError",
  "VERSION",
  "buildHeaders",
  "decodeToken",
  "encodeFrame",
  "encodeRunnerFrame",
  "errorFromResponse",
  "hasErrorCode",
  "isTokenExpired",
  "isUnpodApiError",
  "isUnpodArgumentError",
  "isUnpodAudioError",
  "isUnpodConnectionError",
  "isUnpodError",
  "isUnpodSessionError",
  "isUnpodTokenError",
  "parseBridgeEvent",
  "parseBridgeVerb",
  "parseClientFrame",
  "parseOrchestratorFrame",
  "parseRunnerFrame",
  "parseServerFrame",
  "tokenSecondsLeft",
];

describe("the public surface", () => {
  it("is exactly the promised list", () => {
    expect(Object.keys(core).sort()).toEqual(PUBLIC);
  });

  it("keeps the helpers only our packages need internal", () => {
    for (const name of [
      "parseToken",
      "checkClaims",
      "base64UrlDecode",
      "readTokenTimes",
      "errorFromStatus",
      "redact",
      "scrub",
      "durationMs",
      "isLoopbackHost",
    ]) {
      expect(Object.keys(core), name).not.toContain(name);
      expect(Object.keys(internal), name).toContain(name);
    }
  });
});
