import type { DevServer } from "@unpod/dev-server";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { exponentialBackoff, type ReconnectPolicy, UnpodSession } from "../src/index.js";
import { MAX_UNCONFIRMED_FRAMES } from "../src/internal/outbox.js";
import { outboxOf } from "../src/session.js";
import { FakeClock } from "./clock.js";
import {
  devServer,
  joined,
  mint,
  next,
  rejection,
  session,
  type TinyServer,
  tinyServer,
  until,
  WebSocket,
} from "./helpers.node.js";
import { fakeToken } from "./tokens.js";

// Hostile conditions: servers that accept and drop, token endpoints that answer HTML, loggers
// and token sources that throw, long healthy sessions, resumes the server cannot honour.

const open: UnpodSession[] = [];
const servers: TinyServer[] = [];
const track = <S extends UnpodSession>(s: S) => {
  open.push(s);
  return s;
};
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.disconnect()));
  await Promise.all(servers.splice(0).map((t) => t.close()));
});
const tiny = async (handlers: Parameters<typeof tinyServer>[0]) => {
  const t = await tinyServer(handlers);
  servers.push(t);
  return t;
};
const freshToken = () => fakeToken({ exp: Date.now() / 1000 + 600 });

describe("a server that accepts and then drops every socket", () => {
  it("gets a handful of upgrades in 2 s, not a storm (the attempt count survives brief connections)", async () => {
    const t = await tiny({
      onUpgrade: () => (ws) => {
        ws.send(joined({ resumed: t.upgrades > 1 }));
        ws.terminate();
      },
    });
    const s = track(session(t.wsUrl, { token: freshToken() }));
    const attempts: number[] = [];
    s.on("state", ({ state }) => {
      if (state === "reconnecting") attempts.push(s.getSnapshot().reconnectAttempt);
    });
    await s.connect();
    await new Promise((r) => setTimeout(r, 2000));
    // Default policy: 250 ms doubling with up to half off at random → at most 1 + 5 upgrades
    // in 2 s (the old client made 807).
    expect(t.upgrades).toBeGreaterThanOrEqual(2);
    expect(t.upgrades).toBeLessThanOrEqual(6);
    // The count went up across the brief connections instead of restarting at 1.
    expect(attempts).toEqual(attempts.map((_, i) => i + 1));
  });

  it("gives up at the policy's limit", async () => {
    const t = await tiny({
      onUpgrade: () => (ws) => {
        ws.send(joined({ resumed: t.upgrades > 1 }));
        ws.terminate();
      },
    });
    const s = track(
      session(t.wsUrl, {
        token: freshToken(),
        reconnect: exponentialBackoff({ maxAttempts: 3, initialDelayMs: 5, maxDelayMs: 20 }),
      }),
    );
    const gone = next(s, "disconnected");
    await s.connect();
    expect(await gone).toMatchObject({ reason: "error", error: { code: "network_error" } });
    expect(t.upgrades).toBe(1 + 3);
  });

  it("never retries at once after a brief connection, even on the first drop", () => {
    const policy = exponentialBackoff({ random: () => 0 });
    const error = undefined as never;
    expect(policy.nextDelay({ attempt: 1, elapsedMs: 0, error, connectedMs: 50 })).toBe(250);
    expect(policy.nextDelay({ attempt: 1, elapsedMs: 0, error, connectedMs: 60_000 })).toBe(0);
  });
});

