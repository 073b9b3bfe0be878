import { act, cleanup, configure, render, screen, waitFor } from "@testing-library/react";
import { type SessionErrorEvent, UnpodSession } from "@unpod/browser";
import { useState } from "react";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import {
  UnpodProvider,
  useConnectionState,
  useSessionControls,
  useSessionEvent,
  useSessionSelector,
  useTranscript,
} from "../src/index.js";
import { type DevServer, mintToken, sessionOptions, startServer } from "./helpers.js";

// Events a React app reacts to without wiring `useEffect(() => session.on(…))` by hand:
// useSessionEvent, the provider's onConnected / onDisconnected / onError, and the state
// hooks reading a session the app holds itself.

configure({ reactStrictMode: true });

let server: DevServer;
let token: string;
beforeAll(async () => {
  server = await startServer();
  token = await mintToken(server);
});
afterAll(() => server.close());
afterEach(cleanup);

function Replies({ seen }: { seen: string[] }) {
  const [label, setLabel] = useState("first");
  useSessionEvent("agent_reply", ({ text }) => seen.push(`${label}:${text}`));
  const { sendText } = useSessionControls();
  return (
    <>
      <p data-testid="state">{useConnectionState()}</p>
      <button type="button" onClick={() => setLabel("second")}>
        relabel
      </button>
      <button type="button" onClick={() => sendText("hi")}>
        send
      </button>
    </>
  );
}

function Controls() {
  const { sendText, disconnect } = useSessionControls();
  return (
    <>
      <p data-testid="state">{useConnectionState()}</p>
      <button type="button" onClick={() => sendText("hi")}>
        send
      </button>
      <button type="button" onClick={() => void disconnect()}>
        leave
      </button>
    </>
  );
}

function Panel({ session }: { session: UnpodSession }) {
  const state = useConnectionState({ session });
  const lines = useTranscript({ session }).length;
  const room = useSessionSelector((s) => s.room ?? "-", { session });
  return <p data-testid="panel">{`${state}|${lines}|${room}`}</p>;
}

describe("useSessionEvent", () => {
  it("calls the newest handler without subscribing again", async () => {
    const on = vi.spyOn(UnpodSession.prototype, "on");
    const seen: string[] = [];
    render(
      <UnpodProvider serverUrl={server.rtcUrl} token={token} options={sessionOptions}>
        <Replies seen={seen} />
      </UnpodProvider>,
    );
    await waitFor(() => expect(screen.getByTestId("state").textContent).toBe("connected"));
    const subscriptions = on.mock.calls.filter(([type]) => type === "agent_reply").length;
    act(() => screen.getByText("relabel").click());
    act(() => screen.getByText("send").click());
    await waitFor(() => expect(seen).toEqual(["second:Echo: hi"]));
    expect(on.mock.calls.filter(([type]) => type === "agent_reply").length).toBe(subscriptions);
    on.mockRestore();
  });
});

describe("the provider's callbacks", () => {
  it("onConnected, onError (a refused action) and onDisconnected, with the newest props", async () => {
    const calls: string[] = [];
    const noData = await mintToken(server, { canPublishData: false });
    render(
      <UnpodProvider
        serverUrl={server.rtcUrl}
        token={noData}
        options={sessionOptions}
        onConnected={() => calls.push("connected")}
        onError={({ error, fatal }: SessionErrorEvent) =>
          calls.push(`error:${error.code}:${fatal}`)
        }
        onDisconnected={({ reason }) => calls.push(`disconnected:${reason}`)}
      >
        <Controls />
      </UnpodProvider>,
    );
    await waitFor(() => expect(screen.getByTestId("state").textContent).toBe("connected"));
    act(() => screen.getByText("send").click());
    await waitFor(() => expect(calls).toContain("error:permission_denied:false"));
    act(() => screen.getByText("leave").click());
    await waitFor(() =>
      expect(calls).toEqual([
        "connected",
        "error:permission_denied:false",
        "disconnected:client_left",
      ]),
    );
  });
});

describe("state hooks with an explicit session", () => {
  it("read a session the app holds, with no provider", async () => {
    const session = new UnpodSession({ serverUrl: server.rtcUrl, token, ...sessionOptions });
    render(<Panel session={session} />);
    expect(screen.getByTestId("panel").textContent).toBe("idle|0|-");
    await act(() => session.connect());
    await waitFor(() => expect(screen.getByTestId("panel").textContent).toBe("connected|0|lobby"));
    await act(() => session.disconnect());
  });
});
