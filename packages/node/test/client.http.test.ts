// What goes on the wire and what comes back: headers, envelope unwrapping, and every
// non-success becoming a typed error — against a node:http server on 127.0.0.1.
import { describe, expect, test } from "vitest";
import { isUnpodApiError } from "../src/index.js";
import {
  client,
  fail,
  logLines,
  ok,
  rejection,
  scanForTokenAfterAll,
  scriptedServer,
  startServer,
  TOKEN,
} from "./clientHarness.js";

scanForTokenAfterAll();

const scripted = scriptedServer();
const { reply } = scripted;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe("request headers", () => {
  test("token, scope, SDK, request id; JSON content type on POST only", async () => {
    reply(ok([], { count: 0 }), ok({ run_id: "R1", task_ids: [], status: "pending" }));
    const c = client(scripted.server);
    await c.tasks.list("sp1");
    await c.tasks.create("sp1", { pilot: "a", documents: [{ name: "Ada" }] });
    const [get, post] = scripted.server.received;
    expect(get?.method).toBe("GET");
    expect(get?.url).toBe("/api/v2/platform/spaces/sp1/tasks/?page=1");
    expect(get?.headers).toMatchObject({
      authorization: `Token ${TOKEN}`,
      "org-handle": "acme",
      "product-id": "prod-1",
      "x-unpod-sdk": "node/0.1.0",
      accept: "application/json",
    });
    expect(get?.headers["content-type"]).toBeUndefined();
    expect(get?.headers["x-request-id"]).toMatch(UUID);
    expect(post?.headers["content-type"]).toBe("application/json");
    expect(post?.headers["x-request-id"]).toMatch(UUID);
    expect(post?.headers["x-request-id"]).not.toBe(get?.headers["x-request-id"]);
    expect(JSON.parse(post?.body ?? "")).toEqual({ pilot: "a", documents: [{ name: "Ada" }] });
  });

  test("a missing required Org-Handle / Product-ID fails before anything is sent", async () => {
    reply();
    const c = client(scripted.server, { orgHandle: undefined, productId: undefined });
    const e1 = await rejection(c.spaces.list());
    expect(e1).toMatchObject({
      name: "UnpodArgumentError",
      code: "missing_header",
      option: "orgHandle",
    });
    const e2 = await rejection(client(scripted.server, { productId: undefined }).callLogs.list());
    expect(e2).toMatchObject({ code: "missing_header", option: "productId" });
    const e3 = await rejection(c.spaces.retrieve("x"));
    expect(e3.code).toBe("missing_header");
    expect(scripted.server.received).toHaveLength(0);
  });

  test("per-call headers, orgHandle, productId and idempotencyKey override the client's", async () => {
    reply(ok([], { count: 0 }));
    const c = client(scripted.server, { headers: { "X-Team": "core", "X-Drop": "1" } });
    await c.spaces.list(undefined, {
      orgHandle: "other",
      headers: { "x-team": "edge", "X-Drop": undefined, "X-Request-Id": "trace-1" },
      idempotencyKey: "idem-1",
    });
    const h = scripted.server.received[0]?.headers;
    expect(h?.["org-handle"]).toBe("other");
    expect(h?.["x-team"]).toBe("edge");
    expect(h?.["x-drop"]).toBeUndefined();
    expect(h?.["x-request-id"]).toBe("trace-1");
    expect(h?.["idempotency-key"]).toBe("idem-1");
  });

  test("path segments and query values are encoded", async () => {
    reply(ok({}), ok([], { count: 0 }));
    const c = client(scripted.server);
    await c.spaces.retrieve("a b/c?d");
    await c.callLogs.list({
      callType: "inbound",
      startDate: new Date(Date.UTC(2025, 0, 2)),
      sort: "-start_time",
    });
    expect(scripted.server.received[0]?.url).toBe("/api/v2/platform/spaces/a%20b%2Fc%3Fd/");
    expect(scripted.server.received[1]?.url).toBe(
      "/api/v2/platform/call-logs/?call_type=inbound&start_date=2025-01-02T00%3A00%3A00.000Z&sort=-start_time&page=1",
    );
    const bad = await rejection(c.spaces.retrieve(".."));
    expect(bad.option).toBe("spaceToken");
  });
});

