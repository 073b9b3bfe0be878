import { afterEach, describe, expect, it } from "vitest";
import type { WebSocket as ServerSocket } from "ws";
import type { ReconnectPolicy, UnpodSession } from "../src/index.js";
import { FakeClock } from "./clock.js";
import { joined, next, session, type TinyServer, tinyServer, until } from "./helpers.node.js";
import { fakeToken } from "./tokens.js";

const token = () => fakeToken({ exp: Date.now() / 1000 + 600 });
const frame = (f: Record<string, unknown>) => JSON.stringify(f);
const reply = (seq: number, text: string, turn = `t${seq}`) =>
  frame({ type: "agent_reply", seq, turn_id: turn, text, final: true });
const never: ReconnectPolicy = { nextDelay: () => null };

let tiny: TinyServer | undefined;
const sessions: UnpodSession[] = [];
afterEach(async () => {
  await Promise.all(sessions.splice(0).map((s) => s.disconnect()));
  await tiny?.close();
  tiny = undefined;
});

/**
 * A scripted server: `script(ws, n, url)` runs for the n-th accepted connection (1-based),
 * and `received` collects the client frames (parsed) per connection.
 */
async function scripted(
  script: (ws: ServerSocket, n: number, url: URL) => void,
  noLeaveAnswer = false,
) {
  const received: Record<string, unknown>[][] = [];
  tiny = await tinyServer({
    onUpgrade: () => (ws, req) => {
      const log: Record<string, unknown>[] = [];
      received.push(log);
      ws.on("message", (data) => {
        const f = JSON.parse(String(data));
        log.push(f);
        if (f.type === "leave" && !noLeaveAnswer) ws.close(1000); // like a real server
      });
      script(ws, received.length, new URL(req.url ?? "/", "http://x"));
    },
  });
  return { t: tiny, received };
}

const make = (t: TinyServer, o: Record<string, unknown> = {}) => {
  const s = session(t.wsUrl, { token: token(), ...o });
  sessions.push(s);
  return s;
};

describe("liveness", () => {
  it("pings every 10 s and treats 20 s of silence as a drop", async () => {
    const clock = new FakeClock();
    const { t, received } = await scripted((ws, n) => {
      ws.send(joined({ resumed: n > 1 })); // then silence: no pongs
    });
    const s = make(t, { clock });
    await s.connect();
    clock.advance(10_000);
    await until(() => received[0]?.some((f) => f.type === "ping") ?? false);
    expect(received[0]?.find((f) => f.type === "ping")).toEqual({ type: "ping", t: clock.now() });
    const reconnecting = next(s, "state", (e) => e.state === "reconnecting");
    clock.advance(10_000);
    await reconnecting;
    clock.advance(0); // the first attempt is immediate
    await until(() => t.upgrades === 2 && s.getSnapshot().state === "connected");
  });

  it("any frame keeps the connection alive", async () => {
    const clock = new FakeClock();
    let server: ServerSocket | undefined;
    const { t } = await scripted((ws) => {
      server = ws;
      ws.send(joined());
    });
    const s = make(t, { clock });
    await s.connect();
    for (let i = 2; i < 6; i++) {
      clock.advance(15_000);
      server?.send(reply(i, `r${i}`));
      await until(() => s.getSnapshot().transcript.length === i - 1);
    }
    expect(s.getSnapshot().state).toBe("connected");
    expect(t.upgrades).toBe(1);
  });
});

