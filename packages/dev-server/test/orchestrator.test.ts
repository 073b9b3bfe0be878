import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import type { DevServer } from "../src/index.js";
import { parsePipeFlag, resolvePipes } from "../src/orchestrator/pipes.js";
import { api, FakeClock, mint, RtcClient, rtcUrl, start, waitFor } from "./helpers.js";

// The orchestrator side of the agent-runner protocol, driven by a raw `ws` peer: what a
// correct runner (@unpod/agent, tested against this server in its own package) never
// sends — bad credentials, broken frames, late acks, stray verbs — and the clock-driven
// rules (register and heartbeat deadlines, the ack deadline, the 20 s pairing window).

type Msg = Record<string, unknown>;

/** A raw runner-protocol socket (control or bridge): JSON frames in, a close out. */
class Peer {
  readonly ws: WebSocket;
  readonly got: Msg[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  #read = 0;

  constructor(url: string, headers: Record<string, string> = {}) {
    this.ws = new WebSocket(url, { headers });
    this.ws.on("message", (d) => this.got.push(JSON.parse(String(d)) as Msg));
    this.ws.on("error", () => {});
    this.closed = new Promise((resolve) =>
      this.ws.on("close", (code, reason) => resolve({ code, reason: String(reason) })),
    );
  }

  opened(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.ws.once("open", () => resolve());
      this.ws.once("close", (code) => reject(new Error(`closed ${code}`)));
    });
  }

  send(frame: unknown): void {
    this.ws.send(typeof frame === "string" ? frame : JSON.stringify(frame));
  }

  /** The next unread message whose `type`/`event` is `tag`. */
  async next(tag: string, timeout = 3000): Promise<Msg> {
    const deadline = Date.now() + timeout;
    for (;;) {
      while (this.#read < this.got.length) {
        const m = this.got[this.#read++] as Msg;
        if (m.type === tag || m.event === tag) return m;
      }
      if (Date.now() > deadline) throw new Error(`no ${tag}; got ${JSON.stringify(this.got)}`);
      await new Promise((r) => setTimeout(r, 5));
    }
  }
}

let server: DevServer;
const peers: Peer[] = [];
const clients: RtcClient[] = [];

const control = (s: DevServer, headers?: Record<string, string>) => {
  const p = new Peer(`${s.rtcUrl}/v1/internal/workers`, headers ?? tokenAuth(s));
  peers.push(p);
  return p;
};
const tokenAuth = (s: DevServer) => ({
  Authorization: `Token ${s.credentials.apiToken}`,
  "Org-Handle": s.credentials.orgHandle,
});
const register = (agentId = "dev-agent", extra: Msg = {}) => ({
  type: "register",
  worker_id: `${agentId}#0123abcd`,
  pool: agentId,
  capabilities: {
    voice_profiles: [],
    max_concurrent: 4,
    agent_id: agentId,
    transport: "dial_out",
    kind: "brain",
  },
  ...extra,
});

/** A registered raw runner of `agentId`. */
async function registered(s: DevServer, agentId = "dev-agent"): Promise<Peer> {
  const p = control(s);
  await p.opened();
  p.send(register(agentId));
  await p.next("registered");
  return p;
}

/** A session on `s` (room-1 unless told), its socket open and joined. */
async function session(s: DevServer, room = "room-1"): Promise<RtcClient> {
  const c = await RtcClient.connect(rtcUrl(s, { access_token: await mint(s, { room }) }));
  clients.push(c);
  await c.next("joined");
  return c;
}

/** Accepts the next job.assign (and returns it). */
async function acceptNext(runner: Peer): Promise<Msg> {
  const job = await runner.next("job.assign");
  runner.send({ type: "job.ack", job_id: job.job_id, assign_id: job.assign_id, accepted: true });
  return job;
}

/** Accepts the next job.assign and dials its bridge through the handshake. */
async function acceptAndBridge(runner: Peer, hello: Msg = {}) {
  const job = await acceptNext(runner);
  const bridge = new Peer(`${String(job.bridge_url)}?token=${String(job.call_token)}`);
  peers.push(bridge);
  await bridge.opened();
  bridge.send({
    event: "hello",
    protocol_version: 2,
    supported_events: ["user.text", "user.interrupted", "state", "error", "metric", "turn.metrics"],
    supported_verbs: [
      "agent.text.delta",
      "agent.text.end",
      "agent.say",
      "agent.transfer",
      "agent.end_call",
    ],
    ...hello,
  });
  return { job, bridge };
}

beforeAll(async () => {
  server = await start({ env: false });
});
afterEach(() => {
  for (const p of peers.splice(0)) p.ws.terminate();
  for (const c of clients.splice(0)) c.ws.terminate();
});
afterAll(() => server.close());