describe("the resend buffer stays bounded", () => {
  let server: DevServer;
  beforeAll(async () => {
    server = await devServer();
  });
  afterAll(() => server.close());

  it("10,000 texts in a healthy session: the server's acks keep it small", async () => {
    const s = track(session(server, { token: await mint(server) }));
    let echoes = 0;
    s.on("agent_reply", () => {
      echoes += 1;
    });
    await s.connect();
    const outbox = outboxOf(s);
    let largest = 0;
    for (let batch = 0; batch < 100; batch++) {
      for (let i = 0; i < 100; i++) s.sendText(`message ${batch * 100 + i} ${"·".repeat(40)}`);
      largest = Math.max(largest, outbox.size);
      await until(() => echoes === (batch + 1) * 100, 10_000, `batch ${batch}`);
    }
    // Confirmed frames are forgotten: after the last ack (≤ 250 ms) nothing is kept.
    await until(() => outbox.size === 0, 2000, "the last ack");
    expect(outbox.bytes).toBe(0);
    // At most a batch plus what the server had not yet acknowledged (< 32) — not 10,000.
    expect(largest).toBeLessThan(100 + 32);
  }, 90_000); // 10,000 round trips: seconds alone, a minute on CI's loaded two cores

  it("while the connection is down, sendText refuses past the cap (buffer_full) and loses nothing", async () => {
    const clock = new FakeClock();
    const waiting: ReconnectPolicy = { nextDelay: ({ attempt }) => (attempt > 3 ? null : 1000) };
    const s = track(session(server, { token: await mint(server), clock, reconnect: waiting }));
    const echoes: string[] = [];
    s.on("agent_reply", ({ text }) => echoes.push(text));
    await s.connect();
    server.rtc.dropSession(s.getSnapshot().sessionId as string);
    await until(() => s.getSnapshot().state === "reconnecting");
    for (let i = 0; i < MAX_UNCONFIRMED_FRAMES; i++) s.sendText(`t${i}`);
    const refused = await rejection(() => s.sendText("one too many"));
    expect(refused).toMatchObject({ name: "UnpodSessionError", code: "buffer_full" });
    expect(outboxOf(s).size).toBe(MAX_UNCONFIRMED_FRAMES);
    clock.advance(1000); // the back-off ends: resume, resend
    await until(() => echoes.length === MAX_UNCONFIRMED_FRAMES, 10_000, "every echo");
    expect(echoes).toEqual(echoes.map((_, i) => `Echo: t${i}`));
  });

  it("a resume the server cannot honour (frames dropped from its buffer) → a new session, said so", async () => {
    let minted = 0;
    const s = track(
      session(server, {
        tokenSource: async () => {
          minted += 1;
          return mint(server);
        },
        reconnect: { nextDelay: ({ attempt }) => (attempt > 3 ? null : 50) },
      }),
    );
    const lost = next(s, "error");
    await s.connect();
    const first = s.getSnapshot().sessionId as string;
    server.rtc.push(first, { type: "agent_reply", turn_id: "a", text: "before", final: true });
    await until(() => s.getSnapshot().transcript.length === 1);
    server.rtc.dropSession(first);
    // 12 MB while the client is away: more than the server's 8 MiB replay buffer keeps.
    const text = "x".repeat(60_000);
    for (let i = 0; i < 200; i++) {
      server.rtc.push(first, { type: "agent_reply", turn_id: `b${i}`, text, final: true });
    }
    expect(await lost).toMatchObject({
      fatal: false,
      error: { name: "UnpodSessionError", code: "session_not_found" },
    });
    await until(() => s.getSnapshot().state === "connected");
    const after = s.getSnapshot();
    expect(after.sessionId).not.toBe(first);
    expect(after.transcript).toEqual([]); // nothing half-replayed
    expect(minted).toBe(1); // the first token was still fresh
  });
});

describe("a logger that throws", () => {
  let server: DevServer;
  beforeAll(async () => {
    server = await devServer();
  });
  afterAll(() => server.close());

  it("changes nothing: connect, listeners that throw, reconnect and disconnect all work", async () => {
    let calls = 0;
    const logger = {
      debug() {
        calls += 1;
        throw new Error("debug broke");
      },
      warn() {
        calls += 1;
        throw new Error("warn broke");
      },
    };
    const s = track(session(server, { token: await mint(server), logger }));
    s.on("state", () => {
      throw new Error("listener broke"); // reported to logger.warn, which throws too
    });
    await s.connect();
    expect(s.getSnapshot().state).toBe("connected");
    const reply = next(s, "agent_reply");
    s.sendText("still works");
    expect(await reply).toMatchObject({ text: "Echo: still works" });
    server.rtc.dropSession(s.getSnapshot().sessionId as string);
    await until(() => s.getSnapshot().state === "reconnecting");
    await until(() => s.getSnapshot().state === "connected");
    await s.disconnect();
    expect(s.getSnapshot().state).toBe("disconnected");
    expect(calls).toBeGreaterThan(3);
  });
});

