import { describe, expect, it, vi } from "vitest";
import { createEmitter } from "../src/events.js";
import {
  exponentialBackoff,
  UnpodSession,
  type UnpodSessionOptions,
  VERSION,
} from "../src/index.js";
import { endpoints } from "../src/internal/options.js";
import { MAX_UNCONFIRMED_BYTES, MAX_UNCONFIRMED_FRAMES, Outbox } from "../src/internal/outbox.js";
import { applyTurn, EMPTY_TRANSCRIPT, MAX_TRANSCRIPT_ENTRIES } from "../src/internal/transcript.js";
import { createStore } from "../src/store.js";
import { FakeClock } from "./clock.js";
import { fakeToken } from "./tokens.js";

const caught = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return error as Record<string, unknown>;
  }
  throw new Error("expected a throw");
};

describe("store", () => {
  it("returns the same frozen snapshot until a field changes", () => {
    const store = createStore({ a: 1, b: [1] as readonly number[] }, () => {});
    const first = store.get();
    expect(Object.isFrozen(first)).toBe(true);
    const seen: number[] = [];
    const off = store.subscribe(() => seen.push(store.get().a));
    store.set({ a: 1 });
    store.set({ b: first.b });
    expect(store.get()).toBe(first);
    store.set({ a: 2 });
    expect(store.get()).not.toBe(first);
    expect(store.get()).toEqual({ a: 2, b: [1] });
    expect(first.a).toBe(1);
    off();
    store.set({ a: 3 });
    expect(seen).toEqual([2]);
  });

  it("keeps notifying when a listener throws, and reports it", () => {
    const errors: unknown[] = [];
    const store = createStore({ a: 1 }, (e) => errors.push(e));
    const calls: string[] = [];
    store.subscribe(() => {
      throw new Error("boom");
    });
    store.subscribe(() => calls.push("second"));
    store.set({ a: 2 });
    expect(calls).toEqual(["second"]);
    expect(errors).toHaveLength(1);
  });
});

describe("emitter", () => {
  it("delivers by type, removes listeners, isolates throwing ones", () => {
    const errors: unknown[] = [];
    const events = createEmitter<{ a: number; b: string }>((e) => errors.push(e));
    const got: unknown[] = [];
    const off = events.on("a", (n) => got.push(n));
    events.on("a", () => {
      throw new Error("boom");
    });
    events.on("b", (s) => got.push(s));
    events.emit("a", 1);
    events.emit("b", "x");
    off();
    events.emit("a", 2);
    expect(got).toEqual([1, "x"]);
    expect(errors).toHaveLength(2);
  });
});

describe("exponentialBackoff", () => {
  it("retries at once, then doubles up to the cap, then gives up", () => {
    const policy = exponentialBackoff({
      initialDelayMs: 100,
      maxDelayMs: 500,
      maxAttempts: 6,
      jitter: 0.5,
      random: () => 0,
    });
    const delays = [1, 2, 3, 4, 5, 6, 7].map((attempt) =>
      policy.nextDelay({ attempt, elapsedMs: 0, error: undefined as never, connectedMs: 60_000 }),
    );
    expect(delays).toEqual([0, 100, 200, 400, 500, 500, null]);
  });

  it("takes up to `jitter` off each delay", () => {
    const policy = exponentialBackoff({ initialDelayMs: 1000, jitter: 0.5, random: () => 0.999 });
    const d = policy.nextDelay({
      attempt: 2,
      elapsedMs: 0,
      error: undefined as never,
      connectedMs: 60_000,
    }) as number;
    expect(d).toBeGreaterThan(500);
    expect(d).toBeLessThan(501);
  });

  it("rejects bad options, naming them", () => {
    expect(caught(() => exponentialBackoff({ jitter: 2 }))).toMatchObject({
      name: "UnpodArgumentError",
      option: "jitter",
    });
    expect(caught(() => exponentialBackoff({ maxAttempts: -1 }))).toMatchObject({
      option: "maxAttempts",
    });
  });
});

describe("serverUrl", () => {
  it("maps http → ws and https → wss, keeps ws/wss and a path prefix", () => {
    expect(endpoints("http://127.0.0.1:7880", false)).toEqual([
      "ws://127.0.0.1:7880",
      "http://127.0.0.1:7880",
    ]);
    expect(endpoints("https://rtc.example.com/unpod/", false)).toEqual([
      "wss://rtc.example.com/unpod",
      "https://rtc.example.com/unpod",
    ]);
    expect(endpoints("wss://rtc.example.com", false)[1]).toBe("https://rtc.example.com");
    expect(endpoints("ws://localhost:1", false)[0]).toBe("ws://localhost:1");
    expect(endpoints("ws://[::1]:1", false)[0]).toBe("ws://[::1]:1");
  });

  it("refuses plain ws/http to remote hosts unless allowInsecure", () => {
    expect(caught(() => endpoints("ws://rtc.example.com", false))).toMatchObject({
      option: "serverUrl",
    });
    expect(caught(() => endpoints("http://127.evil.com", false))).toMatchObject({
      option: "serverUrl",
    });
    expect(endpoints("ws://rtc.example.com", true)[0]).toBe("ws://rtc.example.com");
  });

  it("refuses other schemes, queries and non-URLs", () => {
    for (const url of ["ftp://x", "rtc.example.com", "wss://x/?a=1", undefined]) {
      expect(caught(() => endpoints(url, false))).toMatchObject({ option: "serverUrl" });
    }
  });
});

