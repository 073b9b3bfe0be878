import type { DevServer } from "@unpod/dev-server";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { FakeClock } from "./clock.js";
import {
  devServer,
  mint,
  rejection,
  session,
  type TinyServer,
  tinyServer,
  until,
} from "./helpers.node.js";
import { fakeToken } from "./tokens.js";

const valid = () => fakeToken({ exp: Date.now() / 1000 + 600 });

describe("a refused upgrade is explained by the validate endpoint", () => {
  let tiny: TinyServer | undefined;
  afterEach(async () => {
    await tiny?.close();
    tiny = undefined;
  });

  /** Refuses every upgrade with `status`; the validate endpoint answers the same. */
  async function refusing(status: number, message: string, headers: Record<string, string> = {}) {
    tiny = await tinyServer({
      onUpgrade: () => status,
      onRequest: (req, res) => {
        expect(req.url).toMatch(/^\/v1\/rtc\/validate\?access_token=/);
        res.writeHead(status, { "content-type": "application/json", ...headers });
        res.end(JSON.stringify({ status_code: status, message }));
      },
    });
    return tiny;
  }

  const cases: [number, string, Record<string, unknown>][] = [
    [403, "Token has expired.", { name: "UnpodTokenError", code: "token_expired", claim: "exp" }],
    [401, "Invalid token.", { name: "UnpodSessionError", code: "unauthorized" }],
    [403, "Permission denied.", { name: "UnpodSessionError", code: "forbidden" }],
    [404, "Session not found.", { name: "UnpodSessionError", code: "session_not_found" }],
    [400, "Malformed request.", { name: "UnpodApiError", code: "bad_request", status: 400 }],
    [429, "Too many requests.", { name: "UnpodApiError", code: "rate_limited", retryAfter: 3 }],
    [500, "Oops.", { name: "UnpodApiError", code: "server_error" }],
  ];
  for (const [status, message, expected] of cases) {
    it(`${status} ${message} → ${expected.code}`, async () => {
      const t = await refusing(status, message, { "retry-after": "3" });
      const s = session(t.wsUrl, { token: valid() });
      const error = await rejection(s.connect());
      expect(error).toMatchObject({ ...expected, message });
      expect(s.getSnapshot()).toMatchObject({ state: "disconnected", error });
      expect(t.requests).toHaveLength(1);
      // The token never leaks into the error.
      expect(JSON.stringify(error)).not.toContain("eyJ");
    });
  }

  it("validate says OK although the socket failed → network_error", async () => {
    const t = await refusing(200, "OK");
    await expect(session(t.wsUrl, { token: valid() }).connect()).rejects.toMatchObject({
      name: "UnpodConnectionError",
      code: "network_error",
    });
  });

  it("nothing listening → network_error (unreachable)", async () => {
    const t = await tinyServer({});
    const url = t.wsUrl;
    await t.close();
    await expect(session(url, { token: valid() }).connect()).rejects.toMatchObject({
      code: "network_error",
    });
  });

  it("no answer within connectTimeout → timeout (injected clock)", async () => {
    const clock = new FakeClock();
    tiny = await tinyServer({ onUpgrade: () => "hang" });
    const s = session(tiny.wsUrl, { token: valid(), clock, connectTimeout: "5s" });
    const result = rejection(s.connect());
    await until(() => tiny?.upgrades === 1);
    clock.advance(4_999);
    expect(s.getSnapshot().state).toBe("connecting");
    clock.advance(1);
    expect(await result).toMatchObject({ code: "timeout" });
    expect(clock.pending).toBe(0);
  });

  it("connect({ signal }) aborts a hanging upgrade", async () => {
    tiny = await tinyServer({ onUpgrade: () => "hang" });
    const ctl = new AbortController();
    const s = session(tiny.wsUrl, { token: valid() });
    const result = rejection(s.connect({ signal: ctl.signal }));
    await until(() => tiny?.upgrades === 1);
    ctl.abort();
    expect(await result).toMatchObject({ code: "aborted" });
    expect(s.getSnapshot().state).toBe("disconnected");
  });

  it("disconnect() during a hanging upgrade stops cleanly, clearing every timer", async () => {
    const clock = new FakeClock();
    tiny = await tinyServer({ onUpgrade: () => "hang" });
    const s = session(tiny.wsUrl, { token: valid(), clock });
    const result = rejection(s.connect());
    await until(() => tiny?.upgrades === 1);
    expect(clock.pending).toBe(1); // the connect deadline
    const gone = new Promise((r) => s.on("disconnected", r));
    await s.disconnect();
    expect(await result).toMatchObject({ code: "aborted" });
    expect(await gone).toEqual({ reason: "client_left", error: undefined });
    expect(clock.pending).toBe(0);
  });

  it("connect({ signal }) aborts while the validate call hangs", async () => {
    tiny = await tinyServer({ onUpgrade: () => 401, onRequest: () => {} });
    const ctl = new AbortController();
    const s = session(tiny.wsUrl, { token: valid() });
    const result = rejection(s.connect({ signal: ctl.signal }));
    await until(() => tiny?.requests.length === 1);
    ctl.abort();
    expect(await result).toMatchObject({ code: "aborted" });
  });

  it("an already-aborted signal fails before any traffic", async () => {
    tiny = await tinyServer({ onUpgrade: () => "hang" });
    const s = session(tiny.wsUrl, { token: valid() });
    await expect(s.connect({ signal: AbortSignal.abort() })).rejects.toMatchObject({
      code: "aborted",
    });
    expect(tiny.upgrades).toBe(0);
  });

  it("connect({ signal }) aborts a token source fetch", async () => {
    tiny = await tinyServer({});
    const ctl = new AbortController();
    let asked = false;
    const s = session(tiny.wsUrl, {
      tokenSource: () => {
        asked = true;
        return new Promise<string>(() => {});
      },
    });
    const result = rejection(s.connect({ signal: ctl.signal }));
    await until(() => asked);
    ctl.abort();
    expect(await result).toMatchObject({ code: "aborted" });
    expect(tiny.upgrades).toBe(0);
  });
});

