import { inspect } from "node:util";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { DevServer } from "../src/index.js";
import { api, start } from "./helpers.js";

let server: DevServer;
const lines: string[] = [];
beforeAll(async () => {
  server = await start({
    logger: {
      debug: (m, f) => lines.push(`${m} ${JSON.stringify(f ?? {})}`),
      info: (m, f) => lines.push(`${m} ${JSON.stringify(f ?? {})}`),
      warn: (m, f) => lines.push(`${m} ${JSON.stringify(f ?? {})}`),
      error: (m, f) => lines.push(`${m} ${JSON.stringify(f ?? {})}`),
    },
  });
});
afterAll(() => server.close());

const ORG_REQUIRED = {
  status_code: 400,
  message: "Organization handle is required in Org-Handle header",
  data: {},
};

describe("authentication (DRF TokenAuthentication)", () => {
  test("no Authorization header → 401 not provided, with WWW-Authenticate", async () => {
    const r = await api(server, "organizations/", { token: null });
    expect(r.status).toBe(401);
    expect(r.json).toEqual({
      status_code: 401,
      message: "Authentication credentials were not provided.",
    });
    expect(r.headers.get("www-authenticate")).toBe("Token");
  });
  test("another scheme is 'not provided' too", async () => {
    const r = await api(server, "organizations/", {
      token: null,
      headers: { Authorization: `Bearer ${server.credentials.apiToken}` },
    });
    expect(r.json).toEqual({
      status_code: 401,
      message: "Authentication credentials were not provided.",
    });
  });
  test("unknown token → 401 Invalid token.", async () => {
    const r = await api(server, "organizations/", { token: "0".repeat(40) });
    expect(r.status).toBe(401);
    expect(r.json).toEqual({ status_code: 401, message: "Invalid token." });
  });
  test("malformed Token headers get DRF's messages", async () => {
    const bare = await api(server, "organizations/", {
      token: null,
      headers: { Authorization: "Token" },
    });
    expect(bare.json).toEqual({
      status_code: 401,
      message: "Invalid token header. No credentials provided.",
    });
    const spaced = await api(server, "organizations/", {
      token: null,
      headers: { Authorization: "Token a b" },
    });
    expect(spaced.json).toEqual({
      status_code: 401,
      message: "Invalid token header. Token string should not contain spaces.",
    });
  });
  test("the keyword is case-insensitive", async () => {
    const r = await api(server, "organizations/", {
      token: null,
      headers: { Authorization: `token ${server.credentials.apiToken}` },
    });
    expect(r.status).toBe(200);
  });
  test("authentication comes before the Org-Handle check", async () => {
    const r = await api(server, "spaces/", { token: null, org: null });
    expect(r.status).toBe(401);
  });
  test("several tokens (rotation) are all accepted", async () => {
    const s = await start({ apiTokens: ["a".repeat(40), "b".repeat(40)] });
    try {
      expect((await api(s, "organizations/", { token: "a".repeat(40) })).status).toBe(200);
      expect((await api(s, "organizations/", { token: "b".repeat(40) })).status).toBe(200);
      expect((await api(s, "organizations/", { token: "c".repeat(40) })).status).toBe(401);
    } finally {
      await s.close();
    }
  });
});

describe("routing like Django", () => {
  test("a path without its trailing slash is redirected (301, APPEND_SLASH), query kept, before auth", async () => {
    const r = await api(server, "spaces?x=1", { token: null });
    expect(r.status).toBe(301);
    expect(r.headers.get("location")).toBe("/api/v2/platform/spaces/?x=1");
    const nested = await api(server, "telephony/bridges/abc/connect-provider");
    expect(nested.status).toBe(301);
    expect(nested.headers.get("location")).toBe(
      "/api/v2/platform/telephony/bridges/abc/connect-provider/",
    );
  });
  test("following the redirect works", async () => {
    const r = await api(server, "organizations", { redirect: "follow" });
    expect(r.status).toBe(200);
  });
  test("an unknown path is Django's HTML 404, authenticated or not", async () => {
    for (const token of [null, undefined]) {
      const r = await api(server, "nope/", { token });
      expect(r.status).toBe(404);
      expect(r.headers.get("content-type")).toMatch(/^text\/html/);
      expect(r.text).toContain("<h1>Not Found</h1>");
    }
    const root = await fetch(`${server.url}/api/v2/platform`);
    expect(root.status).toBe(404);
  });
  test("a method the route does not serve → 405 (after authentication)", async () => {
    const r = await api(server, "spaces/", { method: "PUT" });
    expect(r.status).toBe(405);
    expect(r.json).toEqual({ status_code: 405, message: 'Method "PUT" not allowed.' });
    expect((await api(server, "spaces/", { method: "PUT", token: null })).status).toBe(401);
  });
  test("HEAD is served like GET, without a body", async () => {
    const r = await api(server, "organizations/", { method: "HEAD" });
    expect(r.status).toBe(200);
    expect(r.text).toBe("");
  });
});

