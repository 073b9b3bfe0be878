// Issue 12's dev-server defects: a refresh that re-signs the verified claims (so grant
// fields this SDK does not model, like LiveKit's `ingressAdmin`, refresh too), one way to
// apply a fault whatever the endpoint, and durations in the one shared grammar.
import { request } from "node:http";
import { decodeToken } from "@unpod/core";
import { TokenVerifier } from "@unpod/node";
import { describe, expect, test } from "vitest";
import type { DevServer } from "../src/index.js";
import { FakeClock, RtcClient, rtcUrl, signRaw, start } from "./helpers.js";

describe("token refresh re-signs the verified claims", () => {
  test("a token with grant fields the SDK does not model (LiveKit's ingressAdmin) refreshes", async () => {
    const clock = new FakeClock();
    const server = await start({ clock });
    try {
      const nbf = Math.floor(clock.now() / 1000);
      const { apiKey, apiSecret } = server.credentials;
      const original = {
        iss: apiKey,
        sub: "ivy",
        name: "Ivy",
        nbf,
        exp: nbf + 4,
        jti: "ivy-1",
        video: { room: "r1", roomJoin: true, canPublishData: true, ingressAdmin: true },
        sip: { call: true },
        kind: "standard",
      };
      const token = await signRaw(apiSecret, original);
      const c = await RtcClient.connect(rtcUrl(server, { access_token: token }));
      await c.next("joined");
      clock.advance(3_000);
      const refreshed = await c.next("token_refreshed");
      const { claims } = decodeToken(refreshed.token as string);
      // Everything but the times is what was verified, unknown fields included.
      const { nbf: newNbf, exp, ...rest } = claims;
      expect(rest).toEqual({
        iss: apiKey,
        sub: "ivy",
        name: "Ivy",
        jti: "ivy-1",
        video: original.video,
        sip: { call: true },
        kind: "standard",
      });
      expect(newNbf).toBe(nbf + 3);
      expect(exp).toBe(nbf + 3 + 4);
      expect(refreshed.expires_at).toBe(exp);
      const verifier = new TokenVerifier({
        keys: { [apiKey]: apiSecret },
        currentDate: () => new Date(clock.now()),
      });
      await expect(verifier.verify(refreshed.token as string)).resolves.toMatchObject({
        video: { ingressAdmin: true },
      });
      c.ws.terminate();
    } finally {
      await server.close();
    }
  });
});

/** The raw answer to a GET on `path`, as a WebSocket upgrade or as a plain request. */
function raw(
  server: DevServer,
  path: string,
  upgrade: boolean,
): Promise<{ status: number; type: string | undefined; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${server.url}${path}`, {
      headers: upgrade
        ? {
            Connection: "Upgrade",
            Upgrade: "websocket",
            "Sec-WebSocket-Version": "13",
            "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==",
          }
        : { Authorization: `Token ${server.credentials.apiToken}` },
    });
    req.on("response", (res) => {
      let body = "";
      res.on("data", (d: Buffer) => {
        body += d;
      });
      res.on("end", () =>
        resolve({ status: res.statusCode ?? 0, type: res.headers["content-type"], body }),
      );
    });
    req.on("upgrade", () => reject(new Error("the upgrade was accepted")));
    req.on("error", reject);
    req.end();
  });
}

describe("one applyFault for every endpoint", () => {
  test("a malformed fault sends the same answer on REST, validate and the upgrade", async () => {
    const server = await start({ faults: true });
    try {
      server.faults.set({ path: "/api/v2/platform/organizations/", malformed: true, times: 1 });
      server.faults.set({ path: "/v1/rtc/validate", malformed: true, times: 1 });
      server.faults.set({ path: "/v1/rtc", malformed: true, times: 1 });
      const rest = await raw(server, "/api/v2/platform/organizations/", false);
      const validate = await raw(server, "/v1/rtc/validate", false);
      const upgrade = await raw(server, "/v1/rtc", true);
      expect(rest.status).toBe(200);
      expect(rest.type).toMatch(/^application\/json/);
      expect(() => JSON.parse(rest.body)).toThrow(SyntaxError);
      expect(validate).toEqual(rest);
      expect(upgrade).toEqual(rest);
    } finally {
      await server.close();
    }
  });
});

describe("durations", () => {
  test('resumeWindow and idleTimeout take "1500ms" like every other duration', async () => {
    const clock = new FakeClock();
    const server = await start({ clock, resumeWindow: "1500ms", idleTimeout: "2500ms" });
    try {
      const nbf = Math.floor(clock.now() / 1000);
      const { apiKey, apiSecret } = server.credentials;
      const token = await signRaw(apiSecret, {
        iss: apiKey,
        sub: "kim",
        nbf,
        exp: nbf + 3600,
        video: { room: "r1", roomJoin: true },
      });
      const c = await RtcClient.connect(rtcUrl(server, { access_token: token }));
      expect(await c.next("joined")).toMatchObject({ resume_window_s: 2 });
      clock.advance(2_400);
      expect(c.ws.readyState).toBe(c.ws.OPEN);
      clock.advance(200);
      expect((await c.closed).code).toBe(4008);
    } finally {
      await server.close();
    }
  });
});
