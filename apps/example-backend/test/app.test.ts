import type { AddressInfo } from "node:net";
import { type ServerType, serve } from "@hono/node-server";
import { type DevServer, startDevServer } from "@unpod/dev-server";
import { TokenVerifier, UnpodArgumentError } from "@unpod/node";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import WebSocket from "ws";
import { type CreateAppOptions, createApp, readConfig } from "../src/index.js";

const APP_ORIGIN = "http://127.0.0.1:5173";
let dev: DevServer;
const servers: ServerType[] = [];

/** Serves the app on a free port of 127.0.0.1 and returns its URL. */
async function listen(overrides: Partial<CreateAppOptions> = {}): Promise<string> {
  const { apiKey, apiSecret } = dev.credentials;
  const app = createApp({
    apiKey,
    apiSecret,
    serverUrl: dev.rtcUrl,
    allowedOrigins: [APP_ORIGIN],
    tokenTtl: "2m",
    devAdminSecret: dev.adminSecret,
    ...overrides,
  });
  const server = await new Promise<ServerType>((resolve) => {
    const s = serve({ fetch: app.fetch, hostname: "127.0.0.1", port: 0 }, () => resolve(s));
  });
  servers.push(server);
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** Opens a real-time session with `token` and waits for `joined`. */
function join(token: string, query = ""): Promise<{ ws: WebSocket; sessionId: string }> {
  const ws = new WebSocket(
    `${dev.rtcUrl}/v1/rtc?access_token=${encodeURIComponent(token)}${query}`,
  );
  return new Promise((resolve, reject) => {
    ws.once("error", reject);
    ws.once("message", (data) => {
      const frame = JSON.parse(String(data)) as { type: string; session_id: string };
      if (frame.type === "joined") resolve({ ws, sessionId: frame.session_id });
      else reject(new Error(`expected joined, got ${frame.type}`));
    });
  });
}

let base: string;
beforeAll(async () => {
  dev = await startDevServer({ faults: true });
  base = await listen();
});
afterAll(async () => {
  for (const s of servers) s.close();
  await dev.close();
});

describe("token endpoint", () => {
  test("GET mints a short-lived token for that identity and room, verifiable with the API key pair", async () => {
    const res = await fetch(`${base}/api/token?identity=ada&room=support`);
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ serverUrl: dev.rtcUrl, identity: "ada", room: "support" });
    const { apiKey, apiSecret } = dev.credentials;
    const claims = await new TokenVerifier({ keys: { [apiKey]: apiSecret } }).verify(
      body.token as string,
    );
    expect(claims.sub).toBe("ada");
    expect(claims.iss).toBe(apiKey);
    expect(claims.video).toEqual({
      roomJoin: true,
      room: "support",
      canPublish: true,
      canSubscribe: true,
      canPublishData: true,
    });
    expect(claims.exp - (claims.nbf as number)).toBe(120);
    expect(body.expiresAt).toBe(claims.exp);
  });

  test("POST takes identity and room from a JSON body, and the token joins the room", async () => {
    const res = await fetch(`${base}/api/token`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ identity: "grace", room: "demo" }),
    });
    expect(res.status).toBe(200);
    const { token } = (await res.json()) as { token: string };
    const { ws } = await join(token);
    expect(dev.rtc.sessions().some((s) => s.identity === "grace" && s.room === "demo")).toBe(true);
    ws.close();
  });

  test.each([
    ["no identity", "room=demo", "identity"],
    ["identity with a space", "identity=a%20b&room=demo", "identity"],
    ["no room", "identity=ada", "room"],
    ["room too long", `identity=ada&room=${"r".repeat(65)}`, "room"],
  ])("400 with the platform's envelope for %s", async (_, query, field) => {
    const res = await fetch(`${base}/api/token?${query}`);
    expect(res.status).toBe(400);
    const body = (await res.json()) as { status_code: number; message: string };
    expect(body.status_code).toBe(400);
    expect(body.message).toMatch(new RegExp(`^${field} `));
  });

  test("POST with a body that is not JSON is a 400, not a crash", async () => {
    const res = await fetch(`${base}/api/token`, { method: "POST", body: "{nope" });
    expect(res.status).toBe(400);
  });
});