describe("organizations and spaces", () => {
  test("organizations: both fixture organizations with the platform's fields", async () => {
    const r = await api(server, "organizations/", { org: null });
    expect(r.status).toBe(200);
    expect(r.json.status_code).toBe(200);
    expect(r.json.message).toBe("Organizations fetched successfully");
    expect(r.json.count).toBe(2);
    expect(Object.keys(r.json).sort()).toEqual(["count", "data", "message", "status_code"]);
    expect(Object.keys(r.json.data[0]).sort()).toEqual(
      ["domain", "domain_handle", "is_private_domain", "name", "role", "token"].sort(),
    );
    expect(r.json.data[0].domain_handle).toBe(server.credentials.orgHandle);
    expect(r.json.data[1].domain_handle).toBe("acme-labs");
  });
  test("spaces: Org-Handle required (the platform's wording), unknown org 404", async () => {
    const missing = await api(server, "spaces/", { org: null });
    expect(missing.status).toBe(400);
    expect(missing.json).toEqual(ORG_REQUIRED);
    const unknown = await api(server, "spaces/", { org: "no-such-org" });
    expect(unknown.status).toBe(404);
    expect(unknown.json).toEqual({ status_code: 404, message: "Organization not found" });
  });
  test("spaces: the organization's spaces, newest first, with count", async () => {
    const r = await api(server, "spaces/");
    expect(r.json.count).toBe(2);
    expect(r.json.message).toBe("Spaces fetched successfully");
    expect(r.json.data.map((s: { name: string }) => s.name)).toEqual([
      "Support Line",
      "Sales Calls",
    ]);
    expect(r.json.data[0].organization).toEqual({
      name: "Unpod Dev",
      domain_handle: server.credentials.orgHandle,
    });
    for (const k of [
      "name",
      "slug",
      "token",
      "description",
      "privacy_type",
      "space_type",
      "content_type",
    ]) {
      expect(r.json.data[0]).toHaveProperty(k);
    }
    const other = await api(server, "spaces/", { org: "acme-labs" });
    expect(other.json.count).toBe(1);
  });
  test("space by token; unknown, or of another organization → 404 Space not found", async () => {
    const [space] = (await api(server, "spaces/")).json.data;
    const r = await api(server, `spaces/${space.token}/`);
    expect(r.status).toBe(200);
    expect(r.json).toEqual({
      status_code: 200,
      message: "Space fetched successfully",
      data: space,
    });
    const unknown = await api(server, "spaces/NOPE/");
    expect(unknown.status).toBe(404);
    expect(unknown.json).toEqual({ status_code: 404, message: "Space not found" });
    const foreign = await api(server, `spaces/${space.token}/`, { org: "acme-labs" });
    expect(foreign.status).toBe(404);
    expect((await api(server, `spaces/${space.token}/`, { org: null })).json).toEqual(ORG_REQUIRED);
  });
});

async function salesSpace() {
  const spaces = (await api(server, "spaces/")).json.data as { name: string; token: string }[];
  return spaces.find((s) => s.name === "Sales Calls") as { token: string };
}

