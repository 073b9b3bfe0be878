import { describe, expect, it } from "vitest";
import {
  type ApiErrorCode,
  errorFromResponse,
  type ResponseInfo,
  UnpodApiError,
} from "../src/index.js";
import {
  errorFromStatus,
  MAX_ERROR_BODY,
  MAX_RETRY_AFTER,
  parseRetryAfter,
} from "../src/internal/index.js";
import { API_TOKEN } from "./helpers.js";

const request = {
  method: "GET",
  url: "https://unpod.ai/api/v2/platform/spaces/",
  requestId: "r-1",
};
const env = (status_code: number, message: string, extra: object = {}) =>
  JSON.stringify({ status_code, message, ...extra });
const answer = (status: number, body: unknown, more: Partial<ResponseInfo> = {}) =>
  errorFromResponse({ status, body, request, ...more });

describe("errorFromResponse: status → code", () => {
  it.each<[number, string, ApiErrorCode]>([
    [400, "Bad request.", "bad_request"],
    [400, "Org-Handle header is required.", "missing_header"],
    [400, "Organization handle is required in Org-Handle header", "missing_header"],
    [400, "Product-ID header is required.", "missing_header"],
    [401, "Authentication credentials were not provided.", "unauthorized"],
    [401, "Invalid token.", "unauthorized"],
    [403, "Token has expired.", "token_expired"],
    [403, "Permission denied.", "forbidden"],
    [403, "You do not have access to this space.", "forbidden"],
    [404, "Space not found", "not_found"],
    [405, "Method not allowed.", "bad_request"],
    [409, "Conflict.", "bad_request"],
    [413, "Too large.", "bad_request"],
    [422, "Unprocessable.", "bad_request"],
    [429, "Too many requests.", "rate_limited"],
    [206, "Invalid Space Token", "business_error"],
    [500, "Internal error.", "server_error"],
    [502, "Bad gateway.", "server_error"],
    [503, "Unavailable.", "server_error"],
    [504, "Timeout.", "server_error"],
    [302, "Found.", "http_error"],
    [304, "Not modified.", "http_error"],
  ])("%i %j → %s", (status, message, code) => {
    const e = answer(status, env(status, message));
    expect(e).toBeInstanceOf(UnpodApiError);
    expect(e?.code).toBe(code);
    expect(e?.status).toBe(status);
    expect(e?.message).toBe(message);
    expect([e?.method, e?.url, e?.requestId]).toEqual([request.method, request.url, "r-1"]);
  });

  it.each([200, 201, 204])("%i with a success envelope is not an error", (status) => {
    expect(answer(status, env(status, "Success", { data: [] }))).toBeUndefined();
    expect(answer(status, "")).toBeUndefined();
    expect(answer(status, { status_code: status, message: "Success" })).toBeUndefined();
  });

  it("a 206 is an error even when its envelope claims success", () => {
    expect(answer(206, env(200, "Success"))?.code).toBe("business_error");
  });

  it("a 206 keeps the envelope's data and field errors", () => {
    const e = answer(
      206,
      env(206, "Task creation failed", { data: { pilot: "x" }, errors: { pilot: ["unknown"] } }),
    );
    expect(e).toMatchObject({
      code: "business_error",
      message: "Task creation failed",
      data: { pilot: "x" },
      errors: { pilot: ["unknown"] },
      body: undefined,
    });
  });
});

describe("errorFromResponse: a 2xx whose envelope says otherwise", () => {
  it.each<[number, ApiErrorCode]>([
    [400, "bad_request"],
    [206, "business_error"],
    [404, "not_found"],
    [500, "server_error"],
  ])("200 carrying status_code %i → %s", (code, expected) => {
    const e = answer(200, env(code, code === 206 ? "Invalid Space Token" : "No."));
    expect(e?.code).toBe(expected);
    expect(e?.status).toBe(code);
  });

  it("200 whose envelope says 400 about a header → missing_header", () => {
    expect(answer(200, env(400, "Org-Handle header is required."))?.code).toBe("missing_header");
  });

  it.each([
    ["a success status_code", env(201, "Created")],
    ["a 3xx status_code", env(302, "x")],
    ["a status_code out of range", env(999, "x")],
    ["a status_code as a string", JSON.stringify({ status_code: "400", message: "x" })],
    ["no envelope", JSON.stringify({ id: 1 })],
    ["a JSON array", "[1,2]"],
    ["HTML", "<html>ok</html>"],
  ])("200 with %s is a success", (_, body) => {
    expect(answer(200, body)).toBeUndefined();
  });
});

