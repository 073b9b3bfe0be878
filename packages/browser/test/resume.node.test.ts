import type { DevServer } from "@unpod/dev-server";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { ReconnectPolicy, UnpodSession } from "../src/index.js";
import { FakeClock } from "./clock.js";
import { devServer, mint, next, rejection, session, until, WebSocket } from "./helpers.node.js";

/** A policy that waits `ms` before every attempt (so a fake clock holds the session in back-off). */
const waiting = (ms: number, max = 5): ReconnectPolicy => ({
  nextDelay: ({ attempt }) => (attempt > max ? null : ms),
});

const open: UnpodSession[] = [];
const track = (s: UnpodSession) => {
  open.push(s);
  return s;
};
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.disconnect()));
});

describe("reconnect and resume (dev server, real clock)", () => {
  let server: DevServer;
  beforeAll(async () => {
    server = await devServer();
  });
  afterAll(() => server.close());

  it("resumes the same session after a drop; frames sent meanwhile arrive once, in order", async () => {
    const s = track(session(server, { token: await mint(server) }));
    const states: string[] = [];
    s.on("state", ({ state }) => states.push(state));
    const replies: string[] = [];
    s.on("agent_reply", ({ text }) => replies.push(text));
    await s.connect();
    const sid = s.getSnapshot().sessionId as string;
    server.rtc.push(sid, { type: "agent_reply", turn_id: "a", text: "one", final: true });
    await until(() => replies.length === 1);
    const reconnecting = next(s, "state", (e) => e.state === "reconnecting");
    server.rtc.dropSession(sid);
    // Pushed while the socket is down: buffered by the server, replayed on resume.
    server.rtc.push(sid, { type: "agent_reply", turn_id: "b", text: "two", final: true });
    server.rtc.push(sid, { type: "agent_reply", turn_id: "c", text: "three", final: true });
    await reconnecting;
    await until(() => s.getSnapshot().state === "connected" && replies.length === 3);
    expect(s.getSnapshot().sessionId).toBe(sid);
    expect(replies).toEqual(["one", "two", "three"]);
    expect(states).toEqual(["connecting", "connected", "reconnecting", "connected"]);
    expect(s.getSnapshot().transcript.map((e) => e.text)).toEqual(["one", "two", "three"]);
  });

  it("resumes after a server restart (1012)", async () => {
    const s = track(session(server, { token: await mint(server) }));
    await s.connect();
    const sid = s.getSnapshot().sessionId;
    const reconnecting = next(s, "state", (e) => e.state === "reconnecting");
    await server.rtc.restart();
    await reconnecting;
    await until(() => s.getSnapshot().state === "connected");
    expect(s.getSnapshot().sessionId).toBe(sid);
  });

  it("text sent while reconnecting is delivered once after the resume", async () => {
    const s = track(session(server, { token: await mint(server) }));
    const replies: string[] = [];
    s.on("agent_reply", ({ text }) => replies.push(text));
    await s.connect();
    const off = s.on("state", ({ state }) => {
      if (state === "reconnecting") {
        off();
        s.sendText("while away"); // no socket now: buffered, sent after the resume
      }
    });
    server.rtc.dropSession(s.getSnapshot().sessionId as string);
    await until(() => replies.length === 1);
    s.sendText("after");
    await until(() => replies.length === 2);
    expect(replies).toEqual(["Echo: while away", "Echo: after"]);
  });

  it("a text without canPublishData gets a non-fatal permission_denied error", async () => {
    const s = track(session(server, { token: await mint(server, { canPublishData: false }) }));
    await s.connect();
    const error = next(s, "error");
    s.sendText("hi");
    expect(await error).toMatchObject({
      fatal: false,
      error: { name: "UnpodSessionError", code: "permission_denied" },
    });
    expect(s.getSnapshot().state).toBe("connected");
  });

  it("another socket taking the session over → session_replaced", async () => {
    const token = await mint(server);
    const s = track(session(server, { token }));
    await s.connect();
    const sid = s.getSnapshot().sessionId as string;
    const gone = next(s, "disconnected");
    const other = new WebSocket(
      `${server.rtcUrl}/v1/rtc?access_token=${token}&reconnect=1&sid=${sid}&last_seq=0`,
    );
    expect(await gone).toMatchObject({ reason: "error", error: { code: "session_replaced" } });
    other.close();
  });

  it("reconnect: false stops at the first drop", async () => {
    const s = track(session(server, { token: await mint(server), reconnect: false }));
    await s.connect();
    const gone = next(s, "disconnected");
    server.rtc.dropSession(s.getSnapshot().sessionId as string);
    expect(await gone).toMatchObject({ reason: "error", error: { code: "network_error" } });
  });

  it("a server shutdown ends the session with its leave reason", async () => {
    const other = await devServer();
    const s = track(session(other, { token: await mint(other) }));
    await s.connect();
    const gone = next(s, "disconnected");
    await other.close();
    expect(await gone).toEqual({ reason: "server_shutdown", error: undefined });
    expect(s.getSnapshot().error).toBeUndefined();
  });
});