describe("tasks and runs", () => {
  test("space tasks: paged (default 20), count, newest first, with output and transcript", async () => {
    const { token } = await salesSpace();
    const r = await api(server, `spaces/${token}/tasks/`);
    expect(r.status).toBe(200);
    expect(r.json.message).toBe("Tasks Fetched Successfully");
    expect(r.json.count).toBeGreaterThanOrEqual(31);
    expect(r.json.data).toHaveLength(20);
    const created = r.json.data.map((t: { created: string }) => t.created);
    expect([...created].sort().reverse()).toEqual(created);
    const done = r.json.data.find((t: { status: string }) => t.status === "completed");
    for (const k of [
      "task_id",
      "run_id",
      "thread_id",
      "task",
      "input",
      "output",
      "assignee",
      "status",
      "execution_type",
      "run_mode",
      "created",
      "modified",
    ]) {
      expect(done).toHaveProperty(k);
    }
    expect(done.output.transcript[0]).toEqual({ role: "assistant", content: expect.any(String) });
    for (const k of [
      "call_id",
      "start_time",
      "end_time",
      "duration",
      "recording_url",
      "post_call_data",
      "call_type",
      "call_status",
    ]) {
      expect(done.output).toHaveProperty(k);
    }
  });
  test("paging: page, page_size, cap at 100, past the end, bad values", async () => {
    const { token } = await salesSpace();
    const all = (await api(server, `spaces/${token}/tasks/?page_size=100`)).json;
    const p3 = (await api(server, `spaces/${token}/tasks/?page=3&page_size=5`)).json;
    expect(p3.data.map((t: { task_id: string }) => t.task_id)).toEqual(
      all.data.slice(10, 15).map((t: { task_id: string }) => t.task_id),
    );
    expect(p3.count).toBe(all.count);
    const capped = (await api(server, `spaces/${token}/tasks/?page_size=100000`)).json;
    expect(capped.data.length).toBe(Math.min(100, all.count));
    const past = (await api(server, `spaces/${token}/tasks/?page=999`)).json;
    expect(past.data).toEqual([]);
    expect(past.count).toBe(all.count);
    const zero = (await api(server, `spaces/${token}/tasks/?page=0&page_size=0`)).json;
    expect(zero.data).toHaveLength(20);
    const bad = await api(server, `spaces/${token}/tasks/?page=abc`);
    expect(bad.status).toBe(400);
    expect(bad.json).toEqual({
      status_code: 400,
      message: "Invalid page.",
      data: {},
      errors: { page: ["A valid integer is required."] },
    });
  });
  test("unknown space token → 206 Invalid Space Token (a business failure)", async () => {
    const r = await api(server, "spaces/NOPE/tasks/");
    expect(r.status).toBe(206);
    expect(r.json).toEqual({ status_code: 206, message: "Invalid Space Token", data: {} });
    expect((await api(server, "spaces/NOPE/runs/")).status).toBe(206);
    expect((await api(server, "spaces/NOPE/tasks/", { method: "POST", body: {} })).status).toBe(
      206,
    );
  });
  test("create tasks: the run and its tasks exist afterwards", async () => {
    const { token } = await salesSpace();
    const before = (await api(server, `spaces/${token}/tasks/`)).json.count;
    const r = await api(server, `spaces/${token}/tasks/`, {
      method: "POST",
      body: {
        pilot: "sales-assistant",
        documents: [
          { name: "Zoe", contact_number: "+14155550999", email: "zoe@example.com" },
          { name: "Yan", contact_number: "+14155550998" },
        ],
        context: "Offer the new plan.",
        schedule: { type: "now" },
      },
    });
    expect(r.status).toBe(200);
    expect(r.json.message).toBe("Task Created Successfully");
    expect(r.json.data).toMatchObject({
      status: "pending",
      run_id: expect.stringMatching(/^R[0-9a-f]{32}$/),
    });
    expect(r.json.data.task_ids).toHaveLength(2);
    const after = (await api(server, `spaces/${token}/tasks/`)).json;
    expect(after.count).toBe(before + 2);
    const runs = (await api(server, `spaces/${token}/runs/`)).json;
    expect(runs.data[0]).toEqual({
      run_id: r.json.data.run_id,
      run_mode: "automatic",
      status: "pending",
      batch_count: 2,
      created: expect.any(String),
      modified: expect.any(String),
    });
    const runTasks = (await api(server, `spaces/${token}/runs/${r.json.data.run_id}/tasks/`)).json;
    expect(runTasks.count).toBe(2);
    expect(runTasks.data.map((t: { task_id: string }) => t.task_id).sort()).toEqual(
      [...r.json.data.task_ids].sort(),
    );
    expect(runTasks.data[0].task.objective).toBe("Offer the new plan.");
    expect(runTasks.data[0].input.contact_number).toMatch(/^\+1415555099[89]$/);
  });
  test("create tasks: validation failures are 206 with DRF-style errors", async () => {
    const { token } = await salesSpace();
    const post = (body: unknown) => api(server, `spaces/${token}/tasks/`, { method: "POST", body });
    const none = await post({ pilot: "sales-assistant" });
    expect(none.status).toBe(206);
    expect(none.json).toEqual({
      status_code: 206,
      message: "There is some Validation error",
      data: {},
      errors: { documents: ["This field is required."] },
    });
    expect((await post({ pilot: "sales-assistant", documents: [] })).json.errors).toEqual({
      documents: ["This list may not be empty."],
    });
    expect((await post({ documents: [{ name: "x" }] })).json.errors).toEqual({
      pilot: ["This field is required."],
    });
    expect((await post({ pilot: "nobody", documents: [{}] })).json.errors).toEqual({
      pilot: ['Agent "nobody" not found.'],
    });
    expect(
      (await post({ pilot: "acme-reminder", documents: [{}] })).json.errors.pilot,
    ).toBeDefined();
    expect((await post({ pilot: "sales-assistant", documents: "x" })).json.errors).toEqual({
      documents: ['Expected a list of items but got type "str".'],
    });
    expect(
      (await post({ pilot: "sales-assistant", documents: [{}], schedule: { type: "later" } })).json
        .errors,
    ).toEqual({
      schedule: { type: ['"later" is not a valid choice.'] },
    });
    expect((await post([1, 2])).json.errors).toEqual({
      non_field_errors: ["Invalid data. Expected a dictionary, but got list."],
    });
  });
  test("run tasks of an unknown run → 206 Runs Fetch Failed", async () => {
    const { token } = await salesSpace();
    const r = await api(server, `spaces/${token}/runs/Rnope/tasks/`);
    expect(r.status).toBe(206);
    expect(r.json).toEqual({
      status_code: 206,
      message: "Runs Fetch Failed",
      data: {},
      errors: "Run not found",
    });
  });
});

