import type { UnpodSession } from "@unpod/browser";
import type { DevServer } from "@unpod/dev-server";
import { UnpodClient } from "@unpod/node";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  type AgentCall,
  type AgentRunner,
  type AgentRunnerOptions,
  type AgentTurn,
  type BridgeProblem,
  type CallEvents,
  MAX_REPLY_TEXT,
  type RunnerEvents,
  type TransferTarget,
} from "../src/index.js";
import { connect, devServer, mint, next, runnerFor, started, until, wait } from "./helpers.js";

// End to end from a Node `ws` session (@unpod/browser's UnpodSession) through the dev
// server to the runner's handler and back: text in, streamed replies out, in order. And the
// call's verbs as the dev server records them (server.workers.calls()[i].verbs).

let server: DevServer;
const runners: AgentRunner[] = [];
const sessions: UnpodSession[] = [];

beforeAll(async () => {
  server = await devServer({ pipes: [{ id: "sales-line", agentId: "sales" }] });
});
afterEach(async () => {
  for (const s of sessions.splice(0)) await s.disconnect().catch(() => {});
  for (const r of runners.splice(0)) await r.close({ drainTimeout: 0 });
});
afterAll(() => server.close());

async function serve(
  options: Partial<AgentRunnerOptions> & Pick<AgentRunnerOptions, "onTurn" | "entrypoint">,
) {
  const r = runnerFor(server, options as Parameters<typeof runnerFor>[1]);
  runners.push(r);
  const calls: AgentCall[] = [];
  const errors: RunnerEvents["error"][] = [];
  r.on("call", ({ call }) => calls.push(call));
  r.on("error", (e) => errors.push(e));
  await started(r);
  return { runner: r, calls, errors };
}

async function session(room = "room-1", identity = "user-1"): Promise<UnpodSession> {
  const s = await connect(server, await mint(server, room, identity));
  sessions.push(s);
  return s;
}

/** Every agent_reply of a session, in arrival order. */
function replies(s: UnpodSession) {
  const seen: { turnId: string; text: string; final: boolean; seq: number }[] = [];
  s.on("agent_reply", (e) =>
    seen.push({ turnId: e.turnId, text: e.text, final: e.final, seq: e.seq }),
  );
  return seen;
}

const words = (n: number) => Array.from({ length: n }, (_, i) => `w${i + 1} `);

