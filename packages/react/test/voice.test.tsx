import { act, cleanup, render, screen } from "@testing-library/react";
import { StrictMode } from "react";
import { afterEach, describe, expect, it } from "vitest";
import { useSessionControls } from "../src/index.js";
import { UnpodProvider, useAudioLevel, useMediaDevices, useVoice } from "../src/voice/index.js";
import type { VoiceState } from "../src/voice/useVoice.js";

// The voice hooks in a DOM (happy-dom), before any audio: settings chosen before the session
// exists, stable controls, argument checks. Audio itself is tested in real Chromium
// (voice.chromium.node.test.ts).

afterEach(cleanup);

const seen: VoiceState[] = [];
function Probe() {
  const voice = useVoice();
  seen.push(voice);
  useSessionControls();
  return (
    <p data-testid="voice">
      {voice.status}|{String(voice.muted)}|{voice.volume}
    </p>
  );
}

const Provider = (props: { children: React.ReactNode }) => (
  <StrictMode>
    <UnpodProvider
      serverUrl="wss://rtc.example.com"
      token="not-needed-until-connect"
      connect={false}
      voice={{ output: { volume: 0.8 } }}
    >
      {props.children}
    </UnpodProvider>
  </StrictMode>
);

describe("useVoice before the session exists", () => {
  it("keeps settings for the voice to come, and its controls keep their identity", () => {
    seen.length = 0;
    render(
      <Provider>
        <Probe />
      </Provider>,
    );
    expect(screen.getByTestId("voice").textContent).toBe("idle|false|0.8");
    const first = seen[0] as VoiceState;
    act(() => first.setMuted(true));
    act(() => first.setVolume(0.25));
    expect(screen.getByTestId("voice").textContent).toBe("idle|true|0.25");
    const last = seen.at(-1) as VoiceState;
    for (const key of ["setMuted", "setVolume", "interrupt", "start", "stop"] as const) {
      expect(last[key]).toBe(first[key]);
    }
  });
});

function BadLevel() {
  useAudioLevel("left" as never);
  return null;
}

function BadDevices() {
  useMediaDevices("videoinput" as never);
  return null;
}

describe("argument checks", () => {
  it("useAudioLevel and useMediaDevices name a bad kind", () => {
    expect(() =>
      render(
        <Provider>
          <BadLevel />
        </Provider>,
      ),
    ).toThrow(/kind: must be "input" or "output"/);
    expect(() =>
      render(
        <Provider>
          <BadDevices />
        </Provider>,
      ),
    ).toThrow(/kind: must be "audioinput" or "audiooutput"/);
  });
});
