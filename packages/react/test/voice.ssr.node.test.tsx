import { renderToString } from "react-dom/server";
import { afterEach, expect, it } from "vitest";
import { useConnectionState } from "../src/index.js";
import { UnpodProvider, useAudioLevel, useMediaDevices, useVoice } from "../src/voice/index.js";

// Server rendering with voice: nothing is created, no audio API is touched. Traps stand in
// for the browser's audio APIs (Node has none) and fail the test if anything calls them.

const touched: string[] = [];
const trap = (name: string) =>
  new Proxy(() => {}, {
    construct() {
      touched.push(name);
      throw new Error(`${name} touched during server rendering`);
    },
    apply() {
      touched.push(name);
      throw new Error(`${name} touched during server rendering`);
    },
  });
const g = globalThis as Record<string, unknown>;
g.AudioContext = trap("AudioContext");
g.AudioWorkletNode = trap("AudioWorkletNode");
afterEach(() => {
  touched.length = 0;
});

function Page() {
  const { status, agentState, muted, volume } = useVoice();
  const input = useAudioLevel("input");
  const { devices } = useMediaDevices("audioinput");
  const state = useConnectionState();
  return (
    <p>
      {state}|{status}|{agentState}|{String(muted)}|{volume}|{input}|{devices.length}
    </p>
  );
}

it("renders idle voice on the server, from the options, touching no audio API", () => {
  const html = renderToString(
    <UnpodProvider
      serverUrl="wss://rtc.example.com"
      tokenSource="https://app.example.com/api/unpod-token"
      connect={false}
      voice={{ muted: true, output: { volume: 0.5 } }}
    >
      <Page />
    </UnpodProvider>,
  );
  expect(html).toBe(
    "<p>idle<!-- -->|<!-- -->idle<!-- -->|<!-- -->idle<!-- -->|<!-- -->true<!-- -->|<!-- -->0.5<!-- -->|<!-- -->0<!-- -->|<!-- -->0</p>",
  );
  expect(touched).toEqual([]);
});

function Lone() {
  useVoice();
  return null;
}

it("the voice hooks name themselves outside the voice provider", () => {
  expect(() => renderToString(<Lone />)).toThrow(
    /useVoice: must be called inside <UnpodProvider voice/,
  );
});