describe("a streamed reply", () => {
  it("reaches the session as agent_reply deltas (growing, in order) and then one final", async () => {
    await serve({
      async *onTurn(turn) {
        for (const w of words(8)) {
          await wait(50);
          yield w;
        }
        yield `(you said ${turn.text})`;
      },
    });
    const s = await session();
    const seen = replies(s);
    const userTurn = next(s, "user_turn");
    s.sendText("hello");
    expect(await userTurn).toMatchObject({ text: "hello", final: true });
    await next(s, "agent_reply", (e) => e.final);
    const full = `${words(8).join("")}(you said hello)`;
    const finals = seen.filter((r) => r.final);
    expect(finals).toEqual([expect.objectContaining({ text: full })]);
    expect(seen.at(-1)?.final).toBe(true);
    const deltas = seen.slice(0, -1);
    expect(deltas.length).toBeGreaterThanOrEqual(3);
    for (const [i, d] of deltas.entries()) {
      expect(d.final).toBe(false);
      expect(full.startsWith(d.text)).toBe(true);
      if (i > 0)
        expect(d.text.length).toBeGreaterThan((deltas[i - 1] as { text: string }).text.length);
    }
    expect(seen.map((r) => r.seq)).toEqual([...seen.map((r) => r.seq)].sort((a, b) => a - b));
    expect(new Set(seen.map((r) => r.turnId)).size).toBe(1);
  });

  it.each([
    ["a string", () => "plain"],
    ["a promise", async () => "promised"],
    [
      "a ReadableStream",
      () =>
        new ReadableStream<string>({
          start(c) {
            c.enqueue("str");
            c.enqueue("eamed");
            c.close();
          },
        }),
    ],
  ])("%s is a reply too", async (_, onTurn) => {
    await serve({ onTurn });
    const s = await session();
    s.sendText("go");
    const text = (await next(s, "agent_reply", (e) => e.final)).text;
    expect(["plain", "promised", "streamed"]).toContain(text);
  });

  it("a second text while the first reply streams interrupts it: its signal fires with what was shown, no delta follows", async () => {
    const turns: AgentTurn[] = [];
    await serve({
      async *onTurn(turn) {
        turns.push(turn);
        if (turn.index > 1) {
          yield "second answer";
          return;
        }
        for (const w of words(100)) {
          await wait(20);
          yield w;
        }
      },
    });
    const s = await session();
    const seen = replies(s);
    s.sendText("tell me a long story");
    await until(() => seen.length >= 2, 5000, "a few deltas");
    s.sendText("stop");
    await next(s, "agent_reply", (e) => e.final && e.text === "second answer");
    const [first, second] = turns as [AgentTurn, AgentTurn];
    expect(first.signal.aborted).toBe(true);
    expect(first.abortReason).toBe("interrupted");
    expect(first.heardPrefix).toMatch(/^w1 w2 /);
    expect(second.text).toBe("stop");
    const finalOfFirst = seen.find((r) => r.turnId === "t1" && r.final);
    expect(finalOfFirst?.text).toBe(first.heardPrefix);
    expect(
      seen
        .filter((r) => r.turnId === "t1")
        .every((r) => (first.heardPrefix as string).startsWith(r.text)),
    ).toBe(true);
    const info = server.workers.calls().find((c) => c.sessionId === s.getSnapshot().sessionId);
    const [t1] = info?.turns ?? [];
    expect(t1).toMatchObject({ interrupted: true, ended: true, deltasAfterEnd: 0 });
    expect(t1?.deltasAfterInterrupt).toBeLessThanOrEqual(1); // at most one in flight
  });

  it("keeps the conversation: history has what the caller heard of an interrupted reply", async () => {
    const { calls } = await serve({
      async *onTurn(turn) {
        if (turn.index === 1) {
          yield "first ";
          await new Promise((r) => turn.signal.addEventListener("abort", r));
          return;
        }
        yield "ok";
      },
    });
    const s = await session();
    s.sendText("one");
    await next(s, "agent_reply");
    s.sendText("two");
    await next(s, "agent_reply", (e) => e.final && e.text === "ok");
    await until(() => (calls[0]?.history.length ?? 0) === 4, 2000, "the history");
    expect(calls[0]?.history).toEqual([
      { role: "user", text: "one", turnId: "t1" },
      { role: "agent", text: "first ", turnId: "t1", interrupted: true },
      { role: "user", text: "two", turnId: "t2" },
      { role: "agent", text: "ok", turnId: "t2" },
    ]);
  });

  it("a handler that throws is reported; the turn ends and the next one is served", async () => {
    const failure = new Error("LLM down");
    const { errors } = await serve({
      async *onTurn(turn) {
        if (turn.index === 1) {
          yield "partial ";
          throw failure;
        }
        yield "recovered";
      },
    });
    const s = await session();
    s.sendText("one");
    expect((await next(s, "agent_reply", (e) => e.final)).text).toBe("partial ");
    expect(errors).toEqual([expect.objectContaining({ error: failure, turnId: "t1" })]);
    s.sendText("two");
    expect((await next(s, "agent_reply", (e) => e.final)).text).toBe("recovered");
  });

  it("a reply of the wrong kind is an UnpodArgumentError naming reply", async () => {
    const { errors } = await serve({ onTurn: () => 42 as never });
    const s = await session();
    s.sendText("x");
    await until(() => errors.length === 1, 5000, "the error");
    expect(errors[0]?.error).toMatchObject({ name: "UnpodArgumentError", option: "reply" });
  });
});

