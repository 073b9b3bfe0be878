import { UnpodSession } from "@unpod/browser";
import { StrictMode } from "react";
import { renderToString } from "react-dom/server";
import { afterAll, beforeAll, expect, it } from "vitest";
import {
  UnpodProvider,
  useConnectionState,
  useMaybeUnpodSession,
  useSessionControls,
  useSessionSelector,
  useTokenSource,
  useTranscript,
} from "../src/index.js";
import {
  CountingWebSocket,
  type DevServer,
  mintToken,
  sessionOptions,
  settle,
  startServer,
  statsSince,
} from "./helpers.js";

let server: DevServer;
let token: string;

beforeAll(async () => {
  server = await startServer();
  token = await mintToken(server);
});
afterAll(() => server.close());

function Page() {
  const state = useConnectionState();
  const transcript = useTranscript();
  const room = useSessionSelector((s) => s.room ?? "no room");
  const { connect } = useSessionControls();
  return (
    <main>
      <p>state:{state}</p>
      <p>lines:{transcript.length}</p>
      <p>{room}</p>
      <button type="button" onClick={() => connect()}>
        connect
      </button>
    </main>
  );
}

it("runs without a DOM", () => {
  expect(typeof window).toBe("undefined");
  expect(typeof document).toBe("undefined");
});

function TwoOwned() {
  const tokenSource = useTokenSource(async () => token);
  return (
    <StrictMode>
      <UnpodProvider serverUrl={server.rtcUrl} token={token} options={sessionOptions}>
        <Page />
      </UnpodProvider>
      <UnpodProvider serverUrl={server.rtcUrl} tokenSource={tokenSource} options={sessionOptions}>
        <Page />
      </UnpodProvider>
    </StrictMode>
  );
}

it("renders an owned session as idle and opens no connection", async () => {
  const stats = await statsSince(server);
  const sockets = CountingWebSocket.created;
  const html = renderToString(<TwoOwned />);
  expect(html).toContain("state:<!-- -->idle");
  expect(html).toContain("lines:<!-- -->0");
  expect(html).toContain("no room");
  await settle(server);
  expect(CountingWebSocket.created).toBe(sockets);
  expect(await stats()).toMatchObject({ upgrades: 0, validates: 0, activeSockets: 0, sessions: 0 });
});

it("never constructs the owned session on the server, even with no WebSocket at all", () => {
  // Node 20 has no global WebSocket; a provider given none must still render.
  expect(globalThis.WebSocket).toBeUndefined();
  let optionReads = 0;
  const options = {
    get logger() {
      optionReads++;
      return {};
    },
  };
  const html = renderToString(
    <StrictMode>
      <UnpodProvider serverUrl="wss://rtc.example.com" token="not even a token" options={options}>
        <Page />
      </UnpodProvider>
    </StrictMode>,
  );
  expect(html).toContain("state:<!-- -->idle");
  // The options are spread into the session's only when it is created.
  expect(optionReads).toBe(0);
});

it("renders a shared session as idle (what hydration expects), whatever its state", async () => {
  const session = new UnpodSession({ serverUrl: server.rtcUrl, token, ...sessionOptions });
  await session.connect();
  try {
    expect(session.getSnapshot().state).toBe("connected");
    const html = renderToString(
      <UnpodProvider session={session}>
        <Page />
      </UnpodProvider>,
    );
    expect(html).toContain("state:<!-- -->idle");
  } finally {
    await session.disconnect();
  }
});

function Probe() {
  return <p>{useMaybeUnpodSession() === undefined ? "none" : "some"}</p>;
}

it("useMaybeUnpodSession is undefined outside a provider on the server too", () => {
  expect(renderToString(<Probe />)).toBe("<p>none</p>");
});