describe("envelope", () => {
  test("success unwraps data; 204 resolves undefined", async () => {
    reply(ok({ name: "S", token: "t" }), { status: 204 });
    const c = client(scripted.server);
    expect(await c.spaces.retrieve("t")).toEqual({ name: "S", token: "t" });
    expect(await c.telephony.bridges.delete("b1")).toBeUndefined();
  });

  test("request() escape hatch: any method, query, body, required headers", async () => {
    reply(ok({ id: 7 }, { status_code: 201 }));
    const c = client(scripted.server);
    const data = await c.request<{ id: number }>("post", "/telephony/bridges/", {
      query: { dry_run: true, skip: undefined },
      body: { name: "B" },
      require: ["productId"],
    });
    expect(data).toEqual({ id: 7 });
    expect(scripted.server.received[0]).toMatchObject({
      method: "POST",
      url: "/api/v2/platform/telephony/bridges/?dry_run=true",
      body: '{"name":"B"}',
    });
    const bad = await rejection(c.request("TRACE" as "GET", "x/"));
    expect(bad.option).toBe("method");
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    const body = await rejection(c.request("POST", "x/", { body: circular }));
    expect(body).toMatchObject({ name: "UnpodArgumentError", option: "body" });
    expect(body.cause).toBeInstanceOf(TypeError);
    expect(scripted.server.received).toHaveLength(1);
  });
});

describe("errors", () => {
  test.each<[number, string, string]>([
    [400, "Organization handle is required in Org-Handle header", "missing_header"],
    [400, "Invalid page.", "bad_request"],
    [401, "Authentication credentials were not provided.", "unauthorized"],
    [401, "Invalid token.", "unauthorized"],
    [403, "You do not have permission to perform this action.", "forbidden"],
    [403, "Token has expired.", "token_expired"],
    [404, "Space not found", "not_found"],
    [409, "Conflict", "bad_request"],
    [501, "Not implemented", "server_error"],
  ])(
    "HTTP %i %s → %s, with status, message, method, URL and request id",
    async (status, message, code) => {
      reply(fail(status, message));
      const c = client(scripted.server);
      const error = await rejection(c.spaces.retrieve("sp1"));
      expect(isUnpodApiError(error)).toBe(true);
      expect(error).toMatchObject({
        name: "UnpodApiError",
        code,
        status,
        message,
        method: "GET",
        url: `${scripted.server.baseUrl}spaces/sp1/`,
      });
      expect(error.requestId).toBe(scripted.server.received[0]?.headers["x-request-id"]);
      expect(scripted.server.received).toHaveLength(1);
    },
  );

  test("HTTP 206 is a business error carrying data and errors", async () => {
    const errors = { pilot: ['Agent "x" not found.'] };
    reply(fail(206, "There is some Validation error", { data: {}, errors }));
    const error = await rejection(
      client(scripted.server).tasks.create("sp1", { pilot: "x", documents: [] }),
    );
    expect(error).toMatchObject({
      code: "business_error",
      status: 206,
      data: {},
      errors,
      method: "POST",
    });
  });

  test("a 200 whose envelope reports an error is an error", async () => {
    reply({ status: 200, body: { status_code: 404, message: "Space not found" } });
    expect((await rejection(client(scripted.server).spaces.retrieve("x"))).code).toBe("not_found");
  });

  test("HTML, empty, truncated and non-envelope bodies become http errors, never crashes", async () => {
    const c = client(scripted.server, { maxRetries: 0 });
    reply({
      status: 404,
      body: "<html><h1>Not Found</h1></html>",
      headers: { "content-type": "text/html" },
    });
    const html = await rejection(c.spaces.retrieve("x"));
    expect(html).toMatchObject({ code: "not_found", status: 404 });
    expect(html.body).toContain("Not Found");
    reply({ status: 200, body: '{"status_code": 200, "data": [{"id": 1, "na' });
    const truncated = await rejection(c.spaces.retrieve("x"));
    expect(truncated).toMatchObject({ code: "http_error", status: 200 });
    expect(truncated.cause).toBeInstanceOf(SyntaxError);
    reply({ status: 200, body: [1, 2] });
    expect((await rejection(c.spaces.retrieve("x"))).code).toBe("http_error");
    reply({ status: 200, body: { status_code: 200, message: "Success", data: { not: "a list" } } });
    expect((await rejection(c.spaces.list())).code).toBe("http_error");
    reply({ status: 502, body: "" });
    expect(await rejection(c.spaces.retrieve("x"))).toMatchObject({
      code: "server_error",
      message: "HTTP 502",
    });
  });

  test("redirects are not followed (the token stays with baseUrl)", async () => {
    reply({ status: 302, headers: { location: "http://127.0.0.1:1/steal" } });
    const error = await rejection(client(scripted.server).spaces.retrieve("x"));
    expect(error).toMatchObject({ code: "http_error", status: 302 });
    expect(scripted.server.received).toHaveLength(1);
  });

  test("a refused connection is network_error with the runtime's error as cause", async () => {
    const dead = await startServer([ok(null)]);
    await dead.close();
    const error = await rejection(client(dead, { maxRetries: 0 }).spaces.retrieve("x"));
    expect(error).toMatchObject({ name: "UnpodConnectionError", code: "network_error" });
    expect(error.message).toContain("ECONNREFUSED");
    expect(error.cause).toBeInstanceOf(TypeError);
  });
});