describe("UnpodSession options", () => {
  const token = fakeToken({ exp: Date.now() / 1000 + 600 });
  const make = (o: Record<string, unknown>) => () =>
    new UnpodSession({ serverUrl: "wss://rtc.example.com", ...o } as UnpodSessionOptions);

  it("needs exactly one of token and tokenSource", () => {
    expect(caught(make({}))).toMatchObject({ name: "UnpodArgumentError", option: "token" });
    expect(caught(make({ token, tokenSource: "/t" }))).toMatchObject({ option: "token" });
    expect(caught(make({ token: "" }))).toMatchObject({ option: "token" });
    expect(caught(make({ token: 42 }))).toMatchObject({ option: "token" });
  });

  it("checks the other options once, at construction", () => {
    expect(caught(make({ token, connectTimeout: "soon" }))).toMatchObject({
      option: "connectTimeout",
    });
    expect(caught(make({ token, reconnect: {} }))).toMatchObject({ option: "reconnect" });
    expect(caught(make({ token, serverUrl: "ws://remote.example.com" }))).toMatchObject({
      option: "serverUrl",
    });
    expect(make({ token, reconnect: false })()).toBeInstanceOf(UnpodSession);
  });

  it("starts idle with the token's expiry and bound store functions", () => {
    const s = make({ token })() as UnpodSession;
    const { getSnapshot, subscribe } = s;
    expect(getSnapshot()).toEqual({
      state: "idle",
      sessionId: undefined,
      room: undefined,
      participant: undefined,
      transcript: [],
      error: undefined,
      tokenExpiresAt: expect.any(Number),
      reconnectAttempt: 0,
    });
    expect(typeof subscribe(() => {})).toBe("function");
    expect(JSON.stringify(s)).not.toContain(token.slice(0, 20));
  });

  it("fails an expired token at once, without creating a socket or fetching", async () => {
    const clock = new FakeClock();
    const WebSocket = vi.fn();
    const fetch = vi.fn();
    const s = new UnpodSession({
      serverUrl: "wss://rtc.example.com",
      token: fakeToken({ exp: clock.now() / 1000 - 1 }),
      WebSocket: WebSocket as never,
      fetch: fetch as never,
      clock,
    });
    const states: string[] = [];
    s.on("state", ({ state }) => states.push(state));
    const error = await s.connect().catch((e: unknown) => e);
    expect(error).toMatchObject({ name: "UnpodTokenError", code: "token_expired", claim: "exp" });
    expect(WebSocket).not.toHaveBeenCalled();
    expect(fetch).not.toHaveBeenCalled();
    expect(states).toEqual(["connecting", "disconnected"]);
    expect(s.getSnapshot().error).toBe(error);
    expect(clock.pending).toBe(0);
  });

  it("reports a malformed token as invalid_token", async () => {
    const s = make({ token: "not.a.jwt" })() as UnpodSession;
    await expect(s.connect()).rejects.toMatchObject({ code: "invalid_token" });
  });

  it("checks sendText's input and state", () => {
    const s = make({ token })() as UnpodSession;
    expect(caught(() => s.sendText(""))).toMatchObject({ option: "text" });
    expect(caught(() => s.sendText("x".repeat(4001)))).toMatchObject({ option: "text" });
    // Before connect(): a usage error naming the call, not a network failure.
    expect(caught(() => s.sendText("hi"))).toMatchObject({
      code: "invalid_argument",
      option: "sendText",
    });
  });

  it("resolves disconnect() at once when idle", async () => {
    await expect((make({ token })() as UnpodSession).disconnect()).resolves.toBeUndefined();
  });

  it("exports its version", () => {
    expect(VERSION).toMatch(/^\d+\.\d+\.\d+/);
  });
});

