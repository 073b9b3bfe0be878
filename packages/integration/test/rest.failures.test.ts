// Every documented failure, for every endpoint: missing Org-Handle (400), missing or
// unknown token (401), forbidden / expired (403, by fault rule: the REST side of the dev
// server has no natural 403), business errors (206), not found (404), rate limited (429).
import type { DevServer } from "@unpod/dev-server";
import { isUnpodApiError, type RequestOptions, type UnpodClient } from "@unpod/node";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { clientFor, rejection, startApi, UNKNOWN_TOKEN } from "./support.js";

let server: DevServer;
let client: UnpodClient;
const ids = { space: "", agent: "", bridge: "", config: 0, provider: 0, number: 0, run: "" };

beforeAll(async () => {
  server = await startApi();
  client = clientFor(server);
  ids.space = (await client.spaces.list()).data[0]?.token as string;
  ids.agent = (await client.agents.list()).data[0]?.handle as string;
  ids.bridge = (await client.telephony.bridges.list()).data[0]?.slug as string;
  ids.config = (await client.telephony.providerConfigurations.list()).data[0]?.id as number;
  ids.provider = (await client.telephony.providers.list()).data[0]?.id as number;
  ids.number = (await client.telephony.numbers.list()).data[0]?.id as number;
  ids.run = (await client.runs.list(ids.space)).data[0]?.run_id as string;
});
afterAll(() => server.close());

interface Endpoint {
  name: string;
  /** Path (relative to apiUrl) as the dev server logs it. */
  path: () => string;
  method: "GET" | "POST" | "PATCH" | "DELETE";
  org: boolean;
  product: boolean;
  /** Calls the endpoint, passing `o` as the method's per-call options. */
  call: (c: UnpodClient, o?: RequestOptions) => PromiseLike<unknown>;
}

// The reference table, row by row. Writes that would change fixtures use bodies the
// server refuses after authentication, so the table can run in any order.
const ENDPOINTS: Endpoint[] = [
  {
    name: "organizations.list",
    method: "GET",
    path: () => "organizations/",
    org: false,
    product: false,
    call: (c, o) => c.organizations.list(undefined, o),
  },
  {
    name: "spaces.list",
    method: "GET",
    path: () => "spaces/",
    org: true,
    product: false,
    call: (c, o) => c.spaces.list(undefined, o),
  },
  {
    name: "spaces.retrieve",
    method: "GET",
    path: () => `spaces/${ids.space}/`,
    org: true,
    product: false,
    call: (c, o) => c.spaces.retrieve(ids.space, o),
  },
  {
    name: "tasks.list",
    method: "GET",
    path: () => `spaces/${ids.space}/tasks/`,
    org: true,
    product: false,
    call: (c, o) => c.tasks.list(ids.space, undefined, o),
  },
  {
    name: "tasks.create",
    method: "POST",
    path: () => `spaces/${ids.space}/tasks/`,
    org: true,
    product: false,
    call: (c, o) => c.tasks.create(ids.space, { pilot: ids.agent, documents: [{ name: "A" }] }, o),
  },
  {
    name: "runs.list",
    method: "GET",
    path: () => `spaces/${ids.space}/runs/`,
    org: false,
    product: false,
    call: (c, o) => c.runs.list(ids.space, undefined, o),
  },
  {
    name: "runs.listTasks",
    method: "GET",
    path: () => `spaces/${ids.space}/runs/${ids.run}/tasks/`,
    org: false,
    product: false,
    call: (c, o) => c.runs.listTasks(ids.space, ids.run, undefined, o),
  },
  {
    name: "agents.list",
    method: "GET",
    path: () => "agents/",
    org: true,
    product: false,
    call: (c, o) => c.agents.list(undefined, o),
  },
  {
    name: "agents.listTasks",
    method: "GET",
    path: () => `agents/${ids.agent}/tasks/`,
    org: false,
    product: false,
    call: (c, o) => c.agents.listTasks(ids.agent, undefined, o),
  },
  {
    name: "agents.listExecutions",
    method: "GET",
    path: () => `agents/${ids.agent}/executions/`,
    org: true,
    product: false,
    call: (c, o) => c.agents.listExecutions(ids.agent, undefined, o),
  },
  {
    name: "telephony.numbers.list",
    method: "GET",
    path: () => "telephony/numbers/",
    org: true,
    product: false,
    call: (c, o) => c.telephony.numbers.list(undefined, o),
  },
  {
    name: "telephony.bridges.list",
    method: "GET",
    path: () => "telephony/bridges/",
    org: true,
    product: true,
    call: (c, o) => c.telephony.bridges.list(undefined, o),
  },
  {
    name: "telephony.bridges.create",
    method: "POST",
    path: () => "telephony/bridges/",
    org: true,
    product: true,
    call: (c, o) => c.telephony.bridges.create({ name: "B" }, o),
  },
  {
    name: "telephony.bridges.retrieve",
    method: "GET",
    path: () => `telephony/bridges/${ids.bridge}/`,
    org: true,
    product: false,
    call: (c, o) => c.telephony.bridges.retrieve(ids.bridge, o),
  },
  {
    name: "telephony.bridges.update",
    method: "PATCH",
    path: () => `telephony/bridges/${ids.bridge}/`,
    org: true,
    product: false,
    call: (c, o) => c.telephony.bridges.update(ids.bridge, { name: "B" }, o),
  },
  {
    name: "telephony.bridges.delete",
    method: "DELETE",
    path: () => `telephony/bridges/${ids.bridge}/`,
    org: true,
    product: false,
    call: (c, o) => c.telephony.bridges.delete(ids.bridge, o),
  },
  {
    name: "telephony.bridges.connectProvider",
    method: "POST",
    path: () => `telephony/bridges/${ids.bridge}/connect-provider/`,
    org: true,
    product: false,
    call: (c, o) =>
      c.telephony.bridges.connectProvider(
        ids.bridge,
        { number_id: ids.number, provider_configuration_id: ids.config },
        o,
      ),
  },
  {
    name: "telephony.bridges.disconnectProvider",
    method: "POST",
    path: () => `telephony/bridges/${ids.bridge}/disconnect-provider/`,
    org: true,
    product: false,
    call: (c, o) =>
      c.telephony.bridges.disconnectProvider(ids.bridge, { number_id: ids.number }, o),
  },
  {
    name: "telephony.providers.list",
    method: "GET",
    path: () => "telephony/providers/",
    org: false,
    product: false,
    call: (c, o) => c.telephony.providers.list(undefined, o),
  },
  {
    name: "telephony.providerConfigurations.list",
    method: "GET",
    path: () => "telephony/provider-configurations/",
    org: true,
    product: false,
    call: (c, o) => c.telephony.providerConfigurations.list(undefined, o),
  },
  {
    name: "telephony.providerConfigurations.create",
    method: "POST",
    path: () => "telephony/provider-configurations/",
    org: true,
    product: false,
    call: (c, o) =>
      c.telephony.providerConfigurations.create({ name: "C", provider: ids.provider }, o),
  },
  {
    name: "telephony.providerConfigurations.retrieve",
    method: "GET",
    path: () => `telephony/provider-configurations/${ids.config}/`,
    org: true,
    product: false,
    call: (c, o) => c.telephony.providerConfigurations.retrieve(ids.config, o),
  },
  {
    name: "telephony.providerConfigurations.update",
    method: "PATCH",
    path: () => `telephony/provider-configurations/${ids.config}/`,
    org: true,
    product: false,
    call: (c, o) => c.telephony.providerConfigurations.update(ids.config, { name: "C" }, o),
  },
  {
    name: "telephony.providerConfigurations.delete",
    method: "DELETE",
    path: () => `telephony/provider-configurations/${ids.config}/`,
    org: true,
    product: false,
    call: (c, o) => c.telephony.providerConfigurations.delete(ids.config, o),
  },
  {
    name: "callLogs.list",
    method: "GET",
    path: () => "call-logs/",
    org: true,
    product: true,
    call: (c, o) => c.callLogs.list(undefined, o),
  },
];

