import { act, cleanup, configure, render, screen, waitFor } from "@testing-library/react";
import { UnpodSession } from "@unpod/browser";
import { Activity, useEffect, useState } from "react";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import {
  type SessionControls,
  UnpodProvider,
  useConnectionState,
  useSessionControls,
  useSessionSelector,
  useUnpodSession,
} from "../src/index.js";
import {
  CountingWebSocket,
  type DevServer,
  expectServerIdle,
  mintToken,
  sessionOptions,
  settle,
  startServer,
  statsSince,
} from "./helpers.js";

// Every render under a root <StrictMode>: only a root one double-runs effects on mount
// (React 19 skips a <StrictMode> nested below non-strict components).
configure({ reactStrictMode: true });

let server: DevServer;
let token: string;
let otherToken: string;

beforeAll(async () => {
  server = await startServer();
  [token, otherToken] = await Promise.all([
    mintToken(server),
    mintToken(server, { identity: "bob" }),
  ]);
});
afterAll(() => server.close());
afterEach(async () => {
  cleanup();
  await expectServerIdle(server);
});

const text = (id: string) => screen.getByTestId(id).textContent;
const waitForState = (state: string, id = "state") => waitFor(() => expect(text(id)).toBe(state));

function State({ id = "state" }: { id?: string }) {
  return <p data-testid={id}>{useConnectionState()}</p>;
}

let controls: SessionControls | undefined;
function GrabControls() {
  controls = useSessionControls();
  return null;
}

// Every state the session goes through, recorded from before the provider's first effect
// (children's effects run first).
const transitions: string[] = [];
function RecordTransitions() {
  const session = useUnpodSession();
  useEffect(() => session.on("state", ({ state }) => transitions.push(state)), [session]);
  return null;
}

function Owned({ connect, t = token }: { connect?: boolean; t?: string }) {
  return (
    <UnpodProvider serverUrl={server.rtcUrl} token={t} connect={connect} options={sessionOptions}>
      <RecordTransitions />
      <State />
      <Identity />
      <GrabControls />
    </UnpodProvider>
  );
}

function Identity() {
  return <p data-testid="identity">{useSessionSelector((s) => s.participant?.identity)}</p>;
}

function Two({ both }: { both: boolean }) {
  return (
    <>
      <UnpodProvider serverUrl={server.rtcUrl} token={token} options={sessionOptions}>
        <State id="a" />
      </UnpodProvider>
      {both && (
        <UnpodProvider serverUrl={server.rtcUrl} token={otherToken} options={sessionOptions}>
          <State id="b" />
        </UnpodProvider>
      )}
    </>
  );
}

function ConnectOnMount() {
  const { connect } = useSessionControls();
  useEffect(() => {
    connect().catch(() => {});
  }, [connect]);
  return null;
}

const seenSessions = new Set<UnpodSession>();
function CaptureSession() {
  seenSessions.add(useUnpodSession());
  return null;
}

let bump: () => void = () => {};
let tokenCalls = 0;
function InlineProps() {
  const [n, setN] = useState(0);
  bump = () => setN((x) => x + 1);
  return (
    <UnpodProvider
      serverUrl={server.rtcUrl}
      // A new function and a new options object on every render, as apps write them.
      tokenSource={async () => {
        tokenCalls++;
        return n >= 0 ? token : "";
      }}
      options={{ ...sessionOptions }}
    >
      <State />
      <CaptureSession />
      <GrabControls />
    </UnpodProvider>
  );
}

