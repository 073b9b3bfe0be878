// The retry rules, counted on the server: what is retried, how often, how long the
// client waits, and what stops it (caller abort, timeouts, the total deadline).
import { afterEach, describe, expect, test } from "vitest";
import {
  client,
  fail,
  logLines,
  ok,
  type Reply,
  rejection,
  scanForTokenAfterAll,
  startServer,
  type TestServer,
} from "./clientHarness.js";

scanForTokenAfterAll();

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});
async function serve(replies: Reply[]): Promise<TestServer> {
  server = await startServer(replies);
  return server;
}
const unavailable = (headers: Record<string, string> = {}): Reply => ({
  ...fail(503, "Service temporarily unavailable, try again later."),
  headers,
});

describe("what is retried", () => {
  test("a POST after a 503 is sent exactly once, and no retry is logged", async () => {
    const s = await serve([unavailable(), ok({ run_id: "R" })]);
    const before = logLines().length;
    const error = await rejection(client(s).tasks.create("sp", { pilot: "p", documents: [{}] }));
    expect(error).toMatchObject({ code: "server_error", status: 503 });
    expect(s.received).toHaveLength(1);
    // ky asks shouldRetry (where the retry is logged) only for a method it may retry.
    expect(
      logLines()
        .slice(before)
        .filter((l) => l.message === "unpod.retry"),
    ).toEqual([]);
  });

  test("a PATCH after a network error is sent exactly once", async () => {
    const s = await serve([{ reset: true }, ok({})]);
    const error = await rejection(client(s).telephony.bridges.update("b", { name: "x" }));
    expect(error.code).toBe("network_error");
    expect(s.received).toHaveLength(1);
  });

  test("a POST with an idempotency key is retried, with the same key and request id", async () => {
    const s = await serve([unavailable(), ok({ run_id: "R" })]);
    const result = await client(s).tasks.create(
      "sp",
      { pilot: "p", documents: [{}] },
      { idempotencyKey: "run-42" },
    );
    expect(result).toEqual({ run_id: "R" });
    expect(s.received).toHaveLength(2);
    const [a, b] = s.received;
    expect(a?.headers["idempotency-key"]).toBe("run-42");
    expect(b?.headers["idempotency-key"]).toBe("run-42");
    expect(b?.headers["x-request-id"]).toBe(a?.headers["x-request-id"]);
    expect(b?.body).toBe(a?.body);
  });

  test("a GET after two 503s and a 200 succeeds with exactly three requests", async () => {
    const s = await serve([unavailable(), unavailable(), ok([{ id: 1 }], { count: 1 })]);
    const before = logLines().filter((l) => l.message === "unpod.retry").length;
    const page = await client(s).spaces.list();
    expect(page.data).toEqual([{ id: 1 }]);
    expect(s.received).toHaveLength(3);
    const retries = logLines()
      .filter((l) => l.message === "unpod.retry")
      .slice(before);
    expect(retries).toHaveLength(2);
    expect(retries[0]?.fields).toMatchObject({
      method: "GET",
      status: 503,
      attempt: 1,
      code: "server_error",
    });
  });

  test("retries stop at maxRetries (client and per call)", async () => {
    const s = await serve([unavailable()]);
    const before = logLines().length;
    expect((await rejection(client(s).spaces.list())).status).toBe(503);
    expect(s.received).toHaveLength(3);
    // …and only the retries made are logged (ky checks its limit before shouldRetry).
    expect(
      logLines()
        .slice(before)
        .filter((l) => l.message === "unpod.retry"),
    ).toHaveLength(2);
    s.received.length = 0;
    await rejection(client(s, { maxRetries: 5 }).spaces.list(undefined, { maxRetries: 0 }));
    expect(s.received).toHaveLength(1);
  });

  test("GET, PUT, DELETE are retried on network errors, 429 and 5xx", async () => {
    const s = await serve([{ reset: true }, fail(500, "x"), fail(502, "x"), { status: 204 }]);
    const c = client(s, { maxRetries: 3 });
    await c.telephony.bridges.delete("b1");
    expect(s.received.map((r) => r.method)).toEqual(["DELETE", "DELETE", "DELETE", "DELETE"]);
    const s2 = await serve([
      { ...fail(429, "slow down"), headers: { "retry-after": "0" } },
      ok({ v: 1 }),
    ]);
    expect(await client(s2).request("PUT", "things/1/", { body: { v: 1 } })).toEqual({ v: 1 });
    expect(s2.received).toHaveLength(2);
    await s.close();
  });

  test("a connection lost mid-body: GET retried, POST not", async () => {
    const s = await serve([{ cut: '{"status_code": 200, "data": [' }, ok({ id: 1 })]);
    expect(await client(s).spaces.retrieve("x")).toEqual({ id: 1 });
    expect(s.received).toHaveLength(2);
    const s2 = await serve([{ cut: '{"status_code": 200, "data": [' }, ok({ run_id: "R" })]);
    const error = await rejection(client(s2).tasks.create("sp", { pilot: "p", documents: [{}] }));
    expect(error).toMatchObject({ name: "UnpodConnectionError", code: "network_error" });
    expect(s2.received).toHaveLength(1);
    await s.close();
  });

  test.each([400, 401, 403, 404, 206, 501])("HTTP %i is never retried", async (status) => {
    const s = await serve([fail(status, "no"), ok({})]);
    await rejection(client(s).spaces.retrieve("x"));
    expect(s.received).toHaveLength(1);
  });
});