const full = (e: Endpoint) => `/api/v2/platform/${e.path()}`;
const sentSince = (from: number) => server.requests.length - from;

describe.each(ENDPOINTS)("$name", (e) => {
  test("401 without a token: `Authentication credentials were not provided.`", async () => {
    const error = await rejection(e.call(client, { headers: { Authorization: undefined } }));
    expect(error).toMatchObject({ name: "UnpodApiError", code: "unauthorized", status: 401 });
    expect(error.message).toBe("Authentication credentials were not provided.");
    expect(error.method).toBe(e.method);
    expect(String(error.url).split("?")[0]).toBe(`${server.apiUrl}${e.path()}`);
  });

  test("401 with an unknown token: `Invalid token.`", async () => {
    const error = await rejection(e.call(clientFor(server, { apiToken: UNKNOWN_TOKEN })));
    expect(error).toMatchObject({ code: "unauthorized", status: 401, message: "Invalid token." });
    expect(typeof error.requestId).toBe("string");
  });

  test("403 forbidden and 403 `Token has expired.` (fault rule)", async () => {
    server.faults.set({ method: e.method, path: full(e), status: 403, times: 1 });
    const forbidden = await rejection(e.call(client));
    expect(forbidden).toMatchObject({ code: "forbidden", status: 403 });
    server.faults.set({
      method: e.method,
      path: full(e),
      status: 403,
      message: "Token has expired.",
      times: 1,
    });
    const expired = await rejection(e.call(client));
    expect(expired).toMatchObject({
      code: "token_expired",
      status: 403,
      message: "Token has expired.",
    });
  });

  test("429 with Retry-After: rate_limited carries retryAfter when not retried", async () => {
    server.faults.set({ method: e.method, path: full(e), status: 429, retryAfter: 7, times: 1 });
    const error = await rejection(e.call(clientFor(server, { maxRetries: 0 })));
    expect(error).toMatchObject({ code: "rate_limited", status: 429, retryAfter: 7 });
  });

  if (e.org) {
    test("missing Org-Handle: caught before sending; the server's own 400 maps the same", async () => {
      const from = server.requests.length;
      const local = await rejection(e.call(clientFor(server, { orgHandle: undefined })));
      expect(local).toMatchObject({
        name: "UnpodArgumentError",
        code: "missing_header",
        option: "orgHandle",
      });
      expect(sentSince(from)).toBe(0);
      // Bypass the client's check with the escape hatch to see the server's answer.
      const raw = await rejection(
        clientFor(server, { orgHandle: undefined }).request(e.method, e.path(), {
          body: {},
          require: [],
        }),
      );
      expect(isUnpodApiError(raw)).toBe(true);
      // Bridges list answers 206 for a missing header (as the platform), the rest 400.
      expect(raw.code).toMatch(/^(missing_header|bad_request|business_error)$/);
      expect([400, 206]).toContain(raw.status);
    });
  }

  if (e.product) {
    test("missing Product-ID: caught before sending", async () => {
      const from = server.requests.length;
      const local = await rejection(e.call(clientFor(server, { productId: undefined })));
      expect(local).toMatchObject({ code: "missing_header", option: "productId" });
      expect(sentSince(from)).toBe(0);
    });
  }
});

