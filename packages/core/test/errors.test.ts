import { describe, expect, it } from "vitest";
import {
  hasErrorCode,
  isUnpodApiError,
  isUnpodError,
  isUnpodTokenError,
  UnpodApiError,
  UnpodArgumentError,
  UnpodAudioError,
  UnpodConnectionError,
  UnpodError,
  type UnpodErrorCode,
  UnpodSessionError,
  UnpodTokenError,
} from "../src/index.js";
import { API_TOKEN, CLAIMS, jwt } from "./helpers.js";

const request = { method: "GET", url: "https://unpod.ai/api/v2/platform/spaces/" };

// Every code, with the class that carries it.
const make: Record<UnpodErrorCode, () => UnpodError> = {
  bad_request: () => new UnpodApiError("bad_request", "m", { status: 400, request }),
  missing_header: () => new UnpodArgumentError("missing_header", "m", { option: "orgHandle" }),
  unauthorized: () => new UnpodApiError("unauthorized", "m", { status: 401, request }),
  forbidden: () => new UnpodApiError("forbidden", "m", { status: 403, request }),
  token_expired: () => new UnpodTokenError("token_expired", "m", { reason: "expired" }),
  token_not_yet_valid: () => new UnpodTokenError("token_not_yet_valid", "m", { reason: "nbf" }),
  invalid_token: () => new UnpodTokenError("invalid_token", "m", { reason: "malformed" }),
  not_found: () => new UnpodApiError("not_found", "m", { status: 404, request }),
  rate_limited: () =>
    new UnpodApiError("rate_limited", "m", { status: 429, request, retryAfter: 3 }),
  business_error: () => new UnpodApiError("business_error", "m", { status: 206, request }),
  server_error: () => new UnpodApiError("server_error", "m", { status: 500, request }),
  http_error: () => new UnpodApiError("http_error", "m", { status: 302, request }),
  response_too_large: () => new UnpodApiError("response_too_large", "m", { status: 200, request }),
  network_error: () => new UnpodConnectionError("network_error", "m"),
  timeout: () => new UnpodConnectionError("timeout", "m"),
  aborted: () => new UnpodConnectionError("aborted", "m"),
  invalid_argument: () => new UnpodArgumentError("invalid_argument", "m", { option: "ttl" }),
  protocol_error: () => new UnpodSessionError("protocol_error", "m"),
  session_not_found: () => new UnpodSessionError("session_not_found", "m", { closeCode: 4004 }),
  session_replaced: () => new UnpodSessionError("session_replaced", "m", { closeCode: 4009 }),
  permission_denied: () => new UnpodSessionError("permission_denied", "m"),
  buffer_full: () => new UnpodSessionError("buffer_full", "m"),
  audio_not_supported: () => new UnpodAudioError("audio_not_supported", "m"),
  microphone_denied: () => new UnpodAudioError("microphone_denied", "m"),
  microphone_unavailable: () => new UnpodAudioError("microphone_unavailable", "m"),
  audio_unavailable: () => new UnpodAudioError("audio_unavailable", "m"),
  audio_failed: () => new UnpodAudioError("audio_failed", "m"),
};

describe("error codes", () => {
  it.each(Object.entries(make))("%s: is an Error and an UnpodError with that code", (code, fn) => {
    const e = fn();
    expect(e).toBeInstanceOf(Error);
    expect(e).toBeInstanceOf(UnpodError);
    expect(e.code).toBe(code);
    expect(isUnpodError(e)).toBe(true);
    expect(hasErrorCode(e, code as UnpodErrorCode)).toBe(true);
    expect(hasErrorCode(e, code === "timeout" ? "aborted" : "timeout")).toBe(false);
    expect(typeof e.stack).toBe("string");
  });

  it("the base class works on its own", () => {
    const e = new UnpodError("server_error", "boom");
    expect([e.name, e.code, e.message]).toEqual(["UnpodError", "server_error", "boom"]);
  });
});

