import type { DevServer } from "@unpod/dev-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { devServer, mint, next, rejection, session } from "./helpers.node.js";

let server: DevServer;
beforeAll(async () => {
  server = await devServer({ faults: true });
});
afterAll(() => server.close());

describe("connect against the dev server", () => {
  it("joins, echoes text, and leaves", async () => {
    const s = session(server, { token: await mint(server) });
    await s.connect();
    const snap = s.getSnapshot();
    expect(snap.state).toBe("connected");
    expect(snap.sessionId).toMatch(/^SE_/);
    expect(snap.room).toBe("room-1");
    expect(snap.participant?.identity).toBe("user-1");
    const reply = next(s, "agent_reply", (r) => r.final);
    s.sendText("hello");
    expect((await reply).text).toBe("Echo: hello");
    expect(s.getSnapshot().transcript.map((e) => [e.role, e.text])).toEqual([
      ["user", "hello"],
      ["agent", "Echo: hello"],
    ]);
    const gone = next(s, "disconnected");
    await s.disconnect();
    expect(await gone).toEqual({ reason: "client_left", error: undefined });
    expect(server.rtc.stats().sessions).toBe(0);
  });

  it("fails an expired token at once, with no connection attempt", async () => {
    const before = server.rtc.stats();
    const s = session(server, {
      token: await mint(server, { ttl: 1, now: () => Date.now() - 5000 }),
    });
    const error = await rejection(s.connect());
    expect(error).toMatchObject({ name: "UnpodTokenError", code: "token_expired" });
    expect(s.getSnapshot()).toMatchObject({ state: "disconnected", error });
    const after = server.rtc.stats();
    expect(after.upgrades + after.refused).toBe(before.upgrades + before.refused);
    expect(after.validates).toBe(before.validates);
  });
});