describe("request bodies", () => {
  test("bad JSON → 400 envelope that says why", async () => {
    const { token } = await salesSpace();
    const r = await api(server, `spaces/${token}/tasks/`, {
      method: "POST",
      raw: "{not json",
      headers: { "Content-Type": "application/json" },
    });
    expect(r.status).toBe(400);
    expect(r.json.status_code).toBe(400);
    expect(r.json.message).toMatch(/^JSON parse error - /);
    expect(r.json.data).toEqual({});
  });
  test("a body that is not JSON → 415", async () => {
    const { token } = await salesSpace();
    const r = await api(server, `spaces/${token}/tasks/`, {
      method: "POST",
      raw: "a=1",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
    });
    expect(r.status).toBe(415);
    expect(r.json).toEqual({
      status_code: 415,
      message: 'Unsupported media type "application/x-www-form-urlencoded" in request.',
    });
  });
  test("a body over the cap (1 MiB) → 413, and the server carries on", async () => {
    const { token } = await salesSpace();
    const r = await api(server, `spaces/${token}/tasks/`, {
      method: "POST",
      raw: JSON.stringify({ pilot: "x".repeat(2 * 1024 * 1024) }),
      headers: { "Content-Type": "application/json" },
    });
    expect(r.status).toBe(413);
    expect(r.json).toEqual({
      status_code: 413,
      message: "Request body is larger than 1048576 bytes.",
    });
    expect((await api(server, "organizations/")).status).toBe(200);
  });
  test("a chunked body over the cap → 413 as well", async () => {
    const { token } = await salesSpace();
    const big = new Uint8Array(1024 * 1024 + 10).fill(32);
    const stream = new ReadableStream({
      start(c) {
        c.enqueue(big);
        c.close();
      },
    });
    const res = await fetch(`${server.apiUrl}spaces/${token}/tasks/`, {
      method: "POST",
      headers: {
        Authorization: `Token ${server.credentials.apiToken}`,
        "Org-Handle": server.credentials.orgHandle,
        "Content-Type": "application/json",
      },
      body: stream,
      duplex: "half",
    } as RequestInit);
    expect(res.status).toBe(413);
  });
});