describe("the control socket", () => {
  it.each<[string, Record<string, string>]>([
    ["no Authorization", {}],
    ["a Token without Org-Handle", { Authorization: "Token x" }],
    ["an unknown token", { Authorization: "Token abc", "Org-Handle": "unpod-dev" }],
    ["another scheme", { Authorization: "Basic abc" }],
  ])("%s → close 4001", async (_, headers) => {
    const p = control(server, headers);
    expect(await p.closed).toEqual({ code: 4001, reason: "credential refused" });
  });

  it("Token + Org-Handle, or Bearer <api token>, → registered {heartbeat_interval_s, transport_ack}", async () => {
    for (const headers of [
      tokenAuth(server),
      { Authorization: `Bearer ${server.credentials.apiToken}` },
    ]) {
      const p = control(server, headers);
      await p.opened();
      p.send(register());
      expect(await p.next("registered")).toEqual({
        type: "registered",
        heartbeat_interval_s: 30,
        transport_ack: "dial_out",
      });
      p.ws.close();
      await p.closed;
    }
  });

  it.each<[string, unknown]>([
    [
      "a heartbeat before register",
      { type: "heartbeat", active_jobs: 0, worker_id: "dev-agent#0123abcd" },
    ],
    ["a worker_id not <agent_id>#<8 hex>", register("dev-agent", { worker_id: "me" })],
    ["a pool of another agent", register("dev-agent", { pool: "other" })],
    ["malformed JSON", "{"],
    [
      "a register with a bad capability",
      register("dev-agent", { capabilities: { kind: "brain" } }),
    ],
  ])("%s → close 1008", async (_, frame) => {
    const p = control(server);
    await p.opened();
    p.send(frame);
    expect((await p.closed).code).toBe(1008);
  });

  it("ignores frame types it does not know (a newer runner), and registered twice is 1008", async () => {
    const p = await registered(server);
    p.send({ type: "telemetry", cpu: 0.3 });
    p.send({ type: "heartbeat", active_jobs: 2, worker_id: "dev-agent#0123abcd" });
    await waitFor(() => server.workers.list()[0]?.heartbeats === 1);
    expect(server.workers.list()[0]).toMatchObject({ reportedActiveJobs: 2, connected: true });
    p.send(register());
    expect((await p.closed).code).toBe(1008);
  });

  it("register within 10 s, and a heartbeat within 3 intervals, or the socket is closed (injected clock)", async () => {
    const clock = new FakeClock();
    const s = await start({ env: false, clock, workers: { heartbeatInterval: 5 } });
    try {
      const silent = control(s);
      await silent.opened();
      clock.advance(10_000);
      expect(await silent.closed).toEqual({ code: 1008, reason: "register expected" });
      const p = await registered(s);
      clock.advance(5000);
      clock.advance(5000);
      p.send({ type: "heartbeat", active_jobs: 0, worker_id: "dev-agent#0123abcd" });
      await waitFor(() => s.workers.list()[0]?.heartbeats === 1);
      clock.advance(15_000);
      expect(
        await Promise.race([p.closed, new Promise((r) => setTimeout(() => r("open"), 100))]),
      ).toBe("open");
      clock.advance(5000);
      expect(await p.closed).toEqual({ code: 1001, reason: "no heartbeat" });
    } finally {
      await s.close();
    }
  });
});

