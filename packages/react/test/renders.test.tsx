import { act, cleanup, render, screen, waitFor } from "@testing-library/react";
import type { SessionSnapshot } from "@unpod/browser";
import { memo, useState } from "react";
import { afterAll, afterEach, beforeAll, expect, it } from "vitest";
import {
  type SessionControls,
  UnpodProvider,
  useConnectionState,
  useSessionControls,
  useSessionSelector,
  useTranscript,
} from "../src/index.js";
import {
  type DevServer,
  expectServerIdle,
  mintToken,
  sessionOptions,
  startServer,
} from "./helpers.js";

let server: DevServer;
let token: string;

beforeAll(async () => {
  server = await startServer();
  token = await mintToken(server);
});
afterAll(() => server.close());
afterEach(async () => {
  cleanup();
  await expectServerIdle(server);
});

// Not under StrictMode: its double rendering would double every count.
const renders = { state: 0, transcript: 0, controls: 0, room: 0, plain: 0 };
let controls: SessionControls | undefined;

function StateView() {
  renders.state++;
  return <p data-testid="state">{useConnectionState()}</p>;
}
function TranscriptView() {
  renders.transcript++;
  const transcript = useTranscript();
  return (
    <ul data-testid="transcript">
      {transcript.map((entry) => (
        <li key={entry.id}>
          {entry.role}: {entry.text}
        </li>
      ))}
    </ul>
  );
}
function ControlsView() {
  renders.controls++;
  controls = useSessionControls();
  return null;
}
// A selector building a new object each time, made stable by its isEqual.
const selectRoom = (s: SessionSnapshot) => ({ room: s.room });
const sameRoom = (a: { room: string | undefined }, b: { room: string | undefined }) =>
  a.room === b.room;
function RoomView() {
  renders.room++;
  const { room } = useSessionSelector(selectRoom, sameRoom);
  return <p data-testid="room">{room}</p>;
}
function Plain() {
  renders.plain++;
  return null;
}

it("re-renders only the components that read what changed", async () => {
  for (const key of Object.keys(renders)) renders[key as keyof typeof renders] = 0;
  render(
    <UnpodProvider serverUrl={server.rtcUrl} token={token} options={sessionOptions}>
      <StateView />
      <TranscriptView />
      <ControlsView />
      <RoomView />
      <Plain />
    </UnpodProvider>,
  );
  await waitFor(() => expect(screen.getByTestId("state").textContent).toBe("connected"));
  // idle → connecting → connected: the state reader re-rendered, the room reader once (the
  // room arrives with `joined`), nobody else.
  expect(renders.state).toBeGreaterThanOrEqual(2);
  expect(screen.getByTestId("room").textContent).toBe("lobby");
  expect(renders).toMatchObject({ transcript: 1, controls: 1, room: 2, plain: 1 });
  const stateRenders = renders.state;
  const firstControls = controls;

  act(() => controls?.sendText("hello"));
  await waitFor(() =>
    expect(screen.getByTestId("transcript").textContent).toBe("user: helloagent: Echo: hello"),
  );
  // The transcript changed (user turn, agent reply): only its reader re-rendered.
  expect(renders.transcript).toBeGreaterThanOrEqual(2);
  expect(renders).toMatchObject({ state: stateRenders, controls: 1, room: 2, plain: 1 });
  expect(controls).toBe(firstControls);

  const transcriptRenders = renders.transcript;
  await act(() => controls?.disconnect());
  expect(screen.getByTestId("state").textContent).toBe("disconnected");
  expect(renders.state).toBeGreaterThan(stateRenders);
  expect(renders).toMatchObject({ transcript: transcriptRenders, controls: 1, plain: 1 });
});

let bump: () => void = () => {};
const MemoTranscript = memo(TranscriptView);
function Parent() {
  const [, setN] = useState(0);
  bump = () => setN((n) => n + 1);
  return (
    <UnpodProvider serverUrl={server.rtcUrl} token={token} options={sessionOptions}>
      <MemoTranscript />
    </UnpodProvider>
  );
}

it("a provider re-rendered by its parent hands the hooks the same context (memo holds)", async () => {
  renders.transcript = 0;
  render(<Parent />);
  await expect.poll(async () => (await server.stats()).activeSockets).toBe(1);
  act(() => bump());
  act(() => bump());
  expect(renders.transcript).toBe(1);
});