describe("agents", () => {
  test("published agents of the organization", async () => {
    const r = await api(server, "agents/");
    expect(r.status).toBe(200);
    expect(r.json.message).toBe("Agents fetched successfully");
    expect(r.json.data.map((a: { handle: string }) => a.handle)).toEqual([
      "sales-assistant",
      "support-agent",
    ]);
    expect(Object.keys(r.json.data[0]).sort()).toEqual([
      "description",
      "handle",
      "name",
      "purpose",
      "state",
      "type",
    ]);
    expect(r.json.count).toBe(2);
    expect((await api(server, "agents/", { org: null })).json).toEqual(ORG_REQUIRED);
    expect((await api(server, "agents/", { org: "zzz" })).json).toEqual({
      status_code: 404,
      message: "Organization not found",
    });
  });
  test("agent tasks: paged with default page_size 20; unknown agent 404", async () => {
    const r = await api(server, "agents/sales-assistant/tasks/", { org: null });
    expect(r.status).toBe(200);
    expect(r.json.data).toHaveLength(20);
    expect(r.json.count).toBeGreaterThanOrEqual(31);
    expect(r.json.data.every((t: { assignee: string }) => t.assignee === "sales-assistant")).toBe(
      true,
    );
    const unknown = await api(server, "agents/nobody/tasks/");
    expect(unknown.status).toBe(404);
    expect(unknown.json).toEqual({ status_code: 404, message: "Agent not found" });
  });
  test("agent executions", async () => {
    const r = await api(server, "agents/support-agent/executions/");
    expect(r.status).toBe(200);
    expect(r.json.data).toEqual([
      {
        run_id: expect.any(String),
        status: "completed",
        total_tasks: 4,
        completed_tasks: 4,
        created: expect.any(String),
      },
    ]);
    expect(r.json.count).toBe(1);
    expect((await api(server, "agents/nobody/executions/")).status).toBe(404);
  });
});