describe("expiry and lost sessions (dev server and session on one injected clock)", () => {
  let server: DevServer;
  let clock: FakeClock;
  beforeAll(async () => {
    clock = new FakeClock();
    server = await devServer({ clock, resumeWindow: 300 });
  });
  afterAll(() => server.close());

  it("resumes with the original token after it has expired (same session id)", async () => {
    const token = await mint(server, { ttl: 60, now: () => clock.now() });
    const s = track(session(server, { token, clock, reconnect: waiting(90_000) }));
    await s.connect();
    const sid = s.getSnapshot().sessionId as string;
    server.rtc.dropSession(sid);
    await until(() => s.getSnapshot().state === "reconnecting");
    // 90 s later the token is 30 s past exp (tolerance 10 s): a new session would be refused…
    clock.advance(90_000);
    await until(() => s.getSnapshot().state === "connected");
    expect(s.getSnapshot().sessionId).toBe(sid);
    const res = await fetch(`${server.url}/v1/rtc/validate?access_token=${token}`);
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ message: "Token has expired." });
    // …and the refresh the server scheduled while the socket was down arrives on resume.
    await until(() => (s.getSnapshot().tokenExpiresAt ?? 0) > clock.now() / 1000);
  });

  it("uses the token the server pushed (token_refreshed) for later resumes", async () => {
    const token = await mint(server, { ttl: 60, now: () => clock.now() });
    const s = track(session(server, { token, clock, reconnect: waiting(0) }));
    await s.connect();
    const refreshed = next(s, "token_refreshed");
    clock.advance(45_000); // 3/4 of the lifetime
    const { token: fresh, expiresAt } = await refreshed;
    expect(fresh).not.toBe(token);
    expect(expiresAt).toBeGreaterThan(clock.now() / 1000);
    expect(s.getSnapshot().tokenExpiresAt).toBe(expiresAt);
  });

  it("session gone (resume window passed), no token source → session_not_found", async () => {
    const short = await devServer({ clock, resumeWindow: 30 });
    try {
      const token = await mint(short, { ttl: "1h", now: () => clock.now() });
      const s = track(session(short, { token, clock, reconnect: waiting(40_000) }));
      await s.connect();
      const gone = next(s, "disconnected");
      short.rtc.dropSession(s.getSnapshot().sessionId as string);
      await until(() => s.getSnapshot().state === "reconnecting");
      clock.advance(40_000);
      expect(await gone).toMatchObject({ reason: "error", error: { code: "session_not_found" } });
    } finally {
      await short.close();
    }
  });

  it("session gone, with a token source → a new session with a fresh token", async () => {
    const short = await devServer({ clock, resumeWindow: 30 });
    try {
      let minted = 0;
      const s = track(
        session(short, {
          tokenSource: () => {
            minted += 1;
            return mint(short, { ttl: "1h", now: () => clock.now() });
          },
          clock,
          reconnect: waiting(40_000),
        }),
      );
      await s.connect();
      const first = s.getSnapshot().sessionId as string;
      short.rtc.push(first, { type: "agent_reply", turn_id: "x", text: "old", final: true });
      await until(() => s.getSnapshot().transcript.length === 1);
      short.rtc.dropSession(first);
      await until(() => s.getSnapshot().state === "reconnecting");
      clock.advance(40_000); // the window passes; the resume is refused (404)
      await until(() => s.getSnapshot().reconnectAttempt === 2);
      expect(s.getSnapshot().sessionId).toBe(first);
      clock.advance(40_000); // next attempt: a new session
      await until(
        () => s.getSnapshot().state === "connected" && s.getSnapshot().sessionId !== first,
      );
      expect(s.getSnapshot().transcript).toEqual([]);
      expect(minted).toBe(1); // the first token was still fresh
    } finally {
      await short.close();
    }
  });

  it("disconnect() during the back-off stops cleanly and clears every timer", async () => {
    const local = new FakeClock();
    const s = session(server, {
      token: await mint(server),
      clock: local,
      reconnect: waiting(60_000),
    });
    await s.connect();
    const before = server.rtc.stats().upgrades;
    server.rtc.dropSession(s.getSnapshot().sessionId as string);
    await until(() => s.getSnapshot().state === "reconnecting");
    const gone = next(s, "disconnected");
    await s.disconnect();
    expect(await gone).toEqual({ reason: "client_left", error: undefined });
    expect(s.getSnapshot()).toMatchObject({ state: "disconnected", reconnectAttempt: 0 });
    expect(local.pending).toBe(0);
    local.advance(120_000);
    expect(server.rtc.stats().upgrades).toBe(before);
  });

  it("gives up after the policy's last attempt", async () => {
    const faulty = await devServer({ clock, faults: true });
    try {
      const s = session(faulty, { token: await mint(faulty), clock, reconnect: waiting(1000, 2) });
      await s.connect();
      const gone = next(s, "disconnected");
      faulty.faults.set({ path: "/v1/rtc", status: 503 });
      faulty.faults.set({ path: "/v1/rtc/validate", status: 503 });
      faulty.rtc.dropSession(s.getSnapshot().sessionId as string);
      await until(() => s.getSnapshot().state === "reconnecting");
      clock.advance(1000);
      await until(() => s.getSnapshot().reconnectAttempt === 2);
      clock.advance(1000);
      expect(await gone).toMatchObject({
        reason: "error",
        error: { name: "UnpodApiError", code: "server_error", status: 503 },
      });
    } finally {
      await faulty.close();
    }
  });
});