describe("errorFromResponse: bodies that are not an envelope", () => {
  it("an empty body", () => {
    const e = answer(500, "");
    expect(e).toMatchObject({ code: "server_error", message: "HTTP 500", body: undefined });
  });

  it("no body at all (undefined / null)", () => {
    expect(answer(404, undefined)?.message).toBe("HTTP 404");
    expect(answer(404, null)?.code).toBe("not_found");
  });

  it("an HTML error page", () => {
    const html = "<!doctype html><html><body><h1>502 Bad Gateway</h1></body></html>";
    const e = answer(502, html);
    expect(e?.code).toBe("server_error");
    expect(e?.message).toBe(`HTTP 502: ${html}`);
    expect(e?.body).toBe(html);
  });

  it("truncated JSON", () => {
    const body = '{"status_code":400,"message":"Org-Handle header is requ';
    const e = answer(400, body);
    expect(e?.code).toBe("bad_request");
    expect(e?.body).toBe(body);
    expect(e?.message.startsWith("HTTP 400: ")).toBe(true);
  });

  it("only the platform's message classifies a 400: an HTML page about headers is bad_request", () => {
    const html = "<html><h1>400 Request Header Or Cookie Too Large</h1></html>";
    expect(answer(400, html)?.code).toBe("bad_request");
  });

  it("a huge body is not parsed and only its start is kept", () => {
    const huge = `{"status_code":500,"message":"${"x".repeat(MAX_ERROR_BODY)}"}`;
    const e = answer(500, huge);
    expect(e?.code).toBe("server_error");
    expect(e?.body?.length).toBe(2048);
    expect(e?.message.length).toBeLessThan(300);
    expect(JSON.stringify(e).length).toBeLessThan(3000);
  });

  it("a huge message inside an envelope is capped", () => {
    const e = answer(400, env(400, "y".repeat(10_000)));
    expect(e?.message.length).toBe(2048);
  });

  it("a 10 MB body is handled quickly", () => {
    const start = performance.now();
    const e = answer(500, "z".repeat(10_000_000));
    expect(e?.body?.length).toBe(2048);
    expect(performance.now() - start).toBeLessThan(1000);
  });

  it("Django REST Framework's {detail} is used as the message and the body is kept", () => {
    const body = '{"detail":"Authentication credentials were not provided."}';
    const e = answer(401, body);
    expect(e?.message).toBe("Authentication credentials were not provided.");
    expect(e?.body).toBe(body);
  });

  it("accepts an already-parsed body", () => {
    const e = answer(404, { status_code: 404, message: "Agent not found" });
    expect([e?.code, e?.message]).toEqual(["not_found", "Agent not found"]);
  });

  it("a non-string message falls back to the status", () => {
    expect(answer(400, { status_code: 400, message: 42 })?.message).toBe("HTTP 400");
  });

  it("never keeps a credential the server echoed", () => {
    const body = `<pre>Authorization: Token ${API_TOKEN}</pre>`;
    const e = answer(500, body, {
      request: { method: "GET", url: `https://h/v1/rtc/validate?access_token=${API_TOKEN}` },
    });
    expect(JSON.stringify(e)).not.toContain(API_TOKEN);
    expect(e?.message).not.toContain(API_TOKEN);
    expect(e?.body).not.toContain(API_TOKEN);
    expect(e?.url).not.toContain(API_TOKEN);
  });
});

