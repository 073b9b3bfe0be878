import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  type AgentCall,
  AgentRunner,
  type AgentRunnerOptions,
  type AgentTurn,
  type CallEvents,
  type RunnerEvents,
} from "../src/index.js";
import { started, until, wait } from "./helpers.js";
import { type OrchestratorStub, orchestratorStub } from "./orchestratorStub.js";

// Bridge events the dev server never sends — a partial transcript (`user.text` with
// `is_final: false`), an `error` of every severity and source — from a bare orchestrator
// over real sockets (orchestratorStub.ts), and what the runner sends back.

let stub: OrchestratorStub;
let runner: AgentRunner | undefined;

beforeEach(async () => {
  stub = await orchestratorStub();
});
afterEach(async () => {
  await runner?.close({ drainTimeout: 0 });
  runner = undefined;
  await stub.close();
});

type Handler = Pick<AgentRunnerOptions, "onTurn"> | Pick<AgentRunnerOptions, "entrypoint">;

/** A registered runner on the stub; its calls, and the runner's `error` events. */
async function serve(handler: Handler) {
  runner = new AgentRunner({
    agentId: "dev-agent",
    orchestratorUrl: stub.orchestratorUrl,
    apiToken: "t".repeat(40),
    orgHandle: "org",
    ...handler,
  } as AgentRunnerOptions);
  const calls: AgentCall[] = [];
  const errors: RunnerEvents["error"][] = [];
  runner.on("call", ({ call }) => calls.push(call));
  runner.on("error", (e) => errors.push(e));
  await started(runner);
  return { calls, errors };
}

/** Records one event type of every call `runner` starts, from its `call` event on. */
function recordAll<K extends keyof CallEvents>(r: AgentRunner, type: K): CallEvents[K][] {
  const seen: CallEvents[K][] = [];
  r.on("call", ({ call }) => call.on(type, (p) => seen.push(p)));
  return seen;
}

const ends = (frames: Record<string, unknown>[]) =>
  frames.filter((f) => f.event === "agent.text.end").length;

describe("partial transcripts", () => {
  it("each is a partial event; only the final text is a turn, answered once", async () => {
    const turns: AgentTurn[] = [];
    const { calls } = await serve({
      onTurn(turn) {
        turns.push(turn);
        return `You said ${turn.text}.`;
      },
    });
    const partials = recordAll(runner as AgentRunner, "partial");
    const bridge = await stub.call();
    await until(() => calls.length === 1, 5000, "the call");
    bridge.send({ event: "user.text", text: "I want", is_final: false });
    bridge.send({ event: "user.text", text: "I want to", is_final: false, language: "en" });
    bridge.send({ event: "user.text", text: "I want to pay", is_final: true, turn_id: "t1" });
    await until(() => ends(bridge.received) === 1, 5000, "the reply");
    expect(partials).toEqual([{ text: "I want" }, { text: "I want to" }]);
    expect(turns.map((t) => [t.id, t.index, t.text])).toEqual([["t1", 1, "I want to pay"]]);
    expect(bridge.received).toEqual([
      { event: "agent.text.delta", text: "You said I want to pay." },
      { event: "agent.text.end" },
    ]);
    expect(calls[0]?.history).toEqual([
      { role: "user", text: "I want to pay", turnId: "t1" },
      { role: "agent", text: "You said I want to pay.", turnId: "t1" },
    ]);
  });

  it("a partial while a reply streams neither interrupts nor supersedes it", async () => {
    const turns: AgentTurn[] = [];
    await serve({
      async *onTurn(turn) {
        turns.push(turn);
        for (const word of ["one ", "two ", "three"]) {
          yield word;
          await wait(40);
        }
      },
    });
    const partials = recordAll(runner as AgentRunner, "partial");
    const bridge = await stub.call();
    bridge.send({ event: "user.text", text: "count", turn_id: "t1" });
    await until(() => bridge.received.length > 0, 5000, "the first delta");
    bridge.send({ event: "user.text", text: "and then", is_final: false });
    await until(() => ends(bridge.received) === 1, 5000, "the reply's end");
    expect(partials).toEqual([{ text: "and then" }]);
    expect(turns).toHaveLength(1);
    expect(turns[0]?.signal.aborted).toBe(false);
    expect(bridge.received).toEqual([
      { event: "agent.text.delta", text: "one " },
      { event: "agent.text.delta", text: "two " },
      { event: "agent.text.delta", text: "three" },
      { event: "agent.text.end" },
    ]);
  });
});

describe("bridge_error", () => {
  it("every severity and source arrives as sent; the call goes on, the runner's error event stays quiet", async () => {
    const { calls, errors } = await serve({ onTurn: (t) => `ok ${t.text}` });
    const problems = recordAll(runner as AgentRunner, "bridge_error");
    const bridge = await stub.call();
    await until(() => calls.length === 1, 5000, "the call");
    const sent = [
      { severity: "warn", source: "stt", code: "asr_slow", message: "Recognition is slow." },
      { severity: "error", source: "tts", code: "tts_failed", message: "A sentence was lost." },
      { severity: "fatal", source: "transport", code: "media_lost", message: "Media is gone." },
      { severity: "warn", source: "internal", code: "not_supported", message: "" },
    ];
    // A malformed one (no such severity) is dropped, not reported.
    bridge.send({ event: "error", severity: "panic", source: "stt", code: "x", message: "x" });
    for (const e of sent) bridge.send({ event: "error", ...e });
    bridge.send({ event: "user.text", text: "still there?", turn_id: "t1" });
    await until(() => ends(bridge.received) === 1, 5000, "the reply");
    expect(problems).toEqual(sent);
    expect(errors).toEqual([]);
    expect(calls[0]?.ended).toBe(false);
    expect(bridge.received[0]).toEqual({ event: "agent.text.delta", text: "ok still there?" });
  });
});

describe("events that come with call.started", () => {
  const early = [
    { event: "state", state: "listening" },
    { event: "user.text", text: "hel", is_final: false },
    { event: "error", severity: "warn", source: "stt", code: "asr_slow", message: "slow" },
    { event: "user.text", text: "hello", turn_id: "t1" },
  ];

  it("reach the listeners an entrypoint adds as it starts", async () => {
    const seen: string[] = [];
    await serve({
      async entrypoint(call) {
        call.on("state", (e) => seen.push(`state ${e.state}`));
        call.on("partial", (e) => seen.push(`partial ${e.text}`));
        call.on("bridge_error", (e) => seen.push(`bridge_error ${e.code}`));
        for await (const turn of call.turns()) {
          seen.push(`turn ${turn.text}`);
          await turn.reply("hi");
        }
      },
    });
    const bridge = await stub.call(early);
    await until(() => ends(bridge.received) === 1, 5000, "the reply");
    expect(seen).toEqual(["state listening", "partial hel", "bridge_error asr_slow", "turn hello"]);
  });

  it("reach the listeners added on the runner's call event", async () => {
    await serve({ onTurn: () => "hi" });
    const states = recordAll(runner as AgentRunner, "state");
    const partials = recordAll(runner as AgentRunner, "partial");
    const problems = recordAll(runner as AgentRunner, "bridge_error");
    const bridge = await stub.call(early);
    await until(() => ends(bridge.received) === 1, 5000, "the reply");
    expect(states).toEqual([{ state: "listening", turnId: undefined }]);
    expect(partials).toEqual([{ text: "hel" }]);
    expect(problems).toEqual([expect.objectContaining({ code: "asr_slow" })]);
  });
});