describe("resume details", () => {
  it("sends sid and last_seq, drops replayed duplicates, resends unconfirmed text", async () => {
    const urls: URL[] = [];
    const { t, received } = await scripted((ws, n, url) => {
      urls.push(url);
      if (n === 1) {
        ws.send(joined({ seq: 1 }));
        ws.send(reply(2, "a"));
        ws.send(reply(3, "b"));
        // The client's user_text (seq 1) arrives; the server "crashes" before processing it.
        ws.once("message", () => ws.terminate());
      } else {
        // Resume: joined (fresh seq), then an overlapping replay — 3 again, then 4 and 5.
        ws.send(joined({ seq: 6, resumed: true, client_seq: 0 }));
        ws.send(reply(3, "b"));
        ws.send(reply(4, "c"));
        ws.send(reply(5, "d"));
      }
    });
    const s = make(t);
    const texts: string[] = [];
    s.on("agent_reply", ({ text }) => texts.push(text));
    await s.connect();
    await until(() => texts.length === 2);
    s.sendText("hello");
    await until(() => texts.length === 4);
    expect(texts).toEqual(["a", "b", "c", "d"]);
    expect(urls[1]?.searchParams.get("reconnect")).toBe("1");
    expect(urls[1]?.searchParams.get("sid")).toBe("SE_tiny");
    expect(urls[1]?.searchParams.get("last_seq")).toBe("3");
    expect(urls[0]?.searchParams.has("sid")).toBe(false);
    // The unconfirmed user_text is sent again on the resumed socket, with the same seq.
    await until(() => received[1]?.some((f) => f.type === "user_text") ?? false);
    expect(received[1]?.find((f) => f.type === "user_text")).toEqual({
      type: "user_text",
      seq: 1,
      text: "hello",
    });
  });

  it("does not resend text the server confirmed (client_seq)", async () => {
    const { t, received } = await scripted((ws, n) => {
      if (n === 1) {
        ws.send(joined());
        ws.once("message", () => setTimeout(() => ws.terminate(), 5));
      } else {
        ws.send(joined({ seq: 2, resumed: true, client_seq: 1 }));
      }
    });
    const s = make(t);
    await s.connect();
    s.sendText("once");
    await until(() => t.upgrades === 2 && s.getSnapshot().state === "connected");
    s.sendText("twice?");
    await until(() => received[1]?.some((f) => f.type === "user_text") ?? false);
    expect(received[1]?.filter((f) => f.type === "user_text")).toEqual([
      { type: "user_text", seq: 2, text: "twice?" },
    ]);
  });

  it("acknowledges processed frames: after 32 at once, else 250 ms after the first", async () => {
    const clock = new FakeClock();
    let server: ServerSocket | undefined;
    const { t, received } = await scripted((ws) => {
      server = ws;
      ws.send(joined());
    });
    const s = make(t, { clock });
    await s.connect();
    for (let i = 2; i <= 41; i++) server?.send(reply(i, `r${i}`));
    await until(() => s.getSnapshot().transcript.length === 40);
    await until(() => received[0]?.some((f) => f.type === "ack") ?? false);
    expect(received[0]?.filter((f) => f.type === "ack")).toEqual([{ type: "ack", seq: 32 }]);
    clock.advance(250);
    await until(() => (received[0]?.filter((f) => f.type === "ack").length ?? 0) === 2);
    expect(received[0]?.at(-1)).toEqual({ type: "ack", seq: 41 });
  });

  it("replaces a non-final transcript entry with its update", async () => {
    let server: ServerSocket | undefined;
    const { t } = await scripted((ws) => {
      server = ws;
      ws.send(joined());
    });
    const s = make(t);
    await s.connect();
    const before = s.getSnapshot();
    server?.send(frame({ type: "user_turn", seq: 2, turn_id: "u1", text: "hel", final: false }));
    server?.send(frame({ type: "agent_reply", seq: 3, turn_id: "a1", text: "Hi", final: false }));
    server?.send(frame({ type: "user_turn", seq: 4, turn_id: "u1", text: "hello", final: true }));
    await until(() => s.getSnapshot().transcript[0]?.final === true);
    expect(s.getSnapshot().transcript).toEqual([
      { id: "user:u1", role: "user", turnId: "u1", text: "hello", final: true, seq: 4 },
      { id: "agent:a1", role: "agent", turnId: "a1", text: "Hi", final: false, seq: 3 },
    ]);
    expect(before.transcript).toEqual([]);
    expect(Object.isFrozen(s.getSnapshot().transcript)).toBe(true);
  });
});

describe("listeners and logging", () => {
  it("a throwing listener goes to logger.warn; the session and other listeners go on", async () => {
    let server: ServerSocket | undefined;
    const { t } = await scripted((ws) => {
      server = ws;
      ws.send(joined());
    });
    const warnings: unknown[] = [];
    const s = make(t, { logger: { warn: (message: string) => warnings.push(message) } });
    const seen: string[] = [];
    s.on("agent_reply", () => {
      throw new Error("app bug");
    });
    s.on("agent_reply", ({ text }) => seen.push(text));
    s.subscribe(() => {
      throw new Error("app bug");
    });
    await s.connect();
    server?.send(reply(2, "x"));
    await until(() => seen.length === 1);
    expect(s.getSnapshot().transcript).toHaveLength(1);
    expect(warnings.length).toBeGreaterThanOrEqual(2);
    expect(s.getSnapshot().state).toBe("connected");
  });
});

