import { act, waitFor } from "@testing-library/react";
import { UnpodSession } from "@unpod/browser";
import { type ReactNode, StrictMode } from "react";
import { hydrateRoot, type Root } from "react-dom/client";
import { renderToString } from "react-dom/server";
import { afterAll, afterEach, beforeAll, expect, it } from "vitest";
import {
  UnpodProvider,
  useConnectionState,
  useSessionSelector,
  useTranscript,
} from "../src/index.js";
import {
  type DevServer,
  expectServerIdle,
  mintToken,
  sessionOptions,
  startServer,
  statsSince,
} from "./helpers.js";

let server: DevServer;
let token: string;
let container: HTMLElement | undefined;
let root: Root | undefined;

beforeAll(async () => {
  server = await startServer();
  token = await mintToken(server);
});
afterAll(() => server.close());
afterEach(async () => {
  act(() => root?.unmount());
  container?.remove();
  await expectServerIdle(server);
});

function Page() {
  const state = useConnectionState();
  const lines = useTranscript().length;
  const room = useSessionSelector((s) => s.room ?? "-");
  return <p id="page">{`${state}|${lines}|${room}`}</p>;
}

const pageText = () => container?.querySelector("#page")?.textContent;

/** Server-renders `app`, then hydrates the markup in this DOM, collecting mismatches. */
async function serverThenHydrate(app: ReactNode): Promise<unknown[]> {
  const html = renderToString(app);
  container = document.createElement("div");
  container.innerHTML = html;
  document.body.append(container);
  expect(pageText()).toBe("idle|0|-");
  const mismatches: unknown[] = [];
  await act(async () => {
    root = hydrateRoot(container as HTMLElement, <StrictMode>{app}</StrictMode>, {
      onRecoverableError: (error) => mismatches.push(error),
    });
  });
  return mismatches;
}

it("hydrates an owned session's markup without a mismatch, then connects once", async () => {
  const stats = await statsSince(server);
  const mismatches = await serverThenHydrate(
    <UnpodProvider serverUrl={server.rtcUrl} token={token} options={sessionOptions}>
      <Page />
    </UnpodProvider>,
  );
  await waitFor(() => expect(pageText()).toBe("connected|0|lobby"));
  expect(mismatches).toEqual([]);
  expect(await stats()).toMatchObject({ upgrades: 1, activeSockets: 1 });
});

it("hydrates without a mismatch when the app's session is already connected", async () => {
  const session = new UnpodSession({ serverUrl: server.rtcUrl, token, ...sessionOptions });
  await session.connect();
  try {
    const mismatches = await serverThenHydrate(
      <UnpodProvider session={session}>
        <Page />
      </UnpodProvider>,
    );
    // The first client render matches the server's idle markup; the real state follows.
    await waitFor(() => expect(pageText()).toBe("connected|0|lobby"));
    expect(mismatches).toEqual([]);
  } finally {
    await session.disconnect();
  }
});
