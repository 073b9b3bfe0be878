import { inspect } from "node:util";
import type { DevServer } from "@unpod/dev-server";
import { freePort } from "@unpod/testing";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { AgentCall, AgentRunner, AgentTurn, RunnerEvents } from "../src/index.js";
import { FakeClock } from "./clock.js";
import { connect, devServer, mint, next, runnerFor, started, until, wait } from "./helpers.js";

// The runner against the dev server as its orchestrator, over real sockets: the control
// socket (register, heartbeat, assign → ack, refusals, job.cancel, fatal closes, reconnect)
// and the bridges (handshake, 4003, 4009), and close()'s drain.

let server: DevServer;
const runners: AgentRunner[] = [];
const closers: (() => Promise<unknown>)[] = [];

beforeAll(async () => {
  server = await devServer({ workers: { heartbeatInterval: 5 } });
});
afterEach(async () => {
  for (const close of closers.splice(0)) await close().catch(() => {});
  for (const r of runners.splice(0)) await r.close({ drainTimeout: 0 });
});
afterAll(() => server.close());

function runner(options: Parameters<typeof runnerFor>[1], on: DevServer = server): AgentRunner {
  const r = runnerFor(on, options);
  runners.push(r);
  return r;
}

/** Records a runner's events of one type. */
function record<K extends keyof RunnerEvents>(r: AgentRunner, type: K): RunnerEvents[K][] {
  const seen: RunnerEvents[K][] = [];
  r.on(type, (e) => seen.push(e));
  return seen;
}

const workerInfo = (r: AgentRunner, on: DevServer = server) =>
  on.workers.list().find((w) => w.workerId === r.workerId);

/** A text session served by `r` (its call live); returns the session and the runner's call. */
async function callOn(r: AgentRunner, room = "room-1") {
  const calls = record(r, "call");
  const session = await connect(server, await mint(server, room, `caller-of-${room}`));
  closers.push(() => session.disconnect());
  await until(() => calls.length > 0, 5000, "the runner's call");
  return { session, call: (calls[0] as { call: AgentCall }).call };
}

