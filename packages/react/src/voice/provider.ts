"use client";
import type { UnpodSession } from "@unpod/browser";
import type { UnpodVoiceOptions } from "@unpod/browser/voice";
import {
  UnpodProvider as BaseProvider,
  type UnpodProviderTokenProps,
  type UnpodProviderTokenSourceProps,
  useSessionControls,
} from "@unpod/react";
import { createElement, type ReactNode, useMemo } from "react";
import { VoiceContext } from "./context.js";
import { VoiceHandle } from "./voiceHandle.js";

/** The `voice` prop: the microphone, the speaker and the rest of `UnpodVoice`'s options. */
export type UnpodProviderVoiceOptions = UnpodVoiceOptions;

/**
 * Props of the voice provider: those of `@unpod/react`'s `UnpodProvider` for a session it
 * owns, plus `voice`. Voice starts with `connect()`, which browsers allow only in a user
 * gesture, so pass `connect={false}` and connect from a button (see the example).
 */
export type UnpodVoiceProviderProps = (
  | Omit<UnpodProviderTokenProps, "onSessionCreated">
  | Omit<UnpodProviderTokenSourceProps, "onSessionCreated">
) & {
  /**
   * Voice options (`input`, `output`, `muted`, `workletUrl`, …), read when the session is
   * created; `{}` for the defaults.
   */
  voice: UnpodProviderVoiceOptions;
};

/** Hands the provider's session controls to the voice handle (`start()` connects with them). */
function Bridge(props: { handle: VoiceHandle; children?: ReactNode }): ReactNode {
  props.handle.connect = useSessionControls().connect;
  return createElement(VoiceContext.Provider, { value: props.handle }, props.children);
}

/**
 * `@unpod/react`'s `UnpodProvider` with voice: the session it owns gets an `UnpodVoice`
 * (created with the session, on the client, before it connects — one AudioContext and one
 * microphone track per connection, StrictMode included), and `useVoice`,
 * `useAudioLevel` and `useMediaDevices` read it. The hooks of `@unpod/react` work below it
 * as below the plain provider. Server rendering creates nothing and touches no audio API.
 *
 * @param props - The provider's props and `voice`.
 * @returns The provider element.
 * @throws What `@unpod/react`'s `UnpodProvider` and `UnpodVoice` throw for bad options (when
 *   the session is created).
 * @example
 * ```tsx
 * import { useSessionControls } from "@unpod/react";
 * import { UnpodProvider, useVoice } from "@unpod/react/voice";
 *
 * function Talk() {
 *   const { connect, disconnect } = useSessionControls();
 *   const { status, agentState, muted, setMuted } = useVoice();
 *   return status === "active" ? (
 *     <>
 *       <p>Agent: {agentState}</p>
 *       <button type="button" onClick={() => setMuted(!muted)}>{muted ? "Unmute" : "Mute"}</button>
 *       <button type="button" onClick={() => disconnect()}>Hang up</button>
 *     </>
 *   ) : (
 *     <button type="button" onClick={() => connect()}>Talk</button>
 *   );
 * }
 *
 * export const App = () => (
 *   <UnpodProvider serverUrl="wss://rtc.example.com" tokenSource="/api/unpod-token" connect={false} voice={{}}>
 *     <Talk />
 *   </UnpodProvider>
 * );
 * ```
 */
export function UnpodProvider(props: UnpodVoiceProviderProps): ReactNode {
  const { voice, children, ...base } = props;
  // One handle for the provider's life; the newest `voice` options apply to the next session.
  // biome-ignore lint/correctness/useExhaustiveDependencies: created once; `voice` is passed on below.
  const handle = useMemo(() => new VoiceHandle(voice), []);
  handle.options = voice;
  const onSessionCreated = useMemo(
    () => (session: UnpodSession) => handle.attach(session),
    [handle],
  );
  return createElement(
    BaseProvider,
    { ...base, onSessionCreated } as Parameters<typeof BaseProvider>[0],
    createElement(Bridge, { handle }, children),
  );
}