describe("Retry-After", () => {
  const now = Date.UTC(2025, 0, 1, 12, 0, 0);
  const h = (value: string) => new Headers({ "Retry-After": value });

  it("seconds", () => {
    expect(answer(429, env(429, "Too many requests."), { headers: h("120") })?.retryAfter).toBe(
      120,
    );
  });

  it("an HTTP date, against the injected clock", () => {
    const at = new Date(now + 90_000).toUTCString();
    expect(answer(429, "", { headers: h(at), now })?.retryAfter).toBe(90);
  });

  it("is capped", () => {
    expect(answer(429, "", { headers: h("999999") })?.retryAfter).toBe(MAX_RETRY_AFTER);
    const far = new Date(now + 86_400_000).toUTCString();
    expect(answer(503, "", { headers: h(far), now })?.retryAfter).toBe(MAX_RETRY_AFTER);
  });

  it("is read on 503 too, and not on other statuses", () => {
    expect(answer(503, "", { headers: h("5") })?.retryAfter).toBe(5);
    expect(answer(500, "", { headers: h("5") })?.retryAfter).toBeUndefined();
    expect(answer(429, "")?.retryAfter).toBeUndefined();
  });

  it.each<[string | null | undefined, number | undefined]>([
    ["0", 0],
    ["1.2", 2],
    [" 30 ", 30],
    ["", undefined],
    [null, undefined],
    [undefined, undefined],
    ["soon", undefined],
    ["-5", undefined],
    [new Date(now - 60_000).toUTCString(), 0],
    [new Date(now + 1500).toUTCString(), 1],
  ])("parseRetryAfter(%j) → %j", (value, expected) => {
    expect(parseRetryAfter(value, now)).toBe(expected);
  });
});

describe("errorFromStatus (the small variant for validate and token endpoints)", () => {
  const url = "https://rtc.example.com/v1/rtc/validate?access_token=eyJhbGciOiJIUzI1NiJ9.e30.x";
  const request = { method: "GET", url };
  const get = (status: number, body: string, retryAfter?: string) =>
    errorFromStatus({
      status,
      body,
      request,
      ...(retryAfter !== undefined && { headers: new Headers({ "Retry-After": retryAfter }) }),
    });

  it.each([200, 201, 204])("%i is a success, whatever the body", (status) => {
    expect(get(status, "")).toBeUndefined();
    expect(get(status, env(500, "No."))).toBeUndefined();
  });

  it.each<[number, string, ApiErrorCode]>([
    [206, "Invalid Space Token", "business_error"],
    [302, "Found.", "http_error"],
    [400, "Malformed request.", "bad_request"],
    [400, "Org-Handle header is required.", "missing_header"],
    [401, "Invalid token.", "unauthorized"],
    [403, "Token has expired.", "token_expired"],
    [403, "Permission denied.", "forbidden"],
    [404, "Session not found.", "not_found"],
    [429, "Too many requests.", "rate_limited"],
    [503, "Unavailable.", "server_error"],
  ])("%i %j → %s, as errorFromResponse says", (status, message, code) => {
    const e = get(status, env(status, message));
    expect(e).toBeInstanceOf(UnpodApiError);
    expect(e).toMatchObject({ code, status, message, method: "GET", body: undefined });
    expect(e?.code).toBe(answer(status, env(status, message))?.code);
  });

  it("keeps a body without a message, capped, as the message's tail and as body", () => {
    const html = "<html><h1>502 Bad Gateway</h1></html>";
    expect(get(502, html)).toMatchObject({
      code: "server_error",
      message: `HTTP 502: ${html}`,
      body: html,
    });
    expect(get(500, "")).toMatchObject({ message: "HTTP 500", body: undefined });
    expect(get(500, "z".repeat(100_000))?.body?.length).toBe(2048);
  });

  it("takes DRF's detail as the message", () => {
    expect(get(401, '{"detail":"Login required."}')?.message).toBe("Login required.");
  });

  it("reads Retry-After on 429 and 503 only (seconds or an HTTP date)", () => {
    expect(get(429, "", "3")?.retryAfter).toBe(3);
    expect(get(503, "", "7")?.retryAfter).toBe(7);
    expect(get(500, "", "7")?.retryAfter).toBeUndefined();
    const at = new Date(Date.now() + 60_000).toUTCString();
    expect(get(429, "", at)?.retryAfter).toBeGreaterThan(50);
  });

  it("never keeps the token from the URL", () => {
    const e = get(401, env(401, "Invalid token."));
    expect(JSON.stringify(e)).not.toContain("eyJ");
  });
});
