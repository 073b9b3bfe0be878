import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import {
  act,
  cleanup,
  configure,
  render,
  renderHook,
  screen,
  waitFor,
} from "@testing-library/react";
import type { TokenSource } from "@unpod/browser";
import { useState } from "react";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import {
  UnpodProvider,
  useConnectionState,
  useMaybeUnpodSession,
  useSessionControls,
  useSessionSelector,
  useTokenSource,
  useTranscript,
  useUnpodSession,
} from "../src/index.js";
import {
  type DevServer,
  expectServerIdle,
  mintToken,
  sessionOptions,
  startServer,
  statsSince,
} from "./helpers.js";

// Every render under a root <StrictMode>: only a root one double-runs effects on mount
// (React 19 skips a <StrictMode> nested below non-strict components).
configure({ reactStrictMode: true });

let server: DevServer;
let token: string;
// The app's backend: a token endpoint on 127.0.0.1 that counts its requests.
let backend: Server;
let backendUrl: string;
let tokenRequests = 0;

beforeAll(async () => {
  server = await startServer();
  token = await mintToken(server);
  backend = createServer((req, res) => {
    // happy-dom preflights even a simple cross-origin GET; count the token fetches.
    if (req.method === "GET") tokenRequests++;
    res.writeHead(200, {
      "content-type": "application/json",
      "access-control-allow-origin": "*",
      "access-control-allow-methods": "GET",
    });
    res.end(JSON.stringify({ token }));
  });
  await new Promise<void>((resolve) => backend.listen(0, "127.0.0.1", resolve));
  backendUrl = `http://127.0.0.1:${(backend.address() as AddressInfo).port}/token`;
});
afterAll(async () => {
  await new Promise((resolve) => backend.close(resolve));
  await server.close();
});
afterEach(async () => {
  cleanup();
  await expectServerIdle(server);
});

describe("outside a provider", () => {
  it.each([
    ["useUnpodSession", () => useUnpodSession()],
    ["useConnectionState", () => useConnectionState()],
    ["useTranscript", () => useTranscript()],
    ["useSessionControls", () => useSessionControls()],
    ["useSessionSelector", () => useSessionSelector((s) => s.state)],
  ] as Array<[string, () => unknown]>)(
    "%s throws an UnpodArgumentError naming the hook and the provider",
    (hook, use) => {
      const quiet = vi.spyOn(console, "error").mockImplementation(() => {});
      try {
        expect(() => renderHook(use)).toThrow(
          expect.objectContaining({
            name: "UnpodArgumentError",
            code: "invalid_argument",
            option: hook,
            message: expect.stringContaining("<UnpodProvider>"),
          }),
        );
      } finally {
        quiet.mockRestore();
      }
    },
  );

  it("useMaybeUnpodSession returns undefined", () => {
    expect(renderHook(() => useMaybeUnpodSession()).result.current).toBeUndefined();
  });
});

describe("useTokenSource", () => {
  it("returns one function for the component's life, calling the newest one passed", async () => {
    const seen: string[] = [];
    const { result, rerender } = renderHook(
      ({ room }: { room: string }) =>
        useTokenSource(async () => {
          seen.push(room);
          return `token-for-${room}`;
        }),
      { initialProps: { room: "a" } },
    );
    const first = result.current;
    rerender({ room: "b" });
    expect(result.current).toBe(first);
    const signal = new AbortController().signal;
    await expect((first as Exclude<TokenSource, string>)({ signal })).resolves.toBe("token-for-b");
    expect(seen).toEqual(["b"]);
  });

  it("returns a URL as is", () => {
    const { result } = renderHook(() => useTokenSource("/api/token"));
    expect(result.current).toBe("/api/token");
  });

  it.each([[""], [42], [undefined]])("rejects %j", (bad) => {
    const quiet = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      expect(() => renderHook(() => useTokenSource(bad as unknown as TokenSource))).toThrow(
        expect.objectContaining({ name: "UnpodArgumentError", option: "tokenSource" }),
      );
    } finally {
      quiet.mockRestore();
    }
  });

  it("feeds the provider from the app's token endpoint, once per connection", async () => {
    const stats = await statsSince(server);
    tokenRequests = 0;
    render(<FromBackend />);
    expect(screen.getByTestId("outside").textContent).toBe("no provider here");
    await waitForConnected();
    expect(tokenRequests).toBe(1);
    expect(await stats()).toMatchObject({ upgrades: 1, activeSockets: 1 });
  });
});

function State() {
  return <p data-testid="inner">{useConnectionState()}</p>;
}
const waitForConnected = () =>
  waitFor(() => expect(screen.getByTestId("inner").textContent).toBe("connected"));

function FromBackend() {
  const tokenSource = useTokenSource(backendUrl);
  const outside = useMaybeUnpodSession() === undefined ? "no provider here" : "inside";
  return (
    <UnpodProvider serverUrl={server.rtcUrl} tokenSource={tokenSource} options={sessionOptions}>
      <p data-testid="outside">{outside}</p>
      <State />
    </UnpodProvider>
  );
}

function Chat() {
  const transcript = useTranscript();
  const { sendText } = useSessionControls();
  const [sent, setSent] = useState(0);
  return (
    <>
      <State />
      <button
        type="button"
        onClick={() => {
          sendText(`message ${sent + 1}`);
          setSent(sent + 1);
        }}
      >
        send
      </button>
      <ol data-testid="transcript">
        {transcript.map((e) => (
          <li key={e.id}>{`${e.role}|${e.text}|${e.final}`}</li>
        ))}
      </ol>
    </>
  );
}

function Replies() {
  const replies = useSessionSelector((s) => s.transcript.filter((e) => e.role === "agent"));
  return <p data-testid="replies">{replies.map((e) => `${e.text}${e.final ? "." : "…"}`)}</p>;
}

describe("reads and controls", () => {
  it("the transcript lists user turns and agent replies in order, across renders", async () => {
    render(
      <UnpodProvider serverUrl={server.rtcUrl} token={token} options={sessionOptions}>
        <Chat />
      </UnpodProvider>,
    );
    await waitForConnected();
    act(() => screen.getByRole("button").click());
    act(() => screen.getByRole("button").click());
    await waitFor(() =>
      expect(Array.from(screen.getByTestId("transcript").children, (li) => li.textContent)).toEqual(
        [
          "user|message 1|true",
          "agent|Echo: message 1|true",
          "user|message 2|true",
          "agent|Echo: message 2|true",
        ],
      ),
    );
  });

  it("shows what the server pushes (a partial reply replaced by its final text)", async () => {
    render(
      <UnpodProvider serverUrl={server.rtcUrl} token={token} options={sessionOptions}>
        <State />
        <Replies />
      </UnpodProvider>,
    );
    await waitForConnected();
    const [live] = await server.sessions();
    const sessionId = live?.sessionId as string;
    await server.push(sessionId, { type: "agent_reply", turn_id: "p1", text: "Hel", final: false });
    await waitFor(() => expect(screen.getByTestId("replies").textContent).toBe("Hel…"));
    await server.push(sessionId, {
      type: "agent_reply",
      turn_id: "p1",
      text: "Hello there",
      final: true,
    });
    await waitFor(() => expect(screen.getByTestId("replies").textContent).toBe("Hello there."));
  });
});
