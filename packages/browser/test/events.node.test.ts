import type { DevServer } from "@unpod/dev-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeClock } from "./clock.js";
import { devServer, mint, rejection, session } from "./helpers.node.js";

// Events a program can await: once, waitFor, and `await using` (Symbol.asyncDispose).

let server: DevServer;
beforeAll(async () => {
  server = await devServer();
});
afterAll(() => server.close());

describe("once and waitFor", () => {
  it("once calls its listener for the next event only", async () => {
    const s = session(server, { token: await mint(server) });
    const seen: string[] = [];
    s.once("state", ({ state }) => seen.push(state));
    await s.connect();
    await s.disconnect();
    expect(seen).toEqual(["connecting"]);
  });

  it("waitFor resolves with the next matching event (the agent's final reply)", async () => {
    const s = session(server, { token: await mint(server) });
    await s.connect();
    s.sendText("hi there");
    const reply = await s.waitFor("agent_reply", { filter: (r) => r.final, timeout: "5s" });
    expect(reply).toMatchObject({ text: "Echo: hi there", final: true });
    await s.disconnect();
  });

  it("waitFor rejects with timeout, aborted, or the reason the session stopped — and cleans up", async () => {
    const clock = new FakeClock();
    const s = session(server, { token: await mint(server), clock });
    await s.connect();
    const timedOut = rejection(s.waitFor("agent_reply", { timeout: "2s" }));
    clock.advance(2000);
    expect(await timedOut).toMatchObject({ name: "UnpodConnectionError", code: "timeout" });
    const ctl = new AbortController();
    const aborted = rejection(s.waitFor("agent_reply", { signal: ctl.signal }));
    ctl.abort();
    expect(await aborted).toMatchObject({ code: "aborted" });
    const stopped = rejection(s.waitFor("agent_reply"));
    await s.disconnect();
    expect(await stopped).toMatchObject({ code: "aborted" });
    expect(clock.pending).toBe(0);
  });

  it("waitFor checks its arguments by name", async () => {
    const s = session(server, { token: await mint(server) });
    expect(await rejection(s.waitFor("nope" as never))).toMatchObject({ option: "type" });
    expect(await rejection(s.waitFor("state", { timeout: "soon" }))).toMatchObject({
      option: "timeout",
    });
    expect(await rejection(s.waitFor("state", { filter: 1 as never }))).toMatchObject({
      option: "filter",
    });
  });
});

describe("disposal", () => {
  it("await using disconnects the session when the scope ends", async () => {
    let sessionId: string | undefined;
    {
      await using s = session(server, { token: await mint(server) });
      await s.connect();
      sessionId = s.getSnapshot().sessionId;
      expect(server.rtc.sessions().some((x) => x.sessionId === sessionId)).toBe(true);
    }
    expect(server.rtc.sessions().some((x) => x.sessionId === sessionId)).toBe(false);
  });
});