describe("refusals from the dev server", () => {
  let server: DevServer;
  beforeAll(async () => {
    server = await devServer();
  });
  afterAll(() => server.close());

  it("a forged token → unauthorized", async () => {
    const token = await mint(server, { secret: "x".repeat(43) });
    await expect(session(server, { token }).connect()).rejects.toMatchObject({
      name: "UnpodSessionError",
      code: "unauthorized",
    });
  });

  it("a key the dev server does not know (it restarted with new credentials) → unauthorized, saying why", async () => {
    const secret = "s".repeat(43);
    const token = await mint(server, { apiKey: "APIfromLastRestart", secret });
    const error = await rejection(session(server, { token }).connect());
    expect(error).toMatchObject({
      name: "UnpodSessionError",
      code: "unauthorized",
      reason: "unknown_key",
    });
    expect(error.message).toMatch(/^Invalid token\. .*APIfromLastRestart.*UNPOD_API_KEY/);
    expect(JSON.stringify(error) + error.message).not.toContain(secret);
  });

  it("a grant without roomJoin → forbidden", async () => {
    const token = await mint(server, { roomJoin: false });
    await expect(session(server, { token }).connect()).rejects.toMatchObject({
      code: "forbidden",
    });
  });

  it("expired by the server's clock (client clock behind) → token_expired", async () => {
    const token = await mint(server, { ttl: 60, now: () => Date.now() - 120_000 });
    const clock = new FakeClock(Date.now() - 119_000);
    const s = session(server, { token, clock });
    const before = server.rtc.stats();
    await expect(s.connect()).rejects.toMatchObject({
      name: "UnpodTokenError",
      code: "token_expired",
      message: "Token has expired.",
    });
    const after = server.rtc.stats();
    expect(after.refused - before.refused).toBe(1);
    expect(after.validates - before.validates).toBe(1);
  });
});
