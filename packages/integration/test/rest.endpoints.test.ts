// Happy path of every endpoint in the reference table, through UnpodClient, against the
// dev server. Fixture ids are discovered through the API, never hard-coded.
import type { DevServer } from "@unpod/dev-server";
import type { Agent, Space, UnpodClient } from "@unpod/node";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { clientFor, hits, startApi } from "./support.js";

let server: DevServer;
let client: UnpodClient;
let space: Space;
let agent: Agent;

beforeAll(async () => {
  server = await startApi();
  client = clientFor(server);
});
afterAll(() => server.close());

const collect = async <T>(iterable: AsyncIterable<T>): Promise<T[]> => {
  const out: T[] = [];
  for await (const item of iterable) out.push(item);
  return out;
};

describe("organizations and spaces", () => {
  test("GET organizations/ → the token's organizations, one of them ours", async () => {
    const page = await client.organizations.list();
    expect(page.count).toBe(page.data.length);
    const mine = page.data.find((o) => o.domain_handle === server.credentials.orgHandle);
    expect(mine).toMatchObject({
      role: expect.any(String),
      is_private_domain: expect.any(Boolean),
    });
    // organizations/ needs no Org-Handle: a client without one can discover it.
    const bare = clientFor(server, { orgHandle: undefined });
    expect((await bare.organizations.list()).data).toEqual(page.data);
  });

  test("GET spaces/ and spaces/{token}/", async () => {
    const page = await client.spaces.list();
    expect(page.data.length).toBeGreaterThan(0);
    space = page.data[0] as Space;
    expect(space.organization.domain_handle).toBe(server.credentials.orgHandle);
    const one = await client.spaces.retrieve(space.token);
    expect(one).toEqual(space);
  });
});

describe("agents, tasks and runs", () => {
  test("GET agents/ → published agents of the organization", async () => {
    const page = await client.agents.list();
    expect(page.data.length).toBeGreaterThan(0);
    for (const a of page.data) expect(a.state).toBe("published");
    agent = page.data[0] as Agent;
  });

  test("GET spaces/{token}/tasks/ — one page, and every page by iteration", async () => {
    const first = await client.tasks.list(space.token, { pageSize: 2 });
    expect(first.count).toBeGreaterThan(2);
    expect(first.data).toHaveLength(2);
    expect(first.hasMore).toBe(true);
    const before = hits(server, `spaces/${space.token}/tasks/`, "GET");
    const all = await collect(client.tasks.list(space.token, { pageSize: 2 }));
    expect(all).toHaveLength(first.count as number);
    expect(new Set(all.map((t) => t.task_id)).size).toBe(all.length);
    expect(hits(server, `spaces/${space.token}/tasks/`, "GET") - before).toBe(
      Math.ceil((first.count as number) / 2),
    );
  });

  test("POST spaces/{token}/tasks/ creates a run; GET runs/ and runs/{id}/tasks/ show it", async () => {
    const created = await client.tasks.create(space.token, {
      pilot: agent.handle,
      documents: [
        { name: "Ada", contact_number: "+14155550123" },
        { name: "Grace", contact_number: "+14155550124", email: "grace@example.com" },
      ],
      context: "Confirm the appointment",
      schedule: { type: "now" },
    });
    expect(created).toMatchObject({ status: "pending", run_id: expect.any(String) });
    expect(created.task_ids).toHaveLength(2);

    const runs = await collect(client.runs.list(space.token));
    const run = runs.find((r) => r.run_id === created.run_id);
    expect(run).toMatchObject({ batch_count: 2, status: "pending" });

    const runTasks = await client.runs.listTasks(space.token, created.run_id);
    expect(runTasks.data.map((t) => t.task_id).sort()).toEqual([...created.task_ids].sort());
    expect(runTasks.data[0]?.task.objective).toBe("Confirm the appointment");
  });

  test("GET agents/{handle}/tasks/ and agents/{handle}/executions/", async () => {
    const tasks = await client.agents.listTasks(agent.handle);
    expect(tasks.data.every((t) => t.assignee === agent.handle)).toBe(true);
    const executions = await collect(client.agents.listExecutions(agent.handle));
    expect(executions.length).toBeGreaterThan(0);
    for (const e of executions) {
      expect(e.completed_tasks).toBeLessThanOrEqual(e.total_tasks);
    }
  });
});