describe("outbox (unconfirmed client frames)", () => {
  it("numbers frames, forgets confirmed ones, and counts their UTF-8 bytes", () => {
    const box = new Outbox();
    const a = box.add({ type: "user_text", text: "héllo" });
    const b = box.add({ type: "user_text", text: "😀" });
    expect([a.frame.seq, b.frame.seq]).toEqual([1, 2]);
    expect(a.bytes).toBe(new TextEncoder().encode(a.data).length);
    expect(b.bytes).toBe(new TextEncoder().encode(b.data).length);
    expect(box.bytes).toBe(a.bytes + b.bytes);
    box.confirm(1);
    expect(box.unconfirmed().map((o) => o.frame.seq)).toEqual([2]);
    expect(box.bytes).toBe(b.bytes);
    expect(box.next()).toBe(3); // leave: numbered, not kept
    expect(box.size).toBe(1);
    box.reset();
    expect([box.seq, box.size, box.bytes]).toEqual([0, 0, 0]);
  });

  it("refuses past the frame cap and the byte cap, keeping what it has", () => {
    const box = new Outbox();
    for (let i = 0; i < MAX_UNCONFIRMED_FRAMES; i++) box.add({ type: "user_text", text: "x" });
    expect(caught(() => box.add({ type: "user_text", text: "x" }))).toMatchObject({
      code: "buffer_full",
    });
    expect([box.size, box.seq]).toEqual([MAX_UNCONFIRMED_FRAMES, MAX_UNCONFIRMED_FRAMES]);
    const big = new Outbox();
    const text = "€".repeat(4000); // 12,000 UTF-8 bytes per frame
    let n = 0;
    try {
      for (;;) {
        big.add({ type: "user_text", text });
        n++;
      }
    } catch (error) {
      expect(error).toMatchObject({ code: "buffer_full" });
    }
    expect(n).toBe(Math.floor(MAX_UNCONFIRMED_BYTES / (big.unconfirmed()[0]?.bytes as number)));
    expect(big.bytes).toBeLessThanOrEqual(MAX_UNCONFIRMED_BYTES);
  });
});

describe("transcript reducer", () => {
  const turn = (seq: number, turn_id: string, text: string, final = true) =>
    ({ type: "agent_reply", seq, turn_id, text, final }) as const;

  it("replaces a turn's entry in place and appends new turns, without touching its input", () => {
    const one = applyTurn(EMPTY_TRANSCRIPT, turn(1, "a", "Hel", false));
    const two = applyTurn(one, turn(2, "a", "Hello"));
    const three = applyTurn(two, { ...turn(3, "a", "Hi"), type: "user_turn" });
    expect(one.entries.map((e) => e.text)).toEqual(["Hel"]);
    expect(two.entries).toEqual([
      { id: "agent:a", role: "agent", turnId: "a", text: "Hello", final: true, seq: 2 },
    ]);
    expect(three.entries.map((e) => e.id)).toEqual(["agent:a", "user:a"]);
    expect(Object.isFrozen(three.entries)).toBe(true);
    expect(EMPTY_TRANSCRIPT.entries).toEqual([]);
  });

  it(`keeps at most ${MAX_TRANSCRIPT_ENTRIES} entries, dropping the oldest, and still updates in place`, () => {
    let t = EMPTY_TRANSCRIPT;
    for (let i = 0; i < MAX_TRANSCRIPT_ENTRIES + 5; i++)
      t = applyTurn(t, turn(i + 1, `t${i}`, "x"));
    expect(t.entries.length).toBeLessThanOrEqual(MAX_TRANSCRIPT_ENTRIES);
    expect(t.entries.at(-1)?.turnId).toBe(`t${MAX_TRANSCRIPT_ENTRIES + 4}`);
    const updated = applyTurn(t, turn(99_999, `t${MAX_TRANSCRIPT_ENTRIES + 4}`, "changed"));
    expect(updated.entries.length).toBe(t.entries.length);
    expect(updated.entries.at(-1)?.text).toBe("changed");
  });
});

describe("UnpodSession is a plain class", () => {
  const options = {
    serverUrl: "wss://rtc.example.com",
    token: fakeToken({ exp: Date.now() / 1000 + 600 }),
  };

  it("keeps its methods on the prototype: a subclass's override runs and a prototype spy sees calls", async () => {
    const calls: string[] = [];
    class Audited extends UnpodSession {
      override async disconnect(): Promise<void> {
        calls.push("disconnect");
        return super.disconnect();
      }
      override getSnapshot() {
        calls.push("getSnapshot");
        return super.getSnapshot();
      }
    }
    const spy = vi.spyOn(UnpodSession.prototype, "on");
    try {
      const session = new Audited(options);
      const off = session.on("state", () => {});
      await session.disconnect();
      expect(session.getSnapshot().state).toBe("idle");
      off();
      expect(spy).toHaveBeenCalledTimes(1);
      expect(calls).toEqual(["disconnect", "getSnapshot"]);
      expect(Object.hasOwn(session, "disconnect")).toBe(false);
      expect(Object.hasOwn(session, "sendText")).toBe(false);
      // getSnapshot and subscribe are bound once (useSyncExternalStore passes them around
      // unbound); the binding is of the subclass's method.
      const { getSnapshot } = session;
      getSnapshot();
      expect(calls.at(-1)).toBe("getSnapshot");
    } finally {
      spy.mockRestore();
    }
  });
});