describe("fetch option", () => {
  test("a custom fetch gets the URL and an init with every header, body and a signal", async () => {
    reply(ok({ id: 1 }));
    const calls: { url: string; init: RequestInit }[] = [];
    const c = client(scripted.server, {
      fetch: (input, init) => {
        calls.push({ url: String(input), init: init as RequestInit });
        return fetch(input, init);
      },
    });
    await c.telephony.bridges.create({ name: "B" });
    expect(calls).toHaveLength(1);
    expect(calls[0]?.url).toBe(`${scripted.server.baseUrl}telephony/bridges/`);
    const init = calls[0]?.init as RequestInit;
    expect(init.method).toBe("POST");
    expect(init.body).toBe('{"name":"B"}');
    expect(init.redirect).toBe("manual");
    expect(init.signal).toBeInstanceOf(AbortSignal);
    expect(init.headers).toMatchObject({ authorization: `Token ${TOKEN}`, "product-id": "prod-1" });
  });

  test("credential-named query parameters are redacted in error URLs", async () => {
    reply(fail(404, "nope"));
    const error = await rejection(
      client(scripted.server).request("GET", "x/", { query: { api_token: "hunter2", page: 2 } }),
    );
    expect(error.url).toBe(`${scripted.server.baseUrl}x/?api_token=[redacted]&page=2`);
    expect(scripted.server.received[0]?.url).toBe("/api/v2/platform/x/?api_token=hunter2&page=2");
  });
});

describe("logger", () => {
  test("debug lines per request and response, redacted and structured", async () => {
    reply(ok([], { count: 0 }));
    const before = logLines().length;
    await client(scripted.server).request("GET", "spaces/", {
      query: { token: "secret-value", q: "x" },
    });
    const lines = logLines().slice(before);
    expect(lines.map((l) => `${l.level} ${l.message}`)).toEqual([
      "debug unpod.request",
      "debug unpod.response",
    ]);
    expect(lines[1]?.fields).toMatchObject({ method: "GET", status: 200, attempt: 1 });
    expect(String(lines[0]?.fields.url)).toBe(
      `${scripted.server.baseUrl}spaces/?token=[redacted]&q=x`,
    );
    expect(JSON.stringify(lines)).not.toContain("secret-value");
  });

  test("a throwing logger does not break requests", async () => {
    reply(ok({ ok: true }));
    const boom = () => {
      throw new Error("logger down");
    };
    const c = client(scripted.server, { logger: { debug: boom, warn: boom } });
    expect(await c.spaces.retrieve("x")).toEqual({ ok: true });
  });
});
