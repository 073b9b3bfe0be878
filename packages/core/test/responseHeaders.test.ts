// What UnpodApiError keeps of the response's headers: every response header, names lower
// case, without cookies or echoed credentials, bounded, values scrubbed.
import { describe, expect, it } from "vitest";
import { errorFromResponse, UnpodApiError } from "../src/index.js";
import { keptHeaders, MAX_KEPT_HEADERS, MAX_SCRUBBED } from "../src/internal/index.js";

const request = { method: "GET", url: "https://unpod.ai/api/v2/platform/spaces/" };

describe("UnpodApiError.headers", () => {
  it("keeps the response's headers from a Headers object, without cookies", () => {
    const headers = new Headers({
      "Content-Type": "application/json",
      "Retry-After": "3",
      "X-RateLimit-Remaining": "0",
      "Set-Cookie": "sessionid=s3cr3t; HttpOnly",
      "CF-Ray": "8a1b2c3d4e5f-AMS",
    });
    const error = errorFromResponse({
      status: 429,
      body: '{"status_code":429,"message":"Request was throttled."}',
      request,
      headers,
    }) as UnpodApiError;
    expect(error.retryAfter).toBe(3);
    expect(error.headers).toEqual({
      "cf-ray": "8a1b2c3d4e5f-AMS",
      "content-type": "application/json",
      "retry-after": "3",
      "x-ratelimit-remaining": "0",
    });
    expect(JSON.stringify(error)).toContain('"x-ratelimit-remaining":"0"');
    expect(JSON.stringify(error)).not.toContain("s3cr3t");
  });

  it("is empty without a response, or with a reader that cannot list its headers", () => {
    expect(new UnpodApiError("http_error", "m", { status: 0, request }).headers).toEqual({});
    const getOnly = { get: (name: string) => (name === "retry-after" ? "2" : null) };
    const error = errorFromResponse({ status: 503, body: "", request, headers: getOnly });
    expect(error?.retryAfter).toBe(2);
    expect(error?.headers).toEqual({});
  });

  it("takes a plain object too, and drops credentials a proxy might echo", () => {
    const error = new UnpodApiError("server_error", "m", {
      status: 502,
      request,
      headers: {
        "X-Trace": "abc",
        Authorization: "Token f00dfeedf00dfeedf00dfeedf00dfeedf00dfeed",
        Cookie: "a=b",
        "Proxy-Authorization": "Basic xyz",
        "Set-Cookie2": "x=y",
      },
    });
    expect(error.headers).toEqual({ "x-trace": "abc" });
  });
});

describe("keptHeaders", () => {
  it("keeps at most MAX_KEPT_HEADERS, clips long values and scrubs credentials", () => {
    const many: Record<string, string> = {};
    for (let i = 0; i < MAX_KEPT_HEADERS + 10; i++) many[`x-h${String(i).padStart(3, "0")}`] = "v";
    expect(Object.keys(keptHeaders(many))).toHaveLength(MAX_KEPT_HEADERS);
    const kept = keptHeaders({
      "x-long": "a ".repeat(20_000),
      "x-debug": "sent Token f00dfeedf00dfeedf00dfeedf00dfeedf00dfeed upstream",
    });
    expect(kept["x-long"]?.length).toBeLessThanOrEqual(MAX_SCRUBBED);
    expect(kept["x-debug"]).toBe("sent Token [redacted] upstream");
  });

  it("a header named __proto__ stays a plain key; non-strings are skipped", () => {
    const kept = keptHeaders(
      new Map<string, unknown>([
        ["__proto__", "x"],
        ["x-n", 1],
      ]),
    );
    expect(Object.getPrototypeOf(kept)).toBe(Object.prototype);
    expect(Object.keys(kept)).toEqual(["__proto__"]);
    expect(keptHeaders(null)).toEqual({});
    expect(keptHeaders("x")).toEqual({});
  });
});