describe("token sources that misbehave", () => {
  it("an HTML page (an SPA fallback) → invalid_token naming the URL, content type and status; asked once", async () => {
    let asked = 0;
    const t = await tiny({
      onRequest: (_req, res) => {
        asked += 1;
        res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
        res.end("<!doctype html><html><body><div id=root></div></body></html>");
      },
    });
    const s = track(session(t.wsUrl, { tokenSource: `${t.url}/api/unpod-token` }));
    const error = await rejection(s.connect());
    expect(error).toMatchObject({
      name: "UnpodTokenError",
      code: "invalid_token",
      reason: "token_response",
    });
    expect(error.message).toBe(
      `${t.url}/api/unpod-token returned text/html (200); expected JSON {"token": …}.`,
    );
    expect(asked).toBe(1);
    expect(t.upgrades).toBe(0);
    expect(s.getSnapshot()).toMatchObject({ state: "disconnected", error });
  });

  it('a truncated JSON body, or JSON without "token" → invalid_token, not a network error', async () => {
    const bodies = ['{"tok', '{"access": "x"}'];
    const t = await tiny({
      onRequest: (_req, res) => {
        res.writeHead(200, { "content-type": "application/json" });
        res.end(bodies.shift());
      },
    });
    const url = `${t.url}/token`;
    const first = await rejection(track(session(t.wsUrl, { tokenSource: url })).connect());
    expect(first).toMatchObject({ code: "invalid_token", reason: "token_response" });
    expect(first.message).toContain("does not parse");
    const second = await rejection(track(session(t.wsUrl, { tokenSource: url })).connect());
    expect(second).toMatchObject({ code: "invalid_token", reason: "token_response" });
    expect(second.message).toContain('no "token" string');
  });

  it("a body larger than 64 KiB is cut off, not buffered, and refused", async () => {
    const t = await tiny({
      onRequest: (_req, res) => {
        res.writeHead(200, { "content-type": "application/json" });
        res.end(`{"token": "${"a".repeat(1024 * 1024)}"}`);
      },
    });
    const error = await rejection(
      track(session(t.wsUrl, { tokenSource: `${t.url}/token` })).connect(),
    );
    expect(error).toMatchObject({ code: "invalid_token", reason: "token_response" });
  });

  it("a function that throws synchronously is caught inside the deadline: no timer is left", async () => {
    const clock = new FakeClock();
    const s = track(
      session("ws://127.0.0.1:9", {
        clock,
        tokenSource: (() => {
          throw new TypeError("backend client not configured");
        }) as never,
      }),
    );
    const error = await rejection(s.connect());
    expect(error).toMatchObject({ name: "UnpodConnectionError", code: "network_error" });
    expect(error.message).toBe("tokenSource failed: backend client not configured");
    expect(error.cause).toBeInstanceOf(TypeError);
    expect(clock.pending).toBe(0);
  });

  it("a function that returns something other than a string → invalid_token saying so", async () => {
    const s = track(session("ws://127.0.0.1:9", { tokenSource: async () => 42 as never }));
    const error = await rejection(s.connect());
    expect(error).toMatchObject({ code: "invalid_token", reason: "token_response" });
    expect(error.message).toBe("tokenSource returned number; expected a token string.");
  });

  it("a relative token URL outside a page is a usage error at construction", () => {
    let thrown: unknown;
    try {
      new UnpodSession({ serverUrl: "ws://127.0.0.1:7880", tokenSource: "/api/unpod-token" });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toMatchObject({ name: "UnpodArgumentError", option: "tokenSource" });
    expect(String((thrown as Error).message)).toContain("pass an absolute URL");
  });
});

describe("refusals that say why", () => {
  it("a server's reason and hint reach the error (e.g. the dev server's unknown_key)", async () => {
    const body = JSON.stringify({
      status_code: 401,
      message: "Invalid token.",
      reason: "unknown_key",
      hint: 'No API key "APIold" here: the dev server makes new credentials on every start.',
    });
    const t = await tiny({
      onUpgrade: () => 401,
      onRequest: (_req, res) => {
        res.writeHead(401, { "content-type": "application/json" }).end(body);
      },
    });
    const error = await rejection(track(session(t.wsUrl, { token: freshToken() })).connect());
    expect(error).toMatchObject({
      name: "UnpodSessionError",
      code: "unauthorized",
      reason: "unknown_key",
    });
    expect(error.message).toBe(
      'Invalid token. No API key "APIold" here: the dev server makes new credentials on every start.',
    );
  });
});

describe("disconnecting", () => {
  let server: DevServer;
  beforeAll(async () => {
    server = await devServer();
  });
  afterAll(() => server.close());

  it("is a state of its own: sendText is refused, and connect() waits for the end, then starts anew", async () => {
    const s = track(session(server, { token: await mint(server) }));
    await s.connect();
    const first = s.getSnapshot().sessionId;
    const states: string[] = [];
    s.on("state", ({ state }) => states.push(state));
    const leaving = s.disconnect();
    expect(s.getSnapshot().state).toBe("disconnecting");
    expect(await rejection(() => s.sendText("late"))).toMatchObject({ code: "network_error" });
    expect(s.disconnect()).toBe(leaving);
    const again = s.connect();
    await leaving;
    await again;
    expect(states).toEqual(["disconnecting", "disconnected", "connecting", "connected"]);
    expect(s.getSnapshot().sessionId).not.toBe(first);
  });

  it("a socket that breaks while disconnecting still resolves disconnect()", async () => {
    const clock = new FakeClock();
    const t = await tiny({
      onUpgrade: () => (ws) => {
        ws.send(joined());
        ws.on("message", () => ws.send("not json")); // answers leave with garbage
      },
    });
    const s = session(t.wsUrl, { token: freshToken(), clock });
    await s.connect();
    const gone = next(s, "disconnected");
    await s.disconnect();
    expect((await gone).reason).toBe("error");
    expect(clock.pending).toBe(0);
  });
});

describe("options are checked once, each by name", () => {
  const base = { serverUrl: "wss://rtc.example.com", token: freshToken() };
  const optionOf = (options: Record<string, unknown>) => {
    try {
      new UnpodSession({ ...base, ...options } as never);
    } catch (error) {
      return (error as { option?: string }).option;
    }
    return undefined;
  };

  it.each<[string, Record<string, unknown>]>([
    ["tokenSource", { token: undefined, tokenSource: 42 }],
    ["tokenSource", { token: undefined, tokenSource: "ftp://example.com/token" }],
    ["tokenSource", { token: undefined, tokenSource: "http://example.com/token" }],
    ["WebSocket", { WebSocket: "ws" }],
    ["fetch", { fetch: {} }],
    ["reconnect", { reconnect: true }],
    ["connectTimeout", { connectTimeout: 0 }],
    ["tokenStaleMargin", { tokenStaleMargin: "soon" }],
    ["allowInsecure", { allowInsecure: "yes" }],
    ["logger", { logger: "console" }],
    ["clock", { clock: { now: Date.now } }],
    ["serverUrl", { serverUrl: "wss://user:pass@rtc.example.com" }],
  ])("%s: %j", (option, options) => {
    expect(optionOf(options)).toBe(option);
  });

  it("the whole options object too", () => {
    expect(optionOf({})).toBeUndefined();
    let thrown: unknown;
    try {
      new UnpodSession(null as never);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toMatchObject({ name: "UnpodArgumentError", option: "options" });
  });

  it("connect({ signal }) must be an AbortSignal", async () => {
    const s = new UnpodSession({ ...base, WebSocket });
    expect(await rejection(s.connect({ signal: "stop" as never }))).toMatchObject({
      option: "signal",
    });
    expect(s.getSnapshot().state).toBe("idle");
  });
});
