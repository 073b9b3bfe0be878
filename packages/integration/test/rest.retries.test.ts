// The retry rules against the dev server's fault injection, counted in server.requests.
import type { DevServer } from "@unpod/dev-server";
import type { UnpodClient } from "@unpod/node";
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import { clientFor, hits, recorded, rejection, startApi } from "./support.js";

let server: DevServer;
let client: UnpodClient;
let space = "";
let agent = "";
const P = "/api/v2/platform/";

beforeAll(async () => {
  server = await startApi();
  client = clientFor(server);
  space = (await client.spaces.list()).data[0]?.token as string;
  agent = (await client.agents.list()).data[0]?.handle as string;
});
afterEach(() => server.faults.clear());
afterAll(() => server.close());

describe("counted on the server", () => {
  test("a POST after a 503 is sent exactly once", async () => {
    server.faults.set({ method: "POST", path: `${P}spaces/*/tasks/`, status: 503, times: 1 });
    const from = server.requests.length;
    const error = await rejection(
      client.tasks.create(space, { pilot: agent, documents: [{ name: "A" }] }),
    );
    expect(error).toMatchObject({ code: "server_error", status: 503 });
    expect(hits(server, `spaces/${space}/tasks/`, "POST", from)).toBe(1);
  });

  test("the same POST with an idempotency key is retried and succeeds: two requests", async () => {
    server.faults.set({ method: "POST", path: `${P}spaces/*/tasks/`, status: 503, times: 1 });
    const from = server.requests.length;
    const run = await client.tasks.create(
      space,
      { pilot: agent, documents: [{ name: "A" }] },
      { idempotencyKey: "create-A-1" },
    );
    expect(run.status).toBe("pending");
    expect(hits(server, `spaces/${space}/tasks/`, "POST", from)).toBe(2);
  });

  test("a GET after two 503s and a 200 succeeds with exactly three requests", async () => {
    server.faults.set({ method: "GET", path: `${P}spaces/`, status: 503, times: 2 });
    const from = server.requests.length;
    const page = await client.spaces.list();
    expect(page.data.length).toBeGreaterThan(0);
    expect(server.requests.slice(from).map((r) => r.status)).toEqual([503, 503, 200]);
  });

  test("a dropped connection: GET retried, POST not", async () => {
    server.faults.set({ method: "GET", path: `${P}agents/`, drop: true, times: 1 });
    let from = server.requests.length;
    expect((await client.agents.list()).data.length).toBeGreaterThan(0);
    expect(hits(server, "agents/", "GET", from)).toBe(2);
    server.faults.set({ method: "POST", path: `${P}spaces/*/tasks/`, drop: true, times: 1 });
    from = server.requests.length;
    const error = await rejection(client.tasks.create(space, { pilot: agent, documents: [{}] }));
    expect(error).toMatchObject({ name: "UnpodConnectionError", code: "network_error" });
    expect(hits(server, `spaces/${space}/tasks/`, "POST", from)).toBe(1);
  });

  test("a malformed 200 body is an http_error, not retried", async () => {
    server.faults.set({ method: "GET", path: `${P}telephony/numbers/`, malformed: true, times: 1 });
    const from = server.requests.length;
    const error = await rejection(client.telephony.numbers.list());
    expect(error).toMatchObject({ code: "http_error", status: 200 });
    expect(hits(server, "telephony/numbers/", "GET", from)).toBe(1);
  });

  test("429 with Retry-After: 1 — the retry waits a second, then succeeds", async () => {
    server.faults.set({
      method: "GET",
      path: `${P}organizations/`,
      status: 429,
      retryAfter: 1,
      times: 1,
    });
    const from = server.requests.length;
    const started = Date.now();
    await client.organizations.list();
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(server.requests.slice(from).map((r) => r.status)).toEqual([429, 200]);
    expect(
      recorded.lines.some((l) => l.includes("unpod.retry") && l.includes('"delayMs":1000')),
    ).toBe(true);
  });

  test("an abort during the backoff sleep ends the call at once", async () => {
    server.faults.set({
      method: "GET",
      path: `${P}spaces/`,
      status: 503,
      retryAfter: 30,
      times: 1,
    });
    const from = server.requests.length;
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 200);
    const started = Date.now();
    const error = await rejection(client.spaces.list(undefined, { signal: controller.signal }));
    expect(error.code).toBe("aborted");
    expect(Date.now() - started).toBeLessThan(1500);
    expect(hits(server, "spaces/", "GET", from)).toBe(1);
  });

  test("the total deadline ends a slow retry sequence with a timeout", async () => {
    server.faults.set({ method: "GET", path: `${P}call-logs/`, status: 502, times: 1 });
    server.faults.set({ method: "GET", path: `${P}call-logs/`, latency: 3000, times: 1 });
    const started = Date.now();
    const error = await rejection(clientFor(server, { totalTimeout: "500ms" }).callLogs.list());
    const elapsed = Date.now() - started;
    expect(error).toMatchObject({ code: "timeout" });
    expect(elapsed).toBeGreaterThanOrEqual(450);
    expect(elapsed).toBeLessThan(2000);
  });

  test("a per-attempt timeout is not retried", async () => {
    server.faults.set({ method: "GET", path: `${P}telephony/providers/`, latency: 1000, times: 1 });
    const started = Date.now();
    const error = await rejection(client.telephony.providers.list(undefined, { timeout: "200ms" }));
    expect(error.code).toBe("timeout");
    expect(Date.now() - started).toBeLessThan(900);
    // The slow attempt is logged when answered; a retry (instant) would be logged too.
    await new Promise((r) => setTimeout(r, 1000));
    expect(server.requests.filter((r) => r.path === `${P}telephony/providers/`)).toHaveLength(1);
  });
});
