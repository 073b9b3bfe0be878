import { describe, expectTypeOf, it } from "vitest";
import {
  type DisconnectedEvent,
  type DisconnectReason,
  type SessionErrorEvent,
  type StateEvent,
  type TurnEvent,
  UnpodSession,
  type UnpodSessionOptions,
} from "../src/index.js";
import type { UnpodVoice, VoiceSnapshot, VoiceStatus } from "../src/voice/index.js";

declare const session: UnpodSession;
declare const voice: UnpodVoice;

describe("the session's event map", () => {
  it("on, once and waitFor give each event its payload", () => {
    session.on("agent_reply", (e) => expectTypeOf(e).toEqualTypeOf<TurnEvent>());
    session.once("state", (e) => expectTypeOf(e).toEqualTypeOf<StateEvent>());
    session.on("error", (e) => expectTypeOf(e).toEqualTypeOf<SessionErrorEvent>());
    expectTypeOf(session.waitFor("disconnected")).resolves.toEqualTypeOf<DisconnectedEvent>();
    expectTypeOf<DisconnectedEvent["reason"]>().toEqualTypeOf<DisconnectReason>();
    // The filter sees the same payload.
    void session.waitFor("user_turn", { filter: (t) => t.final, timeout: "5s" });
    // @ts-expect-error not an event of the session
    session.on("message", () => {});
    // @ts-expect-error the payload of agent_reply has no `reason`
    session.on("agent_reply", (e) => e.reason);
  });

  it("await using: the session is AsyncDisposable", () => {
    expectTypeOf(session).toMatchTypeOf<AsyncDisposable>();
  });
});

describe("options", () => {
  it("take exactly one of token and tokenSource", () => {
    expectTypeOf<{ serverUrl: string; token: string }>().toMatchTypeOf<UnpodSessionOptions>();
    expectTypeOf<{ serverUrl: string; tokenSource: string }>().toMatchTypeOf<UnpodSessionOptions>();
    // @ts-expect-error both
    new UnpodSession({ serverUrl: "wss://x", token: "t", tokenSource: "/t" });
    // @ts-expect-error neither
    new UnpodSession({ serverUrl: "wss://x" });
  });
});

describe("voice", () => {
  it("its snapshot and events are typed", () => {
    expectTypeOf<VoiceSnapshot["status"]>().toEqualTypeOf<VoiceStatus>();
    expectTypeOf<VoiceSnapshot["agentState"]>().toEqualTypeOf<
      "idle" | "listening" | "thinking" | "speaking"
    >();
    voice.on("interrupted", (e) =>
      expectTypeOf(e.reason).toEqualTypeOf<"barge_in" | "client" | "server">(),
    );
    expectTypeOf(voice.getInputLevel()).toBeNumber();
    // @ts-expect-error not a voice event
    voice.on("agent_reply", () => {});
  });
});