describe("the call", () => {
  it("entrypoint: greets with say(), iterates turns(), reads metrics and states, hangs up with end()", async () => {
    const events: { type: keyof CallEvents; payload: unknown }[] = [];
    const { calls } = await serve({
      async entrypoint(call) {
        for (const type of ["state", "turn_metrics", "metric"] as const) {
          call.on(type, (payload) => events.push({ type, payload }));
        }
        call.say("Hi, I am the test agent.");
        for await (const turn of call.turns()) {
          await turn.reply(`Noted: ${turn.text}.`);
          if (turn.text === "bye") call.end("completed");
        }
      },
    });
    const s = await session();
    expect(await next(s, "agent_reply", (e) => e.final)).toMatchObject({
      text: "Hi, I am the test agent.",
    });
    s.sendText("hello");
    expect((await next(s, "agent_reply", (e) => e.final)).text).toBe("Noted: hello.");
    await until(() => events.some((e) => e.type === "turn_metrics"), 2000, "turn metrics");
    const metrics = events.find((e) => e.type === "turn_metrics")?.payload;
    expect(metrics).toMatchObject({ turnId: "t1", llmCallCount: 1, llmTtftMs: expect.any(Number) });
    expect(events.find((e) => e.type === "metric")?.payload).toMatchObject({ turns: 1 });
    expect(
      events.filter((e) => e.type === "state").map((e) => (e.payload as { state: string }).state),
    ).toEqual(["thinking", "listening"]);
    const left = next(s, "disconnected");
    s.sendText("bye");
    expect(await left).toMatchObject({ reason: "session_ended" });
    expect(await calls[0]?.done).toMatchObject({ reason: "ended", code: 1000 });
  });

  it.each<[string, (call: AgentCall) => void, Record<string, unknown>, string[]]>([
    ["dispatch()", (call) => call.dispatch("sales", { from: "support" }), { from: "support" }, []],
    [
      "a warm transfer() to an agent, announced,",
      (call) =>
        call.transfer({ to: "agent", agentId: "sales", mode: "warm", announcement: "Hold on." }),
      { transferred_from: "dev-agent" },
      ["Hold on."],
    ],
  ])(
    "%s hands the call to a runner of another agent, with metadata",
    async (_, handOver, metadata, said) => {
      const { calls } = await serve({
        onTurn(turn, call) {
          if (turn.text === "sales please") handOver(call);
          return "Passing you on.";
        },
      });
      const sales = await serve({ agentId: "sales", onTurn: (turn) => `Sales here: ${turn.text}` });
      const s = await session();
      const seen = replies(s);
      const passed = next(s, "agent_reply", (e) => e.final && e.text === "Passing you on.");
      s.sendText("sales please");
      await passed;
      expect(seen.filter((r) => r.final).map((r) => r.text)).toEqual([...said, "Passing you on."]);
      expect(await calls[0]?.done).toMatchObject({ reason: "ended", detail: "dispatched" });
      await until(() => sales.calls.length === 1, 5000, "the sales call");
      expect(sales.calls[0]?.metadata).toEqual(metadata);
      s.sendText("price?");
      expect((await next(s, "agent_reply", (e) => e.final)).text).toBe("Sales here: price?");
    },
  );

  it("a session token from client.sessions.createToken(): the pipe's runner gets the metadata; the token starts one session only", async () => {
    const sales = await serve({
      agentId: "sales",
      onTurn: (turn, call) => `${turn.text} for ${String(call.metadata.customer)}`,
    });
    const client = new UnpodClient({
      apiToken: server.credentials.apiToken,
      orgHandle: server.credentials.orgHandle,
      baseUrl: server.apiUrl,
    });
    const { token } = await client.sessions.createToken({
      pipeId: "sales-line",
      metadata: { customer: "c_42" },
    });
    const s = await connect(server, token);
    sessions.push(s);
    await until(() => sales.calls.length === 1, 5000, "the call");
    expect(sales.calls[0]).toMatchObject({ roomId: "sales-line", metadata: { customer: "c_42" } });
    s.sendText("a quote");
    expect((await next(s, "agent_reply", (e) => e.final)).text).toBe("a quote for c_42");
    const again = await connect(server, token).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(again).toMatchObject({ code: "unauthorized" });
    const res = await fetch(`${server.url}/v1/rtc/validate?access_token=${token}`);
    expect(await res.json()).toMatchObject({ status_code: 401, reason: "token_used" });
  });

  it("without a runner for the pipe's agent the echo agent answers; a runner that registers later takes the next turn", async () => {
    const s = await session("sales-line", "early-caller");
    s.sendText("anyone?");
    expect((await next(s, "agent_reply", (e) => e.final)).text).toBe("Echo: anyone?");
    await serve({ agentId: "sales", onTurn: () => "Sales, now." });
    s.sendText("now?");
    expect((await next(s, "agent_reply", (e) => e.final)).text).toBe("Sales, now.");
  });
});