describe("telephony", () => {
  test("numbers: active, unassigned numbers of the organization and the shared pool; no count", async () => {
    const r = await api(server, "telephony/numbers/");
    expect(r.status).toBe(200);
    expect(r.json.message).toBe("Telephony numbers fetched successfully.");
    expect(r.json).not.toHaveProperty("count");
    expect(r.json.data).toContainEqual({ id: 186, number: "+442071838750", active: true });
    expect(r.json.data.map((n: { id: number }) => n.id)).not.toContain(183); // assigned
    expect(r.json.data.map((n: { id: number }) => n.id)).not.toContain(187); // inactive
    expect((await api(server, "telephony/numbers/", { org: null })).json).toEqual(ORG_REQUIRED);
  });
  test("providers", async () => {
    const r = await api(server, "telephony/providers/", { org: null });
    expect(r.json.message).toBe("Voice infra providers fetched successfully.");
    expect(r.json.data).toHaveLength(4);
    expect(Object.keys(r.json.data[0]).sort()).toEqual(["description", "icon", "id", "name"]);
  });
  test("provider configurations: list, get, create, patch, delete", async () => {
    const list = await api(server, "telephony/provider-configurations/");
    expect(list.status).toBe(200);
    expect(list.json.data.length).toBe(list.json.count);
    const first = list.json.data[0];
    expect(Object.keys(first)).toEqual([
      "id",
      "name",
      "provider",
      "provider_details",
      "org_handle",
      "meta_json",
      "active",
      "api_key",
      "api_secret",
      "base_url",
      "sip_url",
    ]);
    expect((await api(server, "telephony/provider-configurations/", { org: null })).json).toEqual(
      ORG_REQUIRED,
    );
    expect((await api(server, `telephony/provider-configurations/${first.id}/`)).json.data).toEqual(
      first,
    );
    const missing = await api(server, "telephony/provider-configurations/9999/");
    expect(missing.status).toBe(404);
    expect(missing.json).toEqual({ status_code: 404, message: "Not found." });
    const notInt = await api(server, "telephony/provider-configurations/abc/");
    expect(notInt.status).toBe(404);
    expect(notInt.headers.get("content-type")).toMatch(/html/);
    // Acme's configuration is invisible to this organization.
    expect((await api(server, "telephony/provider-configurations/3/")).status).toBe(404);

    const bad = await api(server, "telephony/provider-configurations/", {
      method: "POST",
      body: { provider: 99 },
    });
    expect(bad.status).toBe(400);
    expect(bad.json).toEqual({
      status_code: 400,
      message: "Invalid input.",
      data: {},
      errors: {
        name: ["This field is required."],
        provider: ['Invalid pk "99" - object does not exist.'],
      },
    });
    const created = await api(server, "telephony/provider-configurations/", {
      method: "POST",
      body: { name: "My Vapi", provider: 1, api_key: "sk_test", api_secret: "shh" },
    });
    expect(created.status).toBe(201);
    expect(created.json.data).toMatchObject({
      name: "My Vapi",
      provider: 1,
      provider_details: { id: 1, name: "Vapi" },
      org_handle: server.credentials.orgHandle,
      active: true,
      api_key: "sk_test",
      api_secret: "shh",
    });
    const id = created.json.data.id;
    const patched = await api(server, `telephony/provider-configurations/${id}/`, {
      method: "PATCH",
      body: { name: "Renamed" },
    });
    expect(patched.status).toBe(200);
    expect(patched.json.data.name).toBe("Renamed");
    expect((await api(server, `telephony/provider-configurations/${id}/`)).json.data.name).toBe(
      "Renamed",
    );
    const del = await api(server, `telephony/provider-configurations/${id}/`, { method: "DELETE" });
    expect(del.status).toBe(204);
    expect(del.text).toBe("");
    expect((await api(server, `telephony/provider-configurations/${id}/`)).status).toBe(404);
    expect(
      (await api(server, `telephony/provider-configurations/${id}/`, { method: "DELETE" })).status,
    ).toBe(404);
  });
  test("bridges list: Product-ID and Org-Handle missing are 206; scoped by product", async () => {
    const noProduct = await api(server, "telephony/bridges/", { product: null });
    expect(noProduct.status).toBe(206);
    expect(noProduct.json).toEqual({
      status_code: 206,
      message: "Please provide Product-Id in headers",
      data: {},
    });
    const noOrg = await api(server, "telephony/bridges/", { org: null });
    expect(noOrg.json).toEqual({
      status_code: 206,
      message: "Please provide Org-Handle in headers",
      data: {},
    });
    const unknownOrg = await api(server, "telephony/bridges/", { org: "zzz" });
    expect(unknownOrg.json).toEqual({
      status_code: 206,
      message: "Organization not found",
      data: {},
    });
    const r = await api(server, "telephony/bridges/", {
      headers: { "product-id": server.credentials.productId },
      product: null,
    });
    expect(r.status).toBe(200);
    expect(r.json.data.map((b: { name: string }) => b.name)).toEqual(["Main Line", "Sandbox"]);
    expect(Object.keys(r.json.data[0]).sort()).toEqual([
      "description",
      "id",
      "name",
      "slug",
      "status",
    ]);
    expect(r.json.count).toBe(2);
    expect((await api(server, "telephony/bridges/?page_size=1&page=2")).json.data[0].name).toBe(
      "Sandbox",
    );
  });
  test("bridges: create (201), get, patch, connect/disconnect a provider, delete (204)", async () => {
    const noProduct = await api(server, "telephony/bridges/", {
      method: "POST",
      product: null,
      body: { name: "x" },
    });
    expect(noProduct.status).toBe(206);
    const invalid = await api(server, "telephony/bridges/", {
      method: "POST",
      body: { description: "no name" },
    });
    expect(invalid.status).toBe(400);
    expect(invalid.json).toEqual({
      status_code: 400,
      message: "Failed to create bridge.",
      data: {},
      errors: { name: ["This field is required."] },
    });
    const notList = await api(server, "telephony/bridges/", {
      method: "POST",
      body: { name: "x", numberIds: 5 },
    });
    expect(notList.json).toEqual({
      status_code: 400,
      message: "NumberIds must be a list of integers.",
      data: {},
    });

    const created = await api(server, "telephony/bridges/", {
      method: "POST",
      body: { name: "Night Shift", description: "After hours", region: "US", numberIds: [184] },
    });
    expect(created.status).toBe(201);
    expect(created.json.message).toBe("Bridge created successfully.");
    const bridge = created.json.data;
    expect(bridge).toMatchObject({
      name: "Night Shift",
      description: "After hours",
      status: "ACTIVE",
      documents_status: "pending",
      org_handle: server.credentials.orgHandle,
      region: "US",
    });
    expect(bridge.slug).toMatch(/^night-shift-[a-z0-9]{6}$/);
    expect(bridge.numbers).toEqual([
      {
        id: expect.any(Number),
        number_id: 184,
        number: "+14155550101",
        channels_count: 1,
        provider_details: null,
        provider_configuration: null,
        agent_id: null,
        config_json: {},
      },
    ]);
    const numbers = (await api(server, "telephony/numbers/")).json.data.map(
      (n: { id: number }) => n.id,
    );
    expect(numbers).not.toContain(184);
    expect((await api(server, "telephony/bridges/")).json.count).toBe(3);

    const got = await api(server, `telephony/bridges/${bridge.slug}/`);
    expect(got.json).toEqual({ status_code: 200, message: "Success", data: bridge });
    expect((await api(server, "telephony/bridges/nope/")).json).toEqual({
      status_code: 404,
      message: "Not found.",
    });

    const patched = await api(server, `telephony/bridges/${bridge.slug}/`, {
      method: "PATCH",
      body: { name: "Late Shift" },
    });
    expect(patched.status).toBe(200);
    expect(patched.json.message).toBe("Bridge updated successfully.");
    expect(patched.json.data.name).toBe("Late Shift");

    const connect = (body: unknown) =>
      api(server, `telephony/bridges/${bridge.slug}/connect-provider/`, { method: "POST", body });
    expect((await connect({ provider_credential_id: 1 })).json).toMatchObject({
      status_code: 400,
      message: "Number is required",
    });
    expect((await connect({ number_id: 184 })).json).toMatchObject({
      status_code: 400,
      message: "Provider is required",
    });
    expect((await connect({ number_id: 185, provider_credential_id: 1 })).json).toEqual({
      status_code: 206,
      message: "Number is not assigned or does not exist.",
      data: {},
    });
    expect((await connect({ number_id: 183, provider_credential_id: 1 })).json).toEqual({
      status_code: 400,
      message: "Provided number is already assigned to another bridge.",
      data: {},
    });
    const linked = await connect({ number_id: 184, provider_credential_id: 2 });
    expect(linked.status).toBe(201);
    expect(linked.json.message).toBe("Number linked with provider successfully.");
    expect(linked.json.data.provider_configuration).toMatchObject({ id: 2, name: "LiveKit Cloud" });

    const disconnect = (body: unknown) =>
      api(server, `telephony/bridges/${bridge.slug}/disconnect-provider/`, {
        method: "POST",
        body,
      });
    const unlinked = await disconnect({ number_id: 184 });
    expect(unlinked.json).toEqual({
      status_code: 200,
      message: "Provider unlinked from number +14155550101",
      data: { id: 184, number: "+14155550101", active: true },
    });
    expect((await disconnect({ number_id: 184 })).json).toEqual({
      status_code: 206,
      message: "No provider linked to this number.",
      data: {},
    });
    expect((await disconnect({ number_id: 9999 })).json).toEqual({
      status_code: 404,
      message: "Number not found.",
    });

    const del = await api(server, `telephony/bridges/${bridge.slug}/`, { method: "DELETE" });
    expect(del.status).toBe(204);
    expect(del.text).toBe("");
    expect((await api(server, `telephony/bridges/${bridge.slug}/`)).status).toBe(404);
    const released = (await api(server, "telephony/numbers/")).json.data.map(
      (n: { id: number }) => n.id,
    );
    expect(released).toContain(184);
  });
});