describe("jobs", () => {
  it("a session on the pipe is assigned: job.assign carries the call, the bridge URL and the deadline", async () => {
    const runner = await registered(server);
    await session(server);
    const job = await runner.next("job.assign");
    expect(job).toMatchObject({
      type: "job.assign",
      job_id: expect.stringMatching(/^JB_/),
      call_id: expect.stringMatching(/^CA_/),
      agent_id: "dev-agent",
      assign_id: expect.stringMatching(/^AS_/),
      deadline_ms: 2000,
      metadata: {},
    });
    expect(job.bridge_url).toBe(`${server.rtcUrl}/v1/internal/bridge/${String(job.call_id)}`);
    expect(server.workers.calls().find((c) => c.callId === job.call_id)?.phase).toBe("assigning");
  });

  it("no ack by the deadline: job.cancel, and the waiting turn is answered with agent_unavailable", async () => {
    const clock = new FakeClock();
    const s = await start({ env: false, clock });
    try {
      const runner = await registered(s);
      const c = await session(s);
      const job = await runner.next("job.assign");
      c.send({ type: "user_text", seq: 1, text: "hello?" });
      await c.next("user_turn");
      clock.advance(2000);
      expect(await runner.next("job.cancel")).toEqual({ type: "job.cancel", job_id: job.job_id });
      expect(await c.next("error")).toMatchObject({ code: "agent_unavailable" });
      // A late ack starts nothing.
      runner.send({
        type: "job.ack",
        job_id: job.job_id,
        assign_id: job.assign_id,
        accepted: true,
      });
      await new Promise((r) => setTimeout(r, 50));
      expect(s.workers.calls().find((x) => x.callId === job.call_id)?.phase).toBe("ended");
    } finally {
      await s.close();
    }
  });

  it("a refusal moves on to the next runner of the agent", async () => {
    const refuser = await registered(server);
    const other = control(server);
    await other.opened();
    other.send(register("dev-agent", { worker_id: "dev-agent#99990000" }));
    await other.next("registered");
    await session(server);
    // The first assignment goes to one of them; whichever it is refuses.
    const assigned = (p: Peer) => p.got.some((m) => m.type === "job.assign");
    await waitFor(() => assigned(refuser) || assigned(other));
    const [firstPeer, taker] = assigned(refuser) ? [refuser, other] : [other, refuser];
    const first = await firstPeer.next("job.assign");
    firstPeer.send({
      type: "job.ack",
      job_id: first.job_id,
      assign_id: first.assign_id,
      accepted: false,
      reason: "at_capacity",
    });
    const second = await taker.next("job.assign");
    expect(second.call_id).toBe(first.call_id);
    expect(second.job_id).not.toBe(first.job_id);
  });
});