describe("call.transfer()", () => {
  /** A call the dev server assigns to an entrypoint runner (no session behind it). */
  async function sessionless() {
    const problems: BridgeProblem[] = [];
    const { runner, calls } = await serve({
      entrypoint: (call) => void call.on("bridge_error", (p) => problems.push(p)),
    });
    await server.workers.assign(runner.workerId);
    await until(() => calls.length === 1, 5000, "the call");
    const call = calls[0] as AgentCall;
    /** The verbs the dev server recorded for the call. */
    const verbs = () => server.workers.calls().find((c) => c.callId === call.callId)?.verbs;
    return { call, problems, verbs };
  }

  it.each<[string, TransferTarget, [string, string, string, string]]>([
    [
      "number, cold by default",
      { to: "number", number: "+14155550100" },
      ["number", "+14155550100", "cold", ""],
    ],
    [
      "number, warm",
      { to: "number", number: "+442071838750", mode: "warm", announcement: "Dialling." },
      ["number", "+442071838750", "warm", "Dialling."],
    ],
    [
      "agent, cold",
      { to: "agent", agentId: "sales", mode: "cold", announcement: "Sales next." },
      ["agent", "sales", "cold", "Sales next."],
    ],
    [
      "agent, warm",
      { to: "agent", agentId: "billing-bot", mode: "warm" },
      ["agent", "billing-bot", "warm", ""],
    ],
    [
      "human, cold",
      { to: "human", queue: "billing", mode: "cold" },
      ["human", "billing", "cold", ""],
    ],
    [
      "human, warm",
      { to: "human", queue: "Billing Team — tier 2", mode: "warm", announcement: "Hold on." },
      ["human", "Billing Team — tier 2", "warm", "Hold on."],
    ],
  ])(
    "%s: sends agent.transfer with exactly the reference's fields",
    async (_, target, [type, to, mode, announcement]) => {
      const { call, problems, verbs } = await sessionless();
      expect(call.transfer(target)).toBe(true);
      await until(() => verbs()?.length === 1, 5000, "the recorded verb");
      expect(verbs()).toEqual([
        { event: "agent.transfer", transfer_type: type, target: to, mode, announcement },
      ]);
      if (type === "agent") return; // a call without a session has nobody to hand over
      // The dev server has no telephony: it says so with an `error` event, the call's bridge_error.
      await until(() => problems.length === 1, 5000, "the dev server's not_supported");
      expect(problems[0]).toEqual({
        severity: "warn",
        source: "internal",
        code: "not_supported",
        message: expect.stringContaining(`the ${type} transfer was recorded`),
      });
      expect(call.ended).toBe(false);
    },
  );

  it("a bad argument throws an UnpodArgumentError naming it, and sends nothing", async () => {
    const { call, verbs } = await sessionless();
    const bad: [string, unknown][] = [
      ["target", null],
      ["target", "+14155550100"],
      ["target.to", { to: "fax", number: "+14155550100" }],
      ["target.to", { number: "+14155550100" }],
      ["target.number", { to: "number" }],
      ["target.number", { to: "number", number: "+1 415 555 0100" }],
      ["target.number", { to: "number", agentId: "sales" }],
      ["target.agentId", { to: "agent", agentId: "" }],
      ["target.agentId", { to: "agent", agentId: "x".repeat(257) }],
      ["target.queue", { to: "human", queue: 42 }],
      ["target.queue", { to: "human", queue: "  " }],
      ["target.queue", { to: "human", queue: "billing\nteam" }],
      ["target.queue", { to: "human", queue: "q".repeat(257) }],
      ["target.mode", { to: "human", queue: "billing", mode: "hot" }],
      ["target.mode", { to: "human", queue: "billing", mode: "WARM" }],
      ["target.announcement", { to: "agent", agentId: "sales", announcement: 7 }],
      [
        "target.announcement",
        { to: "agent", agentId: "x", announcement: "a".repeat(MAX_REPLY_TEXT + 1) },
      ],
    ];
    for (const [option, target] of bad) {
      let thrown: unknown;
      try {
        call.transfer(target as TransferTarget);
      } catch (error) {
        thrown = error;
      }
      expect(thrown, JSON.stringify(target)?.slice(0, 80)).toMatchObject({
        name: "UnpodArgumentError",
        code: "invalid_argument",
        option,
      });
    }
    // One good transfer behind them on the same socket: the only verb recorded.
    expect(call.transfer({ to: "human", queue: "billing" })).toBe(true);
    await until(() => (verbs()?.length ?? 0) > 0, 5000, "the good transfer");
    expect(verbs()).toEqual([
      {
        event: "agent.transfer",
        transfer_type: "human",
        target: "billing",
        mode: "cold",
        announcement: "",
      },
    ]);
  });

  it("after the call ended it returns false and sends nothing", async () => {
    const { call, verbs } = await sessionless();
    server.workers.cancel(call.jobId);
    await call.done;
    expect(call.transfer({ to: "human", queue: "billing" })).toBe(false);
    expect(() => call.transfer({ to: "human", queue: "" })).toThrow(/target\.queue/);
    expect(verbs()).toEqual([]);
  });
});