describe("call logs", () => {
  const ROW_KEYS = [
    "agent",
    "bridge",
    "call_duration",
    "call_status",
    "call_type",
    "creation_time",
    "destination_number",
    "end_reason",
    "end_time",
    "id",
    "source_number",
    "space",
    "start_time",
  ];
  test("headers: Org-Handle and Product-ID (the platform answers 400 for both)", async () => {
    expect((await api(server, "call-logs/", { org: null })).json).toEqual(ORG_REQUIRED);
    expect((await api(server, "call-logs/", { product: null })).json).toEqual({
      status_code: 400,
      message: "Product ID is required in Product-Id header",
      data: {},
    });
  });
  test("paged, newest first, the platform's row fields", async () => {
    const r = await api(server, "call-logs/");
    expect(r.status).toBe(200);
    expect(r.json.message).toBe("Call logs fetched successfully");
    expect(r.json.count).toBe(30);
    expect(r.json.data).toHaveLength(20);
    expect(Object.keys(r.json.data[0]).sort()).toEqual(ROW_KEYS);
    const times = r.json.data.map((l: { creation_time: string }) => l.creation_time);
    expect([...times].sort().reverse()).toEqual(times);
    expect((await api(server, "call-logs/", { org: "acme-labs" })).json.count).toBe(1);
  });
  test("filters: call_type, call_status (case-insensitive), dates, sort", async () => {
    const q = async (query: string) =>
      (await api(server, `call-logs/?page_size=100&${query}`)).json;
    expect((await q("call_type=inbound")).count).toBe(10);
    expect((await q("call_type=OUTBOUND")).count).toBe(20);
    const completed = await q("call_status=completed");
    expect(completed.count).toBe(15);
    expect(
      completed.data.every((l: { call_status: string }) => l.call_status === "completed"),
    ).toBe(true);
    const all = (await q("")).data as { start_time: string; end_time: string }[];
    const day = all[all.length - 1]?.start_time.slice(0, 10) as string;
    const onDay = all.filter(
      (l) => l.start_time.slice(0, 10) >= day && l.end_time.slice(0, 10) <= day,
    ).length;
    expect((await q(`start_date=${day}&end_date=${day}`)).count).toBe(onDay);
    const [y, m, d] = day.split("-");
    expect(
      (await q(`start_time=${d}-${m}-${y}%2000:00:00&end_time=${d}-${m}-${y}%2023:59:59`)).count,
    ).toBe(onDay);
    const asc = await q(`sort=${encodeURIComponent('{"start_time":"ascend"}')}`);
    const starts = asc.data.map((l: { start_time: string }) => l.start_time);
    expect([...starts].sort()).toEqual(starts);
    const byDuration = await q("sort=-call_duration");
    const durations = byDuration.data.map((l: { call_duration: number }) => l.call_duration);
    expect([...durations].sort((a, b) => b - a)).toEqual(durations);
    const bad = await api(server, "call-logs/?start_date=yesterday");
    expect(bad.status).toBe(400);
    expect(bad.json.message).toMatch(/^Failed to fetch call logs: invalid start_date/);
  });
});