describe("disconnect", () => {
  let server: DevServer;
  beforeAll(async () => {
    server = await devServer();
  });
  afterAll(() => server.close());

  it("sends leave and resolves once the server closed the session", async () => {
    const s = session(server, { token: await mint(server) });
    await s.connect();
    expect(server.rtc.stats().sessions).toBe(1);
    await s.disconnect();
    expect(server.rtc.stats().sessions).toBe(0);
    expect(s.getSnapshot().state).toBe("disconnected");
    await s.disconnect(); // idempotent
  });

  it("connect() after disconnect starts a new session", async () => {
    const s = session(server, { token: await mint(server) });
    await s.connect();
    const first = s.getSnapshot().sessionId;
    await s.disconnect();
    await s.connect();
    expect(s.getSnapshot().sessionId).not.toBe(first);
    await s.disconnect();
  });

  it("concurrent connect() calls share one attempt", async () => {
    const s = session(server, { token: await mint(server) });
    const before = server.rtc.stats().upgrades;
    const a = s.connect();
    expect(s.connect()).toBe(a);
    await a;
    expect(server.rtc.stats().upgrades).toBe(before + 1);
    await s.disconnect();
  });

  it("connect, disconnect, connect (as React StrictMode does) ends connected", async () => {
    const s = session(server, { token: await mint(server) });
    const first = rejection(s.connect());
    await s.disconnect();
    const second = s.connect();
    expect(await first).toMatchObject({ code: "aborted" });
    expect(s.connect()).toBe(second);
    await second;
    expect(s.getSnapshot()).toMatchObject({ state: "connected", error: undefined });
    await s.disconnect();
  });

  it("disconnect() while connecting rejects connect() with aborted", async () => {
    const s = session(server, { token: await mint(server) });
    const pending = rejection(s.connect());
    await s.disconnect();
    expect(await pending).toMatchObject({ code: "aborted" });
    expect(s.getSnapshot()).toMatchObject({ state: "disconnected", error: undefined });
  });
});