describe("business errors (HTTP 206)", () => {
  test("an unknown space token: `Invalid Space Token`", async () => {
    for (const call of [
      () => client.tasks.list("NOSUCHSPACE"),
      () => client.runs.list("NOSUCHSPACE"),
      () => client.tasks.create("NOSUCHSPACE", { pilot: ids.agent, documents: [{}] }),
    ]) {
      const error = await rejection(call());
      expect(error).toMatchObject({
        code: "business_error",
        status: 206,
        message: "Invalid Space Token",
      });
    }
  });

  test("task creation that fails validation carries the field errors", async () => {
    const error = await rejection(
      client.tasks.create(ids.space, { pilot: "nobody", documents: [] }),
    );
    expect(error).toMatchObject({ code: "business_error", status: 206 });
    expect(error.errors).toMatchObject({
      pilot: ['Agent "nobody" not found.'],
      documents: ["This list may not be empty."],
    });
    expect(error.data).toEqual({});
  });

  test("an unknown run, a provider on an unassigned number, nothing to disconnect", async () => {
    expect((await rejection(client.runs.listTasks(ids.space, "RNOPE"))).code).toBe(
      "business_error",
    );
    const free = (await client.telephony.numbers.list()).data[0]?.id as number;
    const connect = await rejection(
      client.telephony.bridges.connectProvider(ids.bridge, {
        number_id: free,
        provider_configuration_id: ids.config,
      }),
    );
    expect(connect).toMatchObject({
      status: 206,
      message: "Number is not assigned or does not exist.",
    });
  });

  test("bridges without Product-ID (the escape hatch skips the client's check)", async () => {
    const error = await rejection(
      clientFor(server, { productId: undefined }).request("GET", "telephony/bridges/"),
    );
    expect(error).toMatchObject({
      code: "business_error",
      status: 206,
      message: "Please provide Product-Id in headers",
    });
  });
});

describe("not found (404)", () => {
  test.each([
    ["spaces.retrieve", () => client.spaces.retrieve("NOSUCHSPACE"), "Space not found"],
    ["agents.listTasks", () => client.agents.listTasks("no-such-agent"), "Agent not found"],
    [
      "agents.listExecutions",
      () => client.agents.listExecutions("no-such-agent"),
      "Agent not found",
    ],
    ["bridges.retrieve", () => client.telephony.bridges.retrieve("no-such-bridge"), "Not found."],
    [
      "providerConfigurations.retrieve",
      () => client.telephony.providerConfigurations.retrieve(999999),
      "Not found.",
    ],
  ] as const)("%s → not_found `%s`", async (_name, call, message) => {
    const error = await rejection(call());
    expect(error).toMatchObject({ code: "not_found", status: 404, message });
  });

  test("a path with no route: Django's HTML 404 becomes not_found with the body kept", async () => {
    const error = await rejection(client.request("GET", "no/such/route/"));
    expect(error).toMatchObject({ code: "not_found", status: 404 });
    expect(error.body).toContain("Not Found");
  });
});

describe("bad requests (400)", () => {
  test("invalid paging and invalid bodies carry the server's field errors", async () => {
    const paging = await rejection(
      client.request("GET", `spaces/${ids.space}/tasks/`, {
        query: { page_size: "x" },
        require: ["orgHandle"],
      }),
    );
    expect(paging).toMatchObject({ code: "bad_request", status: 400 });
    const body = await rejection(
      client.telephony.providerConfigurations.create({ name: "", provider: 99999 }),
    );
    expect(body).toMatchObject({ code: "bad_request", status: 400, message: "Invalid input." });
    expect(Object.keys(body.errors as object).sort()).toEqual(["name", "provider"]);
  });
});