describe("CORS", () => {
  test("the example app's origin may call the token endpoint", async () => {
    const preflight = await fetch(`${base}/api/token`, {
      method: "OPTIONS",
      headers: {
        Origin: APP_ORIGIN,
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type",
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-origin")).toBe(APP_ORIGIN);
    expect(preflight.headers.get("access-control-allow-methods")).toContain("POST");
    const res = await fetch(`${base}/api/config`, { headers: { Origin: APP_ORIGIN } });
    expect(res.headers.get("access-control-allow-origin")).toBe(APP_ORIGIN);
  });

  test("any other origin gets no CORS grant", async () => {
    const res = await fetch(`${base}/api/token?identity=a&room=b`, {
      headers: { Origin: "https://evil.example" },
    });
    expect(res.headers.get("access-control-allow-origin")).toBeNull();
  });
});

describe("dev tools", () => {
  test("config tells the page where to connect and whether the drop button works", async () => {
    expect(await (await fetch(`${base}/api/config`)).json()).toEqual({
      serverUrl: dev.rtcUrl,
      devTools: true,
    });
  });

  test("an unknown session id is the dev server's 404", async () => {
    const res = await fetch(`${base}/api/dev/drop?sid=nope`, { method: "POST" });
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ message: "Session not found." });
  });

  test("POST /api/dev/drop drops that session's socket and keeps the session resumable, without exposing the admin secret", async () => {
    const { token } = (await (await fetch(`${base}/api/token?identity=lin&room=demo`)).json()) as {
      token: string;
    };
    const { ws, sessionId } = await join(token);
    const closed = new Promise<number>((resolve) => ws.once("close", (code) => resolve(code)));
    const res = await fetch(`${base}/api/dev/drop?sid=${sessionId}`, { method: "POST" });
    const text = await res.text();
    expect(res.status).toBe(204);
    expect(text).not.toContain(dev.adminSecret);
    for (const value of res.headers.values()) expect(value).not.toContain(dev.adminSecret);
    expect(await closed).toBe(1006);
    expect(dev.rtc.sessions().find((s) => s.sessionId === sessionId)?.connected).toBe(false);
  });

  test("a drop needs a session id: the page can never drop everyone", async () => {
    const { token } = (await (await fetch(`${base}/api/token?identity=kim&room=demo`)).json()) as {
      token: string;
    };
    const { ws, sessionId } = await join(token);
    for (const query of ["", "?sid=", "?sid=a%20b"]) {
      expect((await fetch(`${base}/api/dev/drop${query}`, { method: "POST" })).status).toBe(400);
    }
    expect(dev.rtc.sessions().find((s) => s.sessionId === sessionId)?.connected).toBe(true);
    ws.close();
  });

  test("GET /api/dev/uplink returns what the dev server heard as a WAV (a voice session), without the admin secret", async () => {
    const { token } = (await (await fetch(`${base}/api/token?identity=ash&room=demo`)).json()) as {
      token: string;
    };
    const { ws, sessionId } = await join(token, "&audio=pcm_s16le");
    // Two 20 ms frames of a 440 Hz tone at 16 kHz.
    for (let f = 0; f < 2; f++) {
      const pcm = new Int16Array(320);
      for (let i = 0; i < 320; i++)
        pcm[i] = Math.round(8000 * Math.sin((2 * Math.PI * 440 * (f * 320 + i)) / 16_000));
      ws.send(Buffer.from(pcm.buffer));
    }
    await expect
      .poll(async () =>
        (await fetch(`${base}/api/dev/uplink?sid=${sessionId}`)).headers.get(
          "x-audio-received-bytes",
        ),
      )
      .toBe("1280");
    const res = await fetch(`${base}/api/dev/uplink?sid=${sessionId}`, {
      headers: { Origin: APP_ORIGIN },
    });
    expect(res.headers.get("content-type")).toBe("audio/wav");
    expect(res.headers.get("access-control-expose-headers")).toContain("X-Audio-Received-Bytes");
    const wav = Buffer.from(await res.arrayBuffer());
    expect(wav.toString("ascii", 0, 4)).toBe("RIFF");
    expect(wav.length).toBe(44 + 1280);
    expect(wav.toString("latin1")).not.toContain(dev.adminSecret);
    for (const query of ["", "?sid=", "?sid=a%20b"]) {
      expect((await fetch(`${base}/api/dev/uplink${query}`)).status).toBe(400);
    }
    ws.close();
  });

  test("without the admin secret the drop route is off", async () => {
    const off = await listen({ devAdminSecret: undefined });
    expect((await fetch(`${off}/api/dev/drop?sid=abc`, { method: "POST" })).status).toBe(404);
    expect((await fetch(`${off}/api/dev/uplink?sid=abc`)).status).toBe(404);
    expect(await (await fetch(`${off}/api/config`)).json()).toMatchObject({ devTools: false });
  });

  test("a dev server that does not answer is a 502", async () => {
    const gone = await listen({ serverUrl: "ws://127.0.0.1:9" });
    const res = await fetch(`${gone}/api/dev/drop?sid=abc`, { method: "POST" });
    expect(res.status).toBe(502);
  });
});

describe("configuration", () => {
  test("readConfig names the missing variable", () => {
    expect(() => readConfig({ UNPOD_API_SECRET: "x" })).toThrow(UnpodArgumentError);
    expect(() => readConfig({ UNPOD_API_SECRET: "x" })).toThrow(/UNPOD_API_KEY/);
    expect(() => readConfig({ UNPOD_API_KEY: "k", UNPOD_API_SECRET: "s", PORT: "x" })).toThrow(
      /PORT/,
    );
  });

  test("readConfig defaults", () => {
    expect(readConfig({ UNPOD_API_KEY: "k", UNPOD_API_SECRET: "s" })).toEqual({
      apiKey: "k",
      apiSecret: "s",
      serverUrl: "ws://127.0.0.1:7880",
      allowedOrigins: ["http://localhost:5173", "http://127.0.0.1:5173"],
      tokenTtl: "10m",
      devAdminSecret: undefined,
      host: "127.0.0.1",
      port: 8787,
    });
  });

  test("a weak secret or a bad ttl fails at startup, not on the first request", () => {
    const ok = { serverUrl: "ws://127.0.0.1:1", allowedOrigins: [], apiKey: "k" };
    expect(() => createApp({ ...ok, apiSecret: "short", tokenTtl: "10m" })).toThrow(/apiSecret/);
    expect(() =>
      createApp({ ...ok, apiSecret: dev.credentials.apiSecret, tokenTtl: "forever" }),
    ).toThrow(/ttl/);
  });
});