describe("the control socket", () => {
  it("registers with its capabilities and heartbeats on the orchestrator's interval (injected clock)", async () => {
    const clock = new FakeClock();
    const r = runner({
      onTurn: () => "",
      clock,
      maxSessions: 3,
      region: "eu-west",
      hostname: "box-1",
    });
    const registered = record(r, "registered");
    await started(r);
    expect(r.workerId).toMatch(/^dev-agent#[0-9a-f]{8}$/);
    expect(registered).toEqual([{ workerId: r.workerId, heartbeatIntervalS: 5 }]);
    expect(workerInfo(r)).toMatchObject({
      agentId: "dev-agent",
      pool: "dev-agent",
      maxConcurrent: 3,
      connected: true,
      registrations: 1,
      heartbeats: 0,
    });
    expect(clock.pending).toContain(5000);
    clock.advance(5000);
    await until(() => workerInfo(r)?.heartbeats === 1, 5000, "heartbeat 1");
    await wait(50); // the ping's pong comes back
    clock.advance(5000);
    await until(() => workerInfo(r)?.heartbeats === 2, 5000, "heartbeat 2");
    expect(workerInfo(r)?.reportedActiveJobs).toBe(0);
  });

  it("devMode registers in the agent_id@dev pool; a secretKey is sent as Bearer", async () => {
    const r = runner({
      onTurn: () => "",
      devMode: true,
      secretKey: server.credentials.apiToken,
      apiToken: undefined,
      orgHandle: undefined,
    });
    await started(r);
    expect(workerInfo(r)?.pool).toBe("dev-agent@dev");
  });

  it.each([
    ["a wrong API token", { apiToken: "f".repeat(40) }],
    ["an unknown Org-Handle", { orgHandle: "nobody-here" }],
    ["a wrong secretKey", { secretKey: "sk_not-a-key" }],
  ])(
    "%s: close 4001 stops run() with unauthorized, no retry, no secret in the error",
    async (_, creds) => {
      const r = runner({ onTurn: () => "", ...creds });
      const disconnects = record(r, "disconnected");
      const error = await r.run().then(
        () => undefined,
        (e: unknown) => e as Record<string, unknown>,
      );
      expect(error).toMatchObject({
        name: "UnpodSessionError",
        code: "unauthorized",
        closeCode: 4001,
      });
      expect(r.state).toBe("closed");
      expect(disconnects).toEqual([]);
      const shown = `${String(error?.message)} ${JSON.stringify(error)} ${inspect(error)}`;
      expect(shown).not.toContain(server.credentials.apiToken);
      expect(shown).not.toContain("f".repeat(40));
      expect(shown).not.toContain("sk_not-a-key");
    },
  );

  it.each([
    [1008, "forbidden"],
    [4001, "unauthorized"],
  ])("a %i close while registered is fatal: run() rejects with %s", async (code, errorCode) => {
    const r = runner({ onTurn: () => "" });
    const { done } = await started(r);
    server.workers.close(r.workerId, code, "go away");
    expect(await done).toMatchObject({ code: errorCode, closeCode: code });
    expect(r.state).toBe("closed");
  });

  it("a dropped socket: reconnects after 1 s ± 50 %, registers again as the same worker_id, and calls go on meanwhile", async () => {
    const clock = new FakeClock();
    const r = runner({ onTurn: (turn) => `got ${turn.text}`, clock });
    await started(r);
    const { session } = await callOn(r);
    const disconnects = record(r, "disconnected");
    server.workers.drop(r.workerId);
    await until(() => disconnects.length === 1, 5000, "the drop");
    const [first] = disconnects as [RunnerEvents["disconnected"]];
    expect(first).toMatchObject({ code: 1006, attempt: 1 });
    expect(first.delayMs).toBeGreaterThanOrEqual(500);
    expect(first.delayMs).toBeLessThanOrEqual(1500);
    expect(r.state).toBe("reconnecting");
    // The call lives on its own bridge.
    session.sendText("still there?");
    expect((await next(session, "agent_reply", (e) => e.final)).text).toBe("got still there?");
    clock.advance(first.delayMs);
    await until(() => r.state === "registered", 5000, "re-registration");
    expect(workerInfo(r)).toMatchObject({
      workerId: r.workerId,
      registrations: 2,
      connected: true,
    });
  });

  it("backoff doubles while the orchestrator is away (1 s, 2 s, 4 s, ±50 %), then resets after it is back", async () => {
    const port = await freePort();
    const creds = {
      apiTokens: [server.credentials.apiToken],
      orgHandle: server.credentials.orgHandle,
    };
    let away = await devServer({ port, ...creds });
    const clock = new FakeClock();
    const r = runner({ onTurn: () => "", clock }, away);
    const disconnects = record(r, "disconnected");
    await started(r);
    await away.close();
    for (let attempt = 1; attempt <= 3; attempt++) {
      await until(() => disconnects.length === attempt, 5000, `disconnect ${attempt}`);
      const { delayMs } = disconnects[attempt - 1] as RunnerEvents["disconnected"];
      const base = 1000 * 2 ** (attempt - 1);
      expect(delayMs).toBeGreaterThanOrEqual(base / 2);
      expect(delayMs).toBeLessThanOrEqual(base * 1.5);
      if (attempt < 3) clock.advance(delayMs);
    }
    expect(disconnects.map((d) => d.attempt)).toEqual([1, 2, 3]);
    away = await devServer({ port, ...creds });
    closers.push(() => away.close());
    clock.advance((disconnects[2] as RunnerEvents["disconnected"]).delayMs);
    await until(() => r.state === "registered", 5000, "registered again");
    expect(away.workers.list()[0]).toMatchObject({ workerId: r.workerId, registrations: 1 });
    away.workers.drop(r.workerId);
    await until(() => disconnects.length === 4, 5000, "the next drop");
    expect(disconnects[3]?.attempt).toBe(1);
  });

  it("gives up after maxReconnectAttempts with network_error", async () => {
    const port = await freePort();
    const clock = new FakeClock();
    const r = runner({
      onTurn: () => "",
      clock,
      maxReconnectAttempts: 2,
      orchestratorUrl: `ws://127.0.0.1:${port}`,
    });
    const disconnects = record(r, "disconnected");
    const done = r.run().then(
      () => undefined,
      (e: unknown) => e,
    );
    for (let attempt = 1; attempt <= 2; attempt++) {
      await until(() => disconnects.length === attempt, 5000, `attempt ${attempt}`);
      clock.advance((disconnects[attempt - 1] as RunnerEvents["disconnected"]).delayMs);
    }
    expect(await done).toMatchObject({ name: "UnpodConnectionError", code: "network_error" });
    expect(r.state).toBe("closed");
  });
});

describe("jobs", () => {
  it("answers job.assign within the deadline; refuses at_capacity and agent_id_mismatch", async () => {
    const r = runner({ onTurn: () => "", maxSessions: 1 });
    const jobs = record(r, "job");
    const calls = record(r, "call");
    await started(r);
    const ack = await server.workers.assign(r.workerId, {
      deadlineMs: 500,
      metadata: { plan: "pro" },
    });
    expect(ack).toMatchObject({ accepted: true });
    expect(ack.ackMs).toBeLessThan(500);
    await until(() => calls.length === 1, 5000, "the call");
    expect(calls[0]?.call).toMatchObject({
      callId: ack.callId,
      jobId: ack.jobId,
      metadata: { plan: "pro" },
    });
    expect(r.activeCalls).toBe(1);
    const busy = await server.workers.assign(r.workerId);
    expect(busy).toMatchObject({ accepted: false, reason: "at_capacity" });
    const other = await server.workers.assign(r.workerId, { agentId: "someone-else" });
    expect(other).toMatchObject({ accepted: false, reason: "agent_id_mismatch" });
    expect(jobs.map((j) => [j.jobId, j.accepted, j.reason])).toEqual([
      [ack.jobId, true, undefined],
      [busy.jobId, false, "at_capacity"],
      [other.jobId, false, "agent_id_mismatch"],
    ]);
  });

  it("job.cancel ends the call: its signal and the open turn's fire", async () => {
    let turn: AgentTurn | undefined;
    const r = runner({
      onTurn: async (t) => {
        turn = t;
        await new Promise((resolve) => t.signal.addEventListener("abort", resolve));
        return "never heard";
      },
    });
    await started(r);
    const { session, call } = await callOn(r);
    session.sendText("take your time");
    await until(() => turn !== undefined, 5000, "the turn");
    const info = server.workers.calls().find((c) => c.callId === call.callId);
    server.workers.cancel(info?.jobId as string);
    expect(await call.done).toMatchObject({ reason: "cancelled" });
    expect(call.signal.aborted).toBe(true);
    expect(turn?.abortReason).toBe("call_ended");
    expect(r.activeCalls).toBe(0);
  });
});

describe("bridges", () => {
  it("the handshake hands the call its ids and metadata (hello → hello.ack → call.started)", async () => {
    const r = runner({ onTurn: () => "" });
    await started(r);
    const { session, call } = await callOn(r, "room-7");
    const info = server.workers.calls().find((c) => c.callId === call.callId);
    expect(info).toMatchObject({ phase: "live", workerId: r.workerId, bridgeDials: 1 });
    expect(call).toMatchObject({
      sessionId: session.getSnapshot().sessionId,
      roomId: "room-7",
      agentId: "dev-agent",
      jobId: info?.jobId,
    });
    expect(call.ended).toBe(false);
  });

  it("4003 (a wrong call token) and 4009 (a second bridge for a live call) are reported, not fatal", async () => {
    const r = runner({ onTurn: (t) => `ok ${t.text}`, maxSessions: 5 });
    const errors = record(r, "error");
    await started(r);
    const bad = await server.workers.assign(r.workerId, { callToken: "not-the-token" });
    expect(bad.accepted).toBe(true);
    await until(() => errors.length === 1, 5000, "the 4003");
    expect(errors[0]).toMatchObject({ callId: bad.callId });
    expect(errors[0]?.error).toMatchObject({
      name: "UnpodSessionError",
      code: "forbidden",
      closeCode: 4003,
    });
    expect(JSON.stringify(errors[0]?.error)).not.toContain("not-the-token");

    const { session, call } = await callOn(r);
    const dup = await server.workers.assign(r.workerId, { callId: call.callId });
    expect(dup.accepted).toBe(true);
    await until(() => errors.length === 2, 5000, "the 4009");
    expect(errors[1]?.error).toMatchObject({ code: "session_replaced", closeCode: 4009 });
    expect(server.workers.calls().find((c) => c.callId === call.callId)).toMatchObject({
      phase: "live",
      bridgeRefusals: [4009],
    });
    session.sendText("still mine?");
    expect((await next(session, "agent_reply", (e) => e.final)).text).toBe("ok still mine?");
    expect(r.state).toBe("registered");
  });
});

describe("close()", () => {
  it("drains: no new calls, the live turn finishes, then it resolves when the call ends", async () => {
    const r = runner({
      async *onTurn(turn) {
        for (const word of ["one", "two", "three", "four"]) {
          await wait(60);
          if (turn.signal.aborted) return;
          yield `${word} `;
        }
      },
    });
    const states = record(r, "state");
    const { done } = await started(r);
    const { session } = await callOn(r);
    session.sendText("count");
    // Listen for the final reply now: on a loaded machine it may arrive before the checks
    // below are through.
    const finalReply = next(session, "agent_reply", (e) => e.final);
    await next(session, "agent_reply");
    const closing = r.close();
    expect(r.state).toBe("draining");
    await until(() => workerInfo(r)?.connected === false, 5000, "the control socket closed");
    // New sessions are not given to a draining runner: the echo agent answers them.
    const other = await connect(server, await mint(server, "room-2", "other"));
    closers.push(() => other.disconnect());
    other.sendText("anyone?");
    expect((await next(other, "agent_reply", (e) => e.final)).text).toBe("Echo: anyone?");
    expect((await finalReply).text).toBe("one two three four ");
    let closed = false;
    void closing.then(() => {
      closed = true;
    });
    await wait(100);
    expect(closed).toBe(false); // the call is still live
    await session.disconnect();
    await closing;
    expect(await done).toBeUndefined();
    expect(states.map((s) => s.state)).toEqual(["connecting", "registered", "draining", "closed"]);
  });

  it("past the drain timeout it ends the calls left: their turns abort with runner_closed", async () => {
    const clock = new FakeClock();
    let turn: AgentTurn | undefined;
    const r = runner({
      clock,
      onTurn: async (t) => {
        turn = t;
        await new Promise((resolve) => t.signal.addEventListener("abort", resolve));
      },
    });
    await started(r);
    const { session, call } = await callOn(r);
    session.sendText("hold on");
    await until(() => turn !== undefined, 5000, "the turn");
    const closing = r.close({ drainTimeout: "5s" });
    await wait(20);
    clock.advance(5000);
    await closing;
    expect(turn?.abortReason).toBe("runner_closed");
    expect(await call.done).toMatchObject({ reason: "runner_closed" });
    expect(r.state).toBe("closed");
  });

  it("is safe before run(), twice, and through Symbol.asyncDispose", async () => {
    const r = runner({ onTurn: () => "" });
    await r.close();
    await r.close();
    await r.run(); // resolves at once: closed
    expect(r.state).toBe("closed");
    const s = runner({ onTurn: () => "" });
    await started(s);
    await s[Symbol.asyncDispose]();
    expect(s.state).toBe("closed");
  });
});