describe("bridges", () => {
  it("hello → hello.ack (negotiated) → call.started; user text becomes user.text; deltas, end → agent_reply, metrics", async () => {
    const runner = await registered(server);
    const c = await session(server, "room-9");
    const { job, bridge } = await acceptAndBridge(runner, {
      supported_events: ["user.text", "turn.metrics", "fancy.new"],
    });
    const ack = await bridge.next("hello.ack");
    expect(ack).toMatchObject({
      protocol_version: 2,
      negotiated_events: ["user.text", "turn.metrics"],
      negotiated_verbs: [
        "agent.text.delta",
        "agent.text.end",
        "agent.say",
        "agent.transfer",
        "agent.end_call",
      ],
      call_id: job.call_id,
      job_id: job.job_id,
      room_id: "room-9",
    });
    const started = await bridge.next("call.started");
    expect(started).toMatchObject({
      session_id: ack.session_id,
      room_id: "room-9",
      metadata: {},
      agent_id: "dev-agent",
    });
    c.send({ type: "user_text", seq: 1, text: "hi" });
    expect(await bridge.next("user.text")).toEqual({
      event: "user.text",
      text: "hi",
      is_final: true,
      turn_id: "t1",
    });
    bridge.send({ event: "agent.text.delta", text: "Hel" });
    expect(await c.next("agent_reply")).toMatchObject({ turn_id: "t1", text: "Hel", final: false });
    bridge.send({ event: "agent.text.delta", text: "lo" });
    bridge.send({ event: "agent.text.end" });
    expect(await c.next("agent_reply")).toMatchObject({
      turn_id: "t1",
      text: "Hello",
      final: true,
    });
    expect(await bridge.next("turn.metrics")).toMatchObject({
      call_id: job.call_id,
      turn_id: "t1",
      llm_call_count: 1,
      llm_ttft_ms: expect.any(Number),
    });
  });

  it("4003 for an unknown call or a wrong token, 4009 for a second live bridge; 1008 without hello first or for another protocol_version", async () => {
    const runner = await registered(server);
    await session(server);
    const { job, bridge } = await acceptAndBridge(runner);
    await bridge.next("call.started");
    const url = String(job.bridge_url);
    const dial = (u: string) => {
      const p = new Peer(u);
      peers.push(p);
      return p.closed;
    };
    expect((await dial(`${url}?token=${String(job.call_token)}`)).code).toBe(4009);
    expect((await dial(`${url}?token=wrong`)).code).toBe(4003);
    expect((await dial(`${server.rtcUrl}/v1/internal/bridge/CA_nope?token=x`)).code).toBe(4003);
    expect(server.workers.calls().find((x) => x.callId === job.call_id)?.bridgeRefusals).toEqual([
      4009, 4003,
    ]);

    for (const first of [
      { event: "agent.say", text: "hi" },
      { event: "hello", protocol_version: 3, supported_events: [], supported_verbs: [] },
    ]) {
      await session(server);
      const next = await runner.next("job.assign");
      runner.send({
        type: "job.ack",
        job_id: next.job_id,
        assign_id: next.assign_id,
        accepted: true,
      });
      const peer = new Peer(`${String(next.bridge_url)}?token=${String(next.call_token)}`);
      peers.push(peer);
      await peer.opened();
      peer.send(first);
      expect((await peer.closed).code).toBe(1008);
    }
  });

  it("a bridge not dialled within 20 s of the assignment: the call ends, job.cancel, a late dial gets 4003", async () => {
    const clock = new FakeClock();
    const s = await start({ env: false, clock });
    try {
      const runner = await registered(s);
      await session(s);
      const job = await acceptNext(runner);
      await waitFor(() => s.workers.calls()[0]?.phase === "awaiting_bridge");
      clock.advance(20_000);
      expect(await runner.next("job.cancel")).toMatchObject({ job_id: job.job_id });
      expect(s.workers.calls()[0]).toMatchObject({
        phase: "ended",
        endReason: "bridge_not_dialled",
      });
      const late = new Peer(`${String(job.bridge_url)}?token=${String(job.call_token)}`);
      peers.push(late);
      expect((await late.closed).code).toBe(4003);
    } finally {
      await s.close();
    }
  });

  it("stray verbs get error events (warn); five malformed ones close the bridge with 1008", async () => {
    const runner = await registered(server);
    const c = await session(server);
    const { bridge } = await acceptAndBridge(runner, {
      supported_verbs: ["agent.text.delta", "agent.text.end"],
    });
    await bridge.next("call.started");
    bridge.send({ event: "agent.text.delta", text: "nobody asked" });
    expect(await bridge.next("error")).toMatchObject({
      severity: "warn",
      source: "internal",
      code: "no_open_turn",
    });
    bridge.send({ event: "agent.say", text: "not negotiated" });
    expect(await bridge.next("error")).toMatchObject({ code: "not_negotiated" });
    bridge.send({ event: "agent.teleport" });
    expect(await bridge.next("error")).toMatchObject({ code: "unknown_verb" });
    for (let i = 0; i < 5; i++) bridge.send({ event: "agent.text.delta", text: 5 });
    expect((await bridge.closed).code).toBe(1008);
    expect(await c.next("error")).toMatchObject({ code: "agent_unavailable" });
  });

  it("transfers are recorded and announced (no telephony here); end_call ends the session", async () => {
    const runner = await registered(server);
    const c = await session(server);
    const { job, bridge } = await acceptAndBridge(runner);
    await bridge.next("call.started");
    bridge.send({
      event: "agent.transfer",
      transfer_type: "human",
      target: "billing",
      mode: "warm",
      announcement: "One moment.",
    });
    expect(await c.next("agent_reply")).toMatchObject({ text: "One moment.", final: true });
    expect(await bridge.next("error")).toMatchObject({ code: "not_supported" });
    expect(server.workers.calls().find((x) => x.callId === job.call_id)?.verbs).toEqual([
      {
        event: "agent.transfer",
        transfer_type: "human",
        target: "billing",
        mode: "warm",
        announcement: "One moment.",
      },
    ]);
    bridge.send({ event: "agent.end_call", reason: "completed" });
    expect(await c.next("leave")).toMatchObject({ reason: "session_ended" });
    expect(await bridge.closed).toMatchObject({ code: 1000 });
  });
});

