// Interop: a token minted by LiveKit's own server SDK decodes with @unpod/core, claim for
// claim (the platform's tokens use LiveKit's layout).
import { AccessToken } from "livekit-server-sdk";
import { expect, it } from "vitest";
import { decodeToken, isTokenExpired } from "../src/index.js";

it("decodes a livekit-server-sdk token", async () => {
  const at = new AccessToken("APIkey123", "a-secret-of-at-least-32-characters!!", {
    identity: "alice",
    name: "Alice",
    metadata: '{"plan":"pro"}',
    attributes: { team: "blue" },
    ttl: "10m",
  });
  at.addGrant({ room: "support", roomJoin: true, canPublishData: true, canPublishSources: [] });
  at.addSIPGrant({ call: true });
  const { header, claims } = decodeToken(await at.toJwt());
  expect(header.alg).toBe("HS256");
  expect(claims).toMatchObject({
    iss: "APIkey123",
    sub: "alice",
    name: "Alice",
    metadata: '{"plan":"pro"}',
    attributes: { team: "blue" },
    video: { room: "support", roomJoin: true, canPublishData: true },
    sip: { call: true },
  });
  expect(claims.exp - (claims.nbf ?? 0)).toBe(600);
  expect(isTokenExpired(claims, { now: (claims.exp - 1) * 1000 })).toBe(false);
  expect(isTokenExpired(claims, { now: claims.exp * 1000 })).toBe(true);
});