describe("names", () => {
  it.each([
    [make.not_found(), "UnpodApiError"],
    [make.invalid_token(), "UnpodTokenError"],
    [make.timeout(), "UnpodConnectionError"],
    [make.invalid_argument(), "UnpodArgumentError"],
    [make.protocol_error(), "UnpodSessionError"],
  ])("%o is named %s (an own property, so it survives JSON and other bundles)", (e, name) => {
    expect(e.name).toBe(name);
    expect(Object.hasOwn(e, "name")).toBe(true);
    expect(String(e)).toBe(`${name}: ${e.message}`);
    expect(JSON.parse(JSON.stringify(e)).name).toBe(name);
  });
});

describe("fields", () => {
  it("keeps the cause", () => {
    const cause = new TypeError("fetch failed");
    expect(new UnpodConnectionError("network_error", "x", { cause }).cause).toBe(cause);
    expect(new UnpodArgumentError("invalid_argument", "x", { option: "ttl", cause }).cause).toBe(
      cause,
    );
    expect(new UnpodTokenError("invalid_token", "x", { reason: "r", cause }).cause).toBe(cause);
    expect(new UnpodApiError("server_error", "x", { status: 500, request, cause }).cause).toBe(
      cause,
    );
    expect(new UnpodSessionError("protocol_error", "x", { cause }).cause).toBe(cause);
  });

  it("has no cause property when none was given", () => {
    expect("cause" in new UnpodConnectionError("timeout", "x")).toBe(false);
    expect("cause" in new UnpodConnectionError("timeout", "x", { cause: undefined })).toBe(false);
  });

  it("UnpodApiError carries status, request, envelope parts and retryAfter", () => {
    const e = new UnpodApiError("rate_limited", "Too many requests.", {
      status: 429,
      request: { method: "POST", url: "https://unpod.ai/x/", requestId: "r-1" },
      data: { a: 1 },
      errors: { name: ["required"] },
      body: "<html>",
      retryAfter: 7,
    });
    expect(e).toMatchObject({
      name: "UnpodApiError",
      code: "rate_limited",
      status: 429,
      method: "POST",
      url: "https://unpod.ai/x/",
      requestId: "r-1",
      data: { a: 1 },
      errors: { name: ["required"] },
      body: "<html>",
      retryAfter: 7,
    });
  });

  it("UnpodTokenError carries claim and reason", () => {
    const e = new UnpodTokenError("token_expired", "x", { reason: "expired", claim: "exp" });
    expect([e.claim, e.reason]).toEqual(["exp", "expired"]);
  });

  it("UnpodArgumentError names the option in `option` and at the start of the message", () => {
    const e = new UnpodArgumentError("invalid_argument", "must be positive", { option: "ttl" });
    expect([e.option, e.code, e.message]).toEqual([
      "ttl",
      "invalid_argument",
      "ttl: must be positive",
    ]);
  });

  it("UnpodSessionError carries closeCode and reason", () => {
    const e = new UnpodSessionError("protocol_error", "x", {
      closeCode: 4400,
      reason: "bad_frame",
    });
    expect([e.closeCode, e.reason]).toEqual([4400, "bad_frame"]);
  });
});