describe("what the server shows about itself", () => {
  test("requests are logged (method, path, status, ids, scope headers) without tokens or query strings", async () => {
    const n = server.requests.length;
    await api(server, "organizations/?secret=1", {
      product: null,
      headers: { "X-Request-Id": "req-1", "Idempotency-Key": "k-1" },
    });
    await api(server, "organizations/", { token: "f".repeat(40), org: null, product: null });
    expect(server.requests.slice(n)).toEqual([
      {
        method: "GET",
        path: "/api/v2/platform/organizations/",
        status: 200,
        requestId: "req-1",
        idempotencyKey: "k-1",
        scopeHeaders: ["Org-Handle"],
        replayed: false,
      },
      {
        method: "GET",
        path: "/api/v2/platform/organizations/",
        status: 401,
        requestId: undefined,
        idempotencyKey: undefined,
        scopeHeaders: [],
        replayed: false,
      },
    ]);
    expect(JSON.stringify(server.requests)).not.toContain(server.credentials.apiToken);
  });
  test("no secret in JSON.stringify / util.inspect of the server or its credentials; spreading works", () => {
    const { apiToken, apiSecret } = server.credentials;
    for (const text of [
      JSON.stringify(server),
      inspect(server, { depth: 5 }),
      JSON.stringify(server.credentials),
      inspect(server.credentials),
    ]) {
      expect(text).not.toContain(apiToken);
      expect(text).not.toContain(apiSecret);
      expect(text).not.toContain(server.adminSecret);
    }
    expect({ ...server.credentials }.apiToken).toBe(apiToken);
  });
  test("log lines carry no token or secret", async () => {
    await api(server, "organizations/", { token: "e".repeat(40) });
    const all = lines.join("\n");
    expect(all).toContain("GET /api/v2/platform/organizations/ 401");
    expect(all).not.toContain(server.credentials.apiToken);
    expect(all).not.toContain("e".repeat(40));
    expect(all).not.toContain(server.credentials.apiSecret);
  });
});