describe("session tokens and pipes", () => {
  it("POST speech/v1/sessions/token validates its body", async () => {
    const post = (body: unknown) =>
      api(server, "speech/v1/sessions/token", { method: "POST", body });
    expect((await post({})).status).toBe(400);
    expect((await post({})).json).toMatchObject({
      errors: { pipe_id: ["This field is required."] },
    });
    expect((await post({ pipe_id: "dev-pipe", metadata: [1] })).json).toMatchObject({
      errors: { metadata: ["Expected a dictionary of items."] },
    });
    expect((await post({ pipe_id: "nope" })).status).toBe(404);
    expect(
      (await api(server, "speech/v1/sessions/token", { method: "POST", token: null, body: {} }))
        .status,
    ).toBe(401);
    const ok = await post({ pipe_id: "dev-pipe" });
    expect(ok.status).toBe(200);
    expect(ok.json).toMatchObject({
      status_code: 200,
      data: { token: expect.any(String), expires_at: expect.any(Number) },
    });
  });

  it("pipes: the option is checked field by field; --pipe reads id=agent or id=URL", () => {
    expect(resolvePipes(undefined)).toEqual([{ id: "dev-pipe", agentId: "dev-agent" }]);
    expect(resolvePipes([{ id: "dev-pipe", agentId: "mine" }])).toEqual([
      { id: "dev-pipe", agentId: "mine", voiceProfileId: undefined },
    ]);
    expect(() => resolvePipes([{ id: "a", agentId: "x", agentEndpoint: "https://e" }])).toThrow(
      /pipes\[0\]/,
    );
    expect(() => resolvePipes([{ id: "a b", agentId: "x" }])).toThrow(/pipes\[0\]\.id/);
    expect(() => resolvePipes([{ id: "a", agentEndpoint: "http://10.0.0.1/x" }])).toThrow(
      /pipes\[0\]\.agentEndpoint/,
    );
    expect(() =>
      resolvePipes([
        { id: "a", agentId: "x" },
        { id: "a", agentId: "y" },
      ]),
    ).toThrow(/pipes\[1\]\.id/);
    expect(parsePipeFlag("sales=sales-agent")).toEqual({ id: "sales", agentId: "sales-agent" });
    expect(parsePipeFlag("web=http://127.0.0.1:9/turn")).toEqual({
      id: "web",
      agentEndpoint: "http://127.0.0.1:9/turn",
    });
    expect(() => parsePipeFlag("nothing")).toThrow(/--pipe/);
  });

  it("an endpoint that answers badly, or not at all, reaches the session as an error frame", async () => {
    let answer: (res: import("node:http").ServerResponse) => void = () => {};
    const http: Server = createServer((_req, res) => answer(res));
    await new Promise<void>((r) => http.listen(0, "127.0.0.1", r));
    const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}/turn`;
    const s = await start({
      env: false,
      pipes: [
        { id: "web", agentEndpoint: url },
        { id: "gone", agentEndpoint: "http://127.0.0.1:9/x" },
      ],
    });
    try {
      const c = await session(s, "web");
      answer = (res) => res.writeHead(200, { "Content-Type": "application/json" }).end("not json");
      c.send({ type: "user_text", seq: 1, text: "hi" });
      expect(await c.next("error")).toMatchObject({ code: "agent_error" });
      answer = (res) =>
        res.writeHead(200, { "Content-Type": "application/json" }).end('{"reply":"x"}');
      c.send({ type: "user_text", seq: 2, text: "hi" });
      expect(await c.next("error")).toMatchObject({ code: "agent_error" });
      const gone = await session(s, "gone");
      gone.send({ type: "user_text", seq: 1, text: "hi" });
      expect(await gone.next("error")).toMatchObject({
        code: "agent_error",
        message: expect.stringContaining("reached"),
      });
    } finally {
      await s.close();
      await new Promise((r) => http.close(r));
    }
  });
});

describe("server.reset() with runners", () => {
  it("ends runner calls and forgets them; connected runners stay; used session tokens stay used", async () => {
    const s = await start({ env: false });
    try {
      // Session tokens first, while no runner is connected (their sessions need none).
      const mintToken = async () =>
        (
          await api(s, "speech/v1/sessions/token", {
            method: "POST",
            body: { pipe_id: "dev-pipe" },
          })
        ).json.data.token as string;
      const used = await mintToken();
      const unused = await mintToken();
      const first = await RtcClient.connect(rtcUrl(s, { access_token: used }));
      clients.push(first);
      await first.next("joined");

      const runner = await registered(s);
      const c = await session(s);
      const { bridge } = await acceptAndBridge(runner);
      await bridge.next("call.started");
      // A job with no session behind it, accepted and never bridged.
      const assigned = s.workers.assign("dev-agent#0123abcd");
      const job = await acceptNext(runner);
      expect((await assigned).accepted).toBe(true);
      expect(s.workers.calls().filter((call) => call.phase !== "ended")).toHaveLength(2);

      await s.reset();

      expect(await c.next("leave")).toMatchObject({ reason: "session_ended" });
      expect(await bridge.closed).toMatchObject({ code: 1000 });
      // The accepted, never-bridged job is cancelled.
      expect(await runner.next("job.cancel")).toMatchObject({ job_id: job.job_id });
      expect(s.workers.calls()).toEqual([]);
      expect(s.workers.list().map((w) => [w.workerId, w.connected])).toEqual([
        ["dev-agent#0123abcd", true],
      ]);
      // The runner still serves the next test's session.
      await session(s);
      await runner.next("job.assign");
      // Single use survives the reset; an unused token still starts its one session.
      const again = await fetch(
        `${s.url}/v1/rtc/validate?access_token=${encodeURIComponent(used)}`,
      );
      expect(again.status).toBe(401);
      expect(JSON.stringify(await again.json())).toContain("token_used");
      const fresh = await RtcClient.connect(rtcUrl(s, { access_token: unused }));
      clients.push(fresh);
      await fresh.next("joined");
    } finally {
      await s.close();
    }
  });
});
