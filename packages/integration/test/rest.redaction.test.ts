// The API token never shows in what the SDK produces. Every test file is scanned by
// setup.ts; this file produces one error of every kind and log lines of every level the
// client uses, checks that the scan had something to read, and that the scan itself
// would catch a leak.
import { inspect } from "node:util";
import type { DevServer } from "@unpod/dev-server";
import { afterAll, beforeAll, expect, test } from "vitest";
import { clientFor, recorded, rejection, renderings, startApi, UNKNOWN_TOKEN } from "./support.js";

let server: DevServer;
const P = "/api/v2/platform/";

beforeAll(async () => {
  server = await startApi();
});
afterAll(() => server.close());

test("every error code the client produces is free of the token", async () => {
  const c = clientFor(server);
  const token = server.credentials.apiToken;
  const space = (await c.spaces.list()).data[0]?.token as string;
  server.faults.set({ path: `${P}organizations/`, status: 403, times: 1 });
  server.faults.set({ path: `${P}agents/`, status: 429, retryAfter: 9, times: 1 });
  server.faults.set({ path: `${P}telephony/numbers/`, drop: true });
  server.faults.set({ path: `${P}telephony/providers/`, malformed: true, times: 1 });
  server.faults.set({ path: `${P}call-logs/`, status: 500 });
  server.faults.set({ path: `${P}telephony/provider-configurations/`, latency: 1000 });
  const errors = [
    await rejection(clientFor(server, { apiToken: UNKNOWN_TOKEN }).spaces.list()), // unauthorized
    await rejection(c.spaces.list(undefined, { headers: { Authorization: undefined } })),
    await rejection(clientFor(server, { orgHandle: undefined }).spaces.list()), // missing_header
    await rejection(c.organizations.list()), // forbidden
    await rejection(c.spaces.retrieve("NOPE")), // not_found
    await rejection(c.tasks.list("NOPE")), // business_error
    await rejection(c.agents.list(undefined, { maxRetries: 0 })), // rate_limited
    await rejection(c.telephony.numbers.list(undefined, { maxRetries: 1 })), // network_error
    await rejection(c.telephony.providers.list()), // http_error (malformed body)
    await rejection(c.callLogs.list(undefined, { maxRetries: 1 })), // server_error
    await rejection(c.telephony.providerConfigurations.list(undefined, { timeout: "100ms" })), // timeout
    await rejection(c.spaces.list(undefined, { signal: AbortSignal.abort() })), // aborted
    await rejection(c.request("GET", "x/", { headers: { "X-Bad": `Token ${token}\n` } })), // invalid_argument
  ];
  const codes = new Set(errors.map((e) => e.code));
  for (const code of [
    "unauthorized",
    "missing_header",
    "forbidden",
    "not_found",
    "business_error",
    "rate_limited",
    "network_error",
    "http_error",
    "server_error",
    "timeout",
    "aborted",
    "invalid_argument",
  ]) {
    expect(codes, code).toContain(code);
  }
  expect(space).toBeTruthy();
  for (const e of errors) expect(`${e.message} ${String(e.url)}`).not.toContain(token);
});

test("the scan reads real output, and would catch a planted token", () => {
  const token = server.credentials.apiToken;
  expect(recorded.errors.length).toBeGreaterThanOrEqual(12);
  expect(recorded.lines.filter((l) => l.startsWith("client debug")).length).toBeGreaterThan(10);
  expect(recorded.lines.some((l) => l.startsWith("client warn unpod.retry"))).toBe(true);
  // The detector works: a leak in a cause, a field or a message would be seen.
  const leaky = new Error("wrapped", { cause: { headers: { authorization: `Token ${token}` } } });
  expect(renderings(leaky).join("\n")).toContain(token);
  expect(inspect({ a: { b: { c: token } } }, { depth: 20 })).toContain(token);
});