describe("frames and close codes", () => {
  it("ignores unknown frame types and binary frames; pongs carry no seq", async () => {
    let server: ServerSocket | undefined;
    const { t } = await scripted((ws) => {
      server = ws;
      ws.send(joined());
    });
    const s = make(t);
    await s.connect();
    server?.send(frame({ type: "future_thing", seq: 2, x: 1 }));
    server?.send(Buffer.from([1, 2, 3]));
    server?.send(frame({ type: "pong", t: 1 }));
    server?.send(reply(3, "still here"));
    await until(() => s.getSnapshot().transcript.length === 1);
    expect(s.getSnapshot().state).toBe("connected");
  });

  it("a malformed frame stops the session with protocol_error", async () => {
    let server: ServerSocket | undefined;
    const { t } = await scripted((ws) => {
      server = ws;
      ws.send(joined());
    });
    const s = make(t);
    await s.connect();
    const gone = next(s, "disconnected");
    server?.send("{not json");
    expect(await gone).toMatchObject({ reason: "error", error: { code: "protocol_error" } });
  });

  it("a first frame other than joined fails the connect with protocol_error", async () => {
    const { t } = await scripted((ws) => ws.send(reply(1, "too early")));
    await expect(make(t).connect()).rejects.toMatchObject({ code: "protocol_error" });
  });

  const stops: [number, string][] = [
    [4001, "unauthorized"],
    [4003, "forbidden"],
    [4009, "session_replaced"],
    [4400, "protocol_error"],
  ];
  for (const [code, expected] of stops) {
    it(`close ${code} stops with ${expected}`, async () => {
      let server: ServerSocket | undefined;
      const { t } = await scripted((ws) => {
        server = ws;
        ws.send(joined());
      });
      const s = make(t);
      await s.connect();
      const gone = next(s, "disconnected");
      server?.close(code);
      expect(await gone).toMatchObject({
        reason: "error",
        error: { name: "UnpodSessionError", code: expected, closeCode: code },
      });
      expect(t.upgrades).toBe(1);
    });
  }

  for (const code of [1001, 1012, 4008]) {
    it(`close ${code} resumes`, async () => {
      const { t } = await scripted((ws, n) => {
        ws.send(joined({ seq: n, resumed: n > 1 }));
        if (n === 1) setTimeout(() => ws.close(code), 5);
      });
      const s = make(t);
      await s.connect();
      await until(() => t.upgrades === 2 && s.getSnapshot().state === "connected");
    });
  }

  it("close 1000 without leave ends the session (session_ended)", async () => {
    const { t } = await scripted((ws) => {
      ws.send(joined());
      setTimeout(() => ws.close(1000), 5);
    });
    const s = make(t, { reconnect: never });
    const gone = next(s, "disconnected");
    await s.connect();
    expect(await gone).toEqual({ reason: "session_ended", error: undefined });
  });

  for (const reason of ["removed", "session_ended"]) {
    it(`leave {${reason}} ends the session with that reason`, async () => {
      const { t } = await scripted((ws) => {
        ws.send(joined());
        ws.send(frame({ type: "leave", seq: 2, reason }));
        setTimeout(() => ws.close(1000), 5);
      });
      const s = make(t);
      const gone = next(s, "disconnected");
      await s.connect();
      expect(await gone).toEqual({ reason, error: undefined });
    });
  }

  it("disconnect() gives up waiting for the server's answer after 3 s", async () => {
    const clock = new FakeClock();
    const { t, received } = await scripted((ws) => ws.send(joined()), true); // never answers leave
    const s = make(t, { clock });
    await s.connect();
    s.sendText("x");
    const done = s.disconnect();
    await until(() => received[0]?.some((f) => f.type === "leave") ?? false);
    expect(received[0]?.find((f) => f.type === "leave")).toEqual({ type: "leave", seq: 2 });
    clock.advance(3000);
    await done;
    expect(s.getSnapshot().state).toBe("disconnected");
    expect(clock.pending).toBe(0);
  });
});