describe("guards work across bundles and realms (name + code, not instanceof)", () => {
  it("accept a plain object shaped like an SDK error (what another copy of the SDK throws)", () => {
    const foreign = { name: "UnpodApiError", code: "not_found", message: "x", status: 404 };
    expect(foreign instanceof UnpodError).toBe(false);
    expect(isUnpodError(foreign)).toBe(true);
    expect(isUnpodApiError(foreign)).toBe(true);
    expect(isUnpodTokenError(foreign)).toBe(false);
    expect(hasErrorCode(foreign, "not_found")).toBe(true);
    expect(hasErrorCode(foreign, "forbidden")).toBe(false);
  });

  it("accept an error class a newer SDK may add", () => {
    const e = Object.assign(new Error("x"), { name: "UnpodFutureError", code: "something_new" });
    expect(isUnpodError(e)).toBe(true);
  });

  it("accept a subclass instance from this copy", () => {
    expect(isUnpodTokenError(make.invalid_token())).toBe(true);
    expect(isUnpodApiError(make.invalid_token())).toBe(false);
  });

  it.each([
    null,
    undefined,
    0,
    "UnpodError",
    new Error("x"),
    Object.assign(new Error("x"), { code: "timeout" }),
    { name: "UnpodError" },
    { name: "UnpodError", code: 5 },
    { name: "NotUnpodError", code: "timeout" },
    { name: "UnpodErrorX", code: "timeout" },
    { name: { toString: (): string => "UnpodError" }, code: "timeout" },
  ])("reject %o", (value) => {
    expect(isUnpodError(value)).toBe(false);
    expect(hasErrorCode(value, "timeout")).toBe(false);
    expect(isUnpodApiError(value)).toBe(false);
  });
});

describe("no credential in a message, toJSON, stack or field", () => {
  const token = jwt(CLAIMS);
  const secret = "s3cr3t-Api-Secret-value-42";
  const cases: [string, string, string][] = [
    ["API token after Token", `Authorization: Token ${API_TOKEN}`, API_TOKEN],
    ["API token, lower-case scheme", `authorization: token ${API_TOKEN}`, API_TOKEN],
    ["Bearer JWT", `Authorization: Bearer ${token}`, token],
    ["bare JWT", `the token ${token} expired`, token],
    [
      "JWT without signature",
      `got ${token.split(".").slice(0, 2).join(".")}`,
      token.split(".")[1] as string,
    ],
    ["access_token query parameter", `GET /v1/rtc?access_token=${secret}&sid=1`, secret],
    ["api_secret query parameter", `/x?api_secret=${secret}`, secret],
    ["JSON secret field", `{"api_secret": "${secret}", "name": "x"}`, secret],
    ["JSON apiToken field", `{"apiToken":"${secret}"}`, secret],
    ["JSON password field", `{"password":"${secret}"}`, secret],
  ];

  it.each(cases)("%s", (_, text, leaked) => {
    const errors = [
      new UnpodError("unauthorized", text),
      new UnpodArgumentError("invalid_argument", text, { option: "apiToken" }),
      new UnpodApiError("unauthorized", text, {
        status: 401,
        request: { method: "GET", url: `https://unpod.ai/x/?${text}` },
        body: text,
      }),
    ];
    for (const e of errors) {
      expect(e.message).not.toContain(leaked);
      expect(e.stack).not.toContain(leaked);
      expect(JSON.stringify(e)).not.toContain(leaked);
      expect(JSON.stringify(e)).toContain("redacted");
    }
    const api = errors[2] as UnpodApiError;
    expect(api.url).not.toContain(leaked);
    expect(api.body).not.toContain(leaked);
  });

  it("keeps prose about tokens intact", () => {
    for (const text of [
      "Token has expired.",
      "Invalid token.",
      "Bearer token required",
      "token_expired",
    ]) {
      expect(new UnpodError("forbidden", text).message).toBe(text);
    }
  });

  it("keeps harmless query parameters", () => {
    const e = new UnpodApiError("not_found", "x", {
      status: 404,
      request: { method: "GET", url: "https://h/x/?access_token=abc&sid=S1&last_seq=4" },
    });
    expect(e.url).toBe("https://h/x/?access_token=[redacted]&sid=S1&last_seq=4");
  });

  it("toJSON has name, code, message and the public fields, and no cause", () => {
    const cause = new Error(`Token ${API_TOKEN}`);
    const e = new UnpodApiError("server_error", "boom", { status: 500, request, cause });
    const json = JSON.parse(JSON.stringify(e));
    expect(json).toEqual({
      name: "UnpodApiError",
      code: "server_error",
      message: "boom",
      status: 500,
      method: "GET",
      url: request.url,
      headers: {},
    });
    expect(JSON.stringify(e)).not.toContain(API_TOKEN);
  });
});