describe("telephony", () => {
  test("GET telephony/numbers/ and telephony/providers/", async () => {
    const numbers = await client.telephony.numbers.list();
    expect(numbers.data.length).toBeGreaterThan(0);
    for (const n of numbers.data) expect(n.number).toMatch(/^\+\d{8,15}$/);
    const providers = await client.telephony.providers.list();
    expect(providers.data.length).toBeGreaterThan(0);
    expect(providers.data[0]).toMatchObject({ id: expect.any(Number), name: expect.any(String) });
  });

  test("provider configurations: create, list, retrieve, update, delete", async () => {
    const provider = (await client.telephony.providers.list()).data[0];
    const created = await client.telephony.providerConfigurations.create({
      name: "Test account",
      provider: provider?.id as number,
      api_key: "AC-test",
      api_secret: "provider-secret",
    });
    expect(created).toMatchObject({ name: "Test account", provider: provider?.id, active: true });
    const listed = await collect(client.telephony.providerConfigurations.list());
    expect(listed.map((c) => c.id)).toContain(created.id);
    expect(await client.telephony.providerConfigurations.retrieve(created.id)).toEqual(created);
    const updated = await client.telephony.providerConfigurations.update(created.id, {
      name: "Renamed",
    });
    expect(updated.name).toBe("Renamed");
    await client.telephony.providerConfigurations.delete(created.id);
    expect(server.requests.at(-1)).toMatchObject({ method: "DELETE", status: 204 });
    const gone = await client.telephony.providerConfigurations
      .retrieve(created.id)
      .catch((e: { code: string }) => e.code);
    expect(gone).toBe("not_found");
  });

  test("bridges: create, list, retrieve, update, connect and disconnect a provider, delete", async () => {
    const number = (await client.telephony.numbers.list()).data[0];
    const config = (await client.telephony.providerConfigurations.list()).data[0];
    const bridge = await client.telephony.bridges.create({
      name: "Support line",
      description: "Inbound support",
      region: "US",
      numberIds: [number?.id as number],
    });
    expect(server.requests.at(-1)).toMatchObject({ method: "POST", status: 201 });
    expect(bridge).toMatchObject({ name: "Support line", region: "US", status: "ACTIVE" });
    expect(bridge.numbers.map((n) => n.number_id)).toEqual([number?.id]);

    const listed = await collect(client.telephony.bridges.list());
    expect(listed.map((b) => b.slug)).toContain(bridge.slug);
    expect(await client.telephony.bridges.retrieve(bridge.slug)).toEqual(bridge);

    const renamed = await client.telephony.bridges.update(bridge.slug, { name: "Support" });
    expect(renamed.name).toBe("Support");

    const linked = await client.telephony.bridges.connectProvider(bridge.slug, {
      number_id: number?.id as number,
      provider_configuration_id: config?.id as number,
    });
    expect(linked.provider_configuration?.id).toBe(config?.id);
    const unlinked = await client.telephony.bridges.disconnectProvider(bridge.slug, {
      number_id: number?.id as number,
    });
    expect(unlinked).toMatchObject({ id: number?.id, number: number?.number });

    await client.telephony.bridges.delete(bridge.slug);
    expect(server.requests.at(-1)).toMatchObject({ method: "DELETE", status: 204 });
  });
});

describe("call logs", () => {
  test("GET call-logs/ with paging and every filter", async () => {
    const all = await collect(client.callLogs.list({ pageSize: 7 }));
    const first = await client.callLogs.list({ pageSize: 7 });
    expect(all).toHaveLength(first.count as number);
    const inbound = await collect(client.callLogs.list({ callType: "inbound", pageSize: 50 }));
    expect(inbound.length).toBeGreaterThan(0);
    expect(inbound.every((c) => c.call_type === "inbound")).toBe(true);
    const status = all[0]?.call_status as string;
    const byStatus = await collect(client.callLogs.list({ callStatus: status }));
    expect(byStatus.every((c) => c.call_status === status)).toBe(true);
    const sorted = await client.callLogs.list({ sort: "call_duration", pageSize: 50 });
    const durations = sorted.data.map((c) => c.call_duration as number);
    expect(durations).toEqual([...durations].sort((a, b) => a - b));
    const day = String(all[0]?.start_time).slice(0, 10);
    const ranged = await collect(
      client.callLogs.list({ startDate: day, endDate: new Date(`${day}T23:59:59Z`) }),
    );
    expect(ranged.length).toBeGreaterThan(0);
    expect(ranged.every((c) => (c.start_time as string).startsWith(day))).toBe(true);
  });
});

describe("escape hatch", () => {
  test("request() and requestPage() reach any endpoint with the same machinery", async () => {
    const spaces = await client.request<Space[]>("GET", "spaces/", { require: ["orgHandle"] });
    expect(spaces.map((s) => s.token)).toContain(space.token);
    const page = await client.requestPage<{ task_id: string }>(`spaces/${space.token}/tasks/`, {
      pageSize: 3,
    });
    expect(page.data).toHaveLength(3);
    expect(page.hasMore).toBe(true);
  });
});

describe("session tokens", () => {
  test("POST speech/v1/sessions/token → a short-lived token for the pipe; unknown pipes 404; bad params never sent", async () => {
    const before = server.requests.length;
    const minted = await client.sessions.createToken({
      pipeId: "dev-pipe",
      metadata: { plan: "pro" },
    });
    expect(minted.token).toEqual(expect.any(String));
    const now = Date.now() / 1000;
    expect(minted.expires_at).toBeGreaterThan(now + 60);
    expect(minted.expires_at).toBeLessThanOrEqual(now + 121);
    expect(server.requests.at(-1)).toMatchObject({
      method: "POST",
      path: "/api/v2/platform/speech/v1/sessions/token",
      status: 200,
      requestId: expect.any(String),
      idempotencyKey: undefined,
      replayed: false,
    });
    // A fresh token every time (single-use each).
    expect((await client.sessions.createToken({ pipeId: "dev-pipe" })).token).not.toBe(
      minted.token,
    );
    await expect(client.sessions.createToken({ pipeId: "no-such-pipe" })).rejects.toMatchObject({
      name: "UnpodApiError",
      code: "not_found",
      status: 404,
    });
    const count = server.requests.length;
    await expect(client.sessions.createToken({ pipeId: "" })).rejects.toMatchObject({
      option: "pipeId",
    });
    await expect(
      client.sessions.createToken({ pipeId: "dev-pipe", metadata: [] as never }),
    ).rejects.toMatchObject({ option: "metadata" });
    expect(server.requests.length).toBe(count);
    expect(count - before).toBe(3);
  });
});