describe("how long it waits", () => {
  test("Retry-After is honoured", async () => {
    const s = await serve([
      { ...fail(429, "Request was throttled."), headers: { "retry-after": "1" } },
      ok({}),
    ]);
    await client(s).spaces.retrieve("x");
    const [a, b] = s.received;
    expect(s.received).toHaveLength(2);
    expect((b?.at ?? 0) - (a?.at ?? 0)).toBeGreaterThanOrEqual(950);
  });

  test("a Retry-After above the cap ends the call at once with the server's error", async () => {
    const s = await serve([
      { ...fail(429, "Request was throttled."), headers: { "retry-after": "30" } },
      ok({}),
    ]);
    const before = logLines().length;
    const started = Date.now();
    const error = await rejection(
      client(s, { retry: { maxRetryAfter: "2s" } }).spaces.retrieve("x"),
    );
    expect(Date.now() - started).toBeLessThan(1000);
    expect(error).toMatchObject({ code: "rate_limited", retryAfter: 30 });
    expect(s.received).toHaveLength(1);
    const warned = logLines()
      .slice(before)
      .find((l) => l.message === "unpod.retry_after_too_long");
    expect(warned?.fields).toMatchObject({ retryAfterMs: 30_000, maxRetryAfterMs: 2000 });
  });

  test("backoff without Retry-After stays within the configured ceiling", async () => {
    const s = await serve([unavailable(), unavailable(), ok({})]);
    const started = Date.now();
    await client(s, { retry: { initialDelay: "100ms", maxDelay: "150ms" } }).spaces.retrieve("x");
    // Full jitter: waits are in [0, 100] and [0, 150] ms.
    expect(Date.now() - started).toBeLessThan(250 + 200);
    expect(s.received).toHaveLength(3);
  });
});

describe("what stops it", () => {
  test("an attempt that times out is not retried", async () => {
    const s = await serve([{ stall: true }, ok({})]);
    const started = Date.now();
    const error = await rejection(client(s, { timeout: "200ms" }).spaces.retrieve("x"));
    expect(error).toMatchObject({ name: "UnpodConnectionError", code: "timeout" });
    expect(error.message).toContain("timeout of 200 ms");
    expect(Date.now() - started).toBeLessThan(1000);
    expect(s.received).toHaveLength(1);
  });

  test("a body that stalls after the headers times out within the same attempt budget", async () => {
    const s = await serve([{ partial: '{"status_code": 200, "data": [' }, ok({})]);
    const started = Date.now();
    const error = await rejection(client(s, { timeout: "300ms" }).spaces.retrieve("x"));
    expect(error).toMatchObject({ code: "timeout" });
    expect(Date.now() - started).toBeLessThan(1000);
    expect(s.received).toHaveLength(1);
  });

  test("the caller's abort while the body is streaming ends the call", async () => {
    const s = await serve([{ partial: '{"status_code": 200, "data": [' }]);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 150);
    const error = await rejection(client(s).spaces.retrieve("x", { signal: controller.signal }));
    expect(error.code).toBe("aborted");
  });

  test("per-call timeout overrides the client's", async () => {
    const s = await serve([{ stall: true }]);
    const started = Date.now();
    const error = await rejection(
      client(s, { timeout: 30 }).spaces.retrieve("x", { timeout: 0.15 }),
    );
    expect(error.code).toBe("timeout");
    expect(Date.now() - started).toBeLessThan(1000);
  });

  test("the caller's abort during a request ends it, keeps the reason as cause, no retry", async () => {
    const s = await serve([{ stall: true }, ok({})]);
    const controller = new AbortController();
    const reason = new Error("user navigated away");
    setTimeout(() => controller.abort(reason), 100);
    const error = await rejection(client(s).spaces.retrieve("x", { signal: controller.signal }));
    expect(error).toMatchObject({ code: "aborted" });
    expect(error.cause).toBe(reason);
    expect(s.received).toHaveLength(1);
  });

  test("an abort during the backoff sleep ends it at once", async () => {
    const s = await serve([{ ...unavailable(), headers: { "retry-after": "10" } }, ok({})]);
    const controller = new AbortController();
    const started = Date.now();
    setTimeout(() => controller.abort(), 150);
    const error = await rejection(client(s).spaces.retrieve("x", { signal: controller.signal }));
    expect(error.code).toBe("aborted");
    expect(Date.now() - started).toBeLessThan(1000);
    expect(s.received).toHaveLength(1);
  });

  test("an already-aborted signal sends nothing", async () => {
    const s = await serve([ok({})]);
    const error = await rejection(client(s).spaces.retrieve("x", { signal: AbortSignal.abort() }));
    expect(error.code).toBe("aborted");
    expect(s.received).toHaveLength(0);
  });

  test("the total deadline bounds attempts and sleeps together", async () => {
    // 503 then a stall: the second attempt only gets what is left of the 400 ms.
    const s = await serve([unavailable(), { stall: true }]);
    const started = Date.now();
    const error = await rejection(
      client(s, { timeout: 30, totalTimeout: "400ms", maxRetries: 5 }).spaces.retrieve("x"),
    );
    const elapsed = Date.now() - started;
    expect(error.code).toBe("timeout");
    expect(error.message).toContain("total timeout of 400 ms");
    expect(elapsed).toBeGreaterThanOrEqual(350);
    expect(elapsed).toBeLessThan(1500);
    expect(s.received).toHaveLength(2);
  });

  test("a Retry-After beyond the deadline returns the server's error without sleeping", async () => {
    const s = await serve([{ ...unavailable(), headers: { "retry-after": "5" } }, ok({})]);
    const started = Date.now();
    const error = await rejection(client(s, { totalTimeout: "1s" }).spaces.retrieve("x"));
    expect(error).toMatchObject({ code: "server_error", retryAfter: 5 });
    expect(Date.now() - started).toBeLessThan(500);
    expect(s.received).toHaveLength(1);
  });
});
