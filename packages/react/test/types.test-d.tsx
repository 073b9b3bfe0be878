import type { DisconnectedEvent, SessionErrorEvent, TurnEvent, UnpodSession } from "@unpod/browser";
import type { UnpodAudioError, UnpodSessionError } from "@unpod/core";
import { describe, expectTypeOf, it } from "vitest";
import {
  hasErrorCode,
  isUnpodSessionError,
  UnpodProvider,
  type UnpodProviderProps,
  useConnectionState,
  useSessionEvent,
  useSessionSelector,
} from "../src/index.js";
import { isUnpodAudioError, useVoice, UnpodProvider as VoiceProvider } from "../src/voice/index.js";

declare const session: UnpodSession;

describe("provider props", () => {
  it("serverUrl with exactly one of token and tokenSource, or a shared session", () => {
    expectTypeOf<{ serverUrl: string; token: string }>().toMatchTypeOf<UnpodProviderProps>();
    expectTypeOf<{ session: UnpodSession }>().toMatchTypeOf<UnpodProviderProps>();
    // @ts-expect-error both token and tokenSource
    <UnpodProvider serverUrl="wss://x" token="t" tokenSource="/t" />;
    // @ts-expect-error a shared session with session-creating props
    <UnpodProvider session={session} serverUrl="wss://x" />;
  });

  it("the callbacks get the event payloads", () => {
    <UnpodProvider
      serverUrl="wss://x"
      token="t"
      onConnected={() => {}}
      onDisconnected={(e) => expectTypeOf(e).toEqualTypeOf<DisconnectedEvent>()}
      onError={(e) => expectTypeOf(e).toEqualTypeOf<SessionErrorEvent>()}
    />;
  });

  it("the voice provider needs `voice`, and owns its session (no shared one)", () => {
    <VoiceProvider serverUrl="wss://x" tokenSource="/t" connect={false} voice={{}} />;
    // @ts-expect-error voice is required here
    <VoiceProvider serverUrl="wss://x" tokenSource="/t" />;
    // @ts-expect-error no shared session
    <VoiceProvider session={session} voice={{}} />;
  });
});

describe("hooks", () => {
  it("useSessionEvent gives the handler the event's payload", () => {
    useSessionEvent("agent_reply", (e) => expectTypeOf(e).toEqualTypeOf<TurnEvent>());
    // @ts-expect-error not an event
    useSessionEvent("message", () => {});
  });

  it("state hooks take an explicit session; the selector keeps its isEqual shorthand", () => {
    expectTypeOf(useConnectionState({ session })).toEqualTypeOf<
      "idle" | "connecting" | "connected" | "reconnecting" | "disconnecting" | "disconnected"
    >();
    expectTypeOf(useSessionSelector((s) => s.room, Object.is)).toEqualTypeOf<string | undefined>();
    expectTypeOf(useSessionSelector((s) => s.room, { session })).toEqualTypeOf<
      string | undefined
    >();
  });

  it("useVoice's controls are functions, its state typed", () => {
    const v = useVoice();
    expectTypeOf(v.setMuted).toEqualTypeOf<(muted: boolean) => void>();
    expectTypeOf(v.start).returns.resolves.toBeVoid();
    expectTypeOf(v.agentState).toEqualTypeOf<"idle" | "listening" | "thinking" | "speaking">();
  });
});

describe("the error guards React apps import from @unpod/react", () => {
  it("narrow what onError and the events carry", () => {
    const e: unknown = null;
    if (hasErrorCode(e, "buffer_full")) {
      expectTypeOf(e).toEqualTypeOf<UnpodSessionError & { readonly code: "buffer_full" }>();
    }
    if (isUnpodSessionError(e)) expectTypeOf(e.closeCode).toEqualTypeOf<number | undefined>();
    if (isUnpodAudioError(e)) expectTypeOf(e).toEqualTypeOf<UnpodAudioError>();
  });
});