describe("UnpodProvider owning its session", () => {
  it("opens exactly one connection under StrictMode, and unmount closes it", async () => {
    const stats = await statsSince(server);
    const sockets = CountingWebSocket.created;
    transitions.length = 0;
    const { unmount } = render(<Owned />);
    await waitForState("connected");
    expect(await stats()).toMatchObject({ upgrades: 1, activeSockets: 1, sessions: 1 });
    expect(CountingWebSocket.created - sockets).toBe(1);
    // Not even a connect cancelled by StrictMode's simulated unmount and started again.
    expect(transitions).toEqual(["connecting", "connected"]);

    unmount();
    await expectServerIdle(server);
    expect((await stats()).upgrades).toBe(1);
    expect(CountingWebSocket.created - sockets).toBe(1);
  });

  it("opens one connection per mounted provider, each closed with its own provider", async () => {
    const stats = await statsSince(server);
    const { rerender } = render(<Two both />);
    await waitForState("connected", "a");
    await waitForState("connected", "b");
    expect(await stats()).toMatchObject({ upgrades: 2, activeSockets: 2, sessions: 2 });

    rerender(<Two both={false} />);
    await expect.poll(stats).toMatchObject({ activeSockets: 1, sessions: 1 });
    expect(text("a")).toBe("connected");
    expect((await stats()).upgrades).toBe(2);
  });

  it("leaves no socket behind when unmounted while still connecting", async () => {
    const stats = await statsSince(server);
    const { unmount } = render(<Owned />);
    expect(text("state")).not.toBe("connected");
    unmount();
    await settle(server);
    await expectServerIdle(server);
    expect((await stats()).upgrades).toBeLessThanOrEqual(1);
  });

  it("follows the connect prop: false waits, true connects once, false disconnects", async () => {
    const stats = await statsSince(server);
    const sockets = CountingWebSocket.created;
    const { rerender } = render(<Owned connect={false} />);
    await settle(server);
    expect(text("state")).toBe("idle");
    expect(CountingWebSocket.created).toBe(sockets);
    expect((await stats()).upgrades).toBe(0);

    rerender(<Owned connect />);
    await waitForState("connected");
    expect(await stats()).toMatchObject({ upgrades: 1, activeSockets: 1 });

    rerender(<Owned connect={false} />);
    await waitForState("disconnected");
    await expectServerIdle(server);

    rerender(<Owned connect />);
    await waitForState("connected");
    expect(await stats()).toMatchObject({ upgrades: 2, activeSockets: 1 });
  });

  it("with connect={false}, the app connects and disconnects through the controls", async () => {
    const stats = await statsSince(server);
    render(<Owned connect={false} />);
    expect(text("state")).toBe("idle");
    const mine = controls as SessionControls;
    // Two calls while connecting share one connection.
    await act(() => Promise.all([mine.connect(), mine.connect()]));
    expect(text("state")).toBe("connected");
    expect(await stats()).toMatchObject({ upgrades: 1, activeSockets: 1 });
    await act(() => mine.disconnect());
    expect(text("state")).toBe("disconnected");
    await expectServerIdle(server);
  });

  it("a child that connects in its own effect does not cause a second connection", async () => {
    const stats = await statsSince(server);
    render(
      <UnpodProvider serverUrl={server.rtcUrl} token={token} options={sessionOptions}>
        <ConnectOnMount />
        <State />
      </UnpodProvider>,
    );
    await waitForState("connected");
    expect(await stats()).toMatchObject({ upgrades: 1, activeSockets: 1 });
  });

  it("re-renders with new inline props neither re-create the session nor reconnect", async () => {
    const stats = await statsSince(server);
    seenSessions.clear();
    tokenCalls = 0;
    render(<InlineProps />);
    await waitForState("connected");
    const before = controls;
    act(() => bump());
    act(() => bump());
    expect(text("state")).toBe("connected");
    expect(seenSessions.size).toBe(1);
    expect(controls).toBe(before);
    expect(tokenCalls).toBe(1);
    expect(await stats()).toMatchObject({ upgrades: 1, activeSockets: 1 });
  });

  it("a new token starts a new session and closes the old one", async () => {
    const stats = await statsSince(server);
    const { rerender } = render(<Owned />);
    await waitFor(() => expect(text("identity")).toBe("alice"));
    rerender(<Owned t={otherToken} />);
    await waitFor(() => expect(text("identity")).toBe("bob"));
    await expect.poll(stats).toMatchObject({ upgrades: 2, activeSockets: 1, sessions: 1 });
    expect((await server.sessions()).map((s) => s.identity)).toEqual(["bob"]);
  });
});

function Hideable({ visible }: { visible: boolean }) {
  return (
    <Activity mode={visible ? "visible" : "hidden"}>
      <Owned />
    </Activity>
  );
}

function ErrorView() {
  return <p data-testid="error">{useSessionSelector((s) => s.error?.code ?? "none")}</p>;
}

describe("UnpodProvider owning its session, off the happy path", () => {
  it("a hidden <Activity> disconnects it; shown again, it connects once more", async () => {
    const stats = await statsSince(server);
    const { rerender } = render(<Hideable visible />);
    await waitForState("connected");
    rerender(<Hideable visible={false} />);
    await expectServerIdle(server);
    rerender(<Hideable visible />);
    await waitForState("connected");
    expect(await stats()).toMatchObject({ upgrades: 2, activeSockets: 1, sessions: 1 });
  });

  it("a failed connect shows up in the snapshot, not as an unhandled rejection", async () => {
    const stats = await statsSince(server);
    render(
      <UnpodProvider serverUrl={server.rtcUrl} token="not-a-jwt" options={sessionOptions}>
        <State />
        <ErrorView />
      </UnpodProvider>,
    );
    await waitFor(() => expect(text("error")).toBe("invalid_token"));
    expect(text("state")).toBe("disconnected");
    expect((await stats()).upgrades).toBe(0);
  });
});

describe("UnpodProvider sharing the app's session", () => {
  it("never connects it, and never disconnects it on unmount", async () => {
    const stats = await statsSince(server);
    const session = new UnpodSession({ serverUrl: server.rtcUrl, token, ...sessionOptions });
    const { unmount } = render(
      <UnpodProvider session={session}>
        <State />
        <GrabControls />
      </UnpodProvider>,
    );
    await settle(server);
    expect(text("state")).toBe("idle");
    expect((await stats()).upgrades).toBe(0);

    await act(() => controls?.connect());
    expect(text("state")).toBe("connected");
    unmount();
    await settle(server);
    expect(session.getSnapshot().state).toBe("connected");
    expect(await stats()).toMatchObject({ upgrades: 1, activeSockets: 1 });
    await session.disconnect();
  });

  it("rejects a session together with props that would create one", () => {
    const session = new UnpodSession({ serverUrl: server.rtcUrl, token, ...sessionOptions });
    const props = { session, serverUrl: server.rtcUrl } as unknown as { session: UnpodSession };
    const quiet = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      expect(() => render(<UnpodProvider {...props} />)).toThrow(
        expect.objectContaining({ name: "UnpodArgumentError", option: "session" }),
      );
    } finally {
      quiet.mockRestore();
    }
  });
});
