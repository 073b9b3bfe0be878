import { describe, expectTypeOf, it } from "vitest";
import {
  type AgentCall,
  AgentRunner,
  type AgentRunnerOptions,
  type AgentTurn,
  type CallEvents,
  createDialogHandler,
  type RunnerEvents,
  type TransferTarget,
} from "../src/index.js";

const creds = { agentId: "support", apiToken: "t", orgHandle: "o" } as const;

describe("AgentRunnerOptions", () => {
  it("takes exactly one of onTurn and entrypoint", () => {
    new AgentRunner({ ...creds, onTurn: () => "hi" });
    new AgentRunner({ ...creds, entrypoint: async () => {} });
    // @ts-expect-error neither
    new AgentRunner({ ...creds });
    // @ts-expect-error both
    new AgentRunner({ ...creds, onTurn: () => "", entrypoint: () => {} });
  });

  it("onTurn may answer with a string, a promise, a token stream, a ReadableStream or nothing", () => {
    const ok: AgentRunnerOptions["onTurn"][] = [
      () => "text",
      async () => "text",
      async function* () {
        yield "a";
      },
      () => new ReadableStream<string>(),
      () => {},
      async () => undefined,
    ];
    expectTypeOf(ok).not.toBeNever();
    // @ts-expect-error a number is no reply
    new AgentRunner({ ...creds, onTurn: () => 42 });
    const numbers = async function* () {
      yield 1;
    };
    // @ts-expect-error chunks must be strings
    new AgentRunner({ ...creds, onTurn: numbers });
  });

  it("the handler gets a typed turn and call", () => {
    new AgentRunner({
      ...creds,
      onTurn(turn, call) {
        expectTypeOf(turn).toEqualTypeOf<AgentTurn>();
        expectTypeOf(turn.signal).toEqualTypeOf<AbortSignal>();
        expectTypeOf(turn.heardPrefix).toEqualTypeOf<string | undefined>();
        expectTypeOf(call).toEqualTypeOf<AgentCall>();
        expectTypeOf(call.say).parameter(0).toEqualTypeOf<string>();
        return turn.text;
      },
    });
  });
});

describe("verbs and events", () => {
  it("transfer targets are a union keyed by `to`", () => {
    const targets: TransferTarget[] = [
      { to: "number", number: "+14155550100" },
      { to: "agent", agentId: "sales", mode: "warm" },
      { to: "human", queue: "billing", announcement: "One moment." },
    ];
    expectTypeOf(targets).not.toBeNever();
    // @ts-expect-error a number transfer needs a number
    const bad: TransferTarget = { to: "number", queue: "x" };
    void bad;
  });

  it("event payloads are typed by name", () => {
    expectTypeOf<RunnerEvents["job"]["accepted"]>().toEqualTypeOf<boolean>();
    expectTypeOf<CallEvents["interrupted"]["heardPrefix"]>().toEqualTypeOf<string | undefined>();
    expectTypeOf<CallEvents["end"]["reason"]>().toEqualTypeOf<
      "ended" | "cancelled" | "bridge_lost" | "runner_closed"
    >();
  });

  it("createDialogHandler is a Fetch-API handler", () => {
    expectTypeOf(createDialogHandler(() => "x")).toEqualTypeOf<
      (request: Request) => Promise<Response>
    >();
  });
});
