// Interop with livekit-server-sdk, both directions: our tokens verify with LiveKit's
// TokenVerifier, and LiveKit's tokens verify with ours.
import {
  AccessToken as LkAccessToken,
  TokenVerifier as LkTokenVerifier,
  TrackSource,
} from "livekit-server-sdk";
import { describe, expect, it } from "vitest";
import { AccessToken, TokenVerifier } from "../src/index.js";
import { OTHER_SECRET, SECRET1, SECRET2 } from "./tokenCorpus.js";

describe("interop with livekit-server-sdk", () => {
  it("our tokens verify with LiveKit's TokenVerifier, claims intact", async () => {
    const jwt = await new AccessToken({
      apiKey: "k1",
      apiSecret: SECRET1,
      identity: "alice",
      name: "Alice",
      metadata: '{"m":1}',
      attributes: { tier: "gold" },
      ttl: "10m",
    })
      .addGrant({
        roomJoin: true,
        room: "support",
        canPublish: true,
        canSubscribe: false,
        canPublishSources: ["camera", "microphone"],
        agent: true,
      })
      .addSipGrant({ call: true })
      .toJwt();
    const claims = await new LkTokenVerifier("k1", SECRET1).verify(jwt);
    expect(claims).toMatchObject({
      iss: "k1",
      sub: "alice",
      name: "Alice",
      metadata: '{"m":1}',
      attributes: { tier: "gold" },
      video: {
        roomJoin: true,
        room: "support",
        canPublish: true,
        canSubscribe: false,
        canPublishSources: ["camera", "microphone"],
        agent: true,
      },
      sip: { call: true },
    });
    expect((claims.exp as number) - (claims.nbf as number)).toBe(600);
    // …and LiveKit refuses it under another secret or another key.
    await expect(new LkTokenVerifier("k1", OTHER_SECRET).verify(jwt)).rejects.toThrow();
    await expect(new LkTokenVerifier("k2", SECRET1).verify(jwt)).rejects.toThrow();
  });

  it("LiveKit's tokens verify here, claims intact", async () => {
    const lk = new LkAccessToken("k1", SECRET1, {
      identity: "bob",
      name: "Bob",
      metadata: "meta",
      attributes: { a: "b" },
      ttl: "1h",
    });
    lk.addGrant({
      roomJoin: true,
      room: "r1",
      canPublishData: true,
      canPublishSources: [TrackSource.CAMERA, TrackSource.SCREEN_SHARE],
    });
    lk.addSIPGrant({ admin: true });
    const jwt = await lk.toJwt();
    const claims = await new TokenVerifier({ keys: { k1: SECRET1, k2: SECRET2 } }).verify(jwt);
    expect(claims).toMatchObject({
      iss: "k1",
      sub: "bob",
      name: "Bob",
      metadata: "meta",
      attributes: { a: "b" },
      video: {
        roomJoin: true,
        room: "r1",
        canPublishData: true,
        canPublishSources: ["camera", "screen_share"],
      },
      sip: { admin: true },
    });
  });

  it("LiveKit's tokens are refused here for the same reasons", async () => {
    const lk = new LkAccessToken("k1", SECRET1, { identity: "bob", ttl: 60 });
    lk.addGrant({ roomJoin: true, room: "r1" });
    const jwt = await lk.toJwt();
    const nbf = JSON.parse(Buffer.from(jwt.split(".")[1] as string, "base64url").toString()).nbf;
    await expect(
      new TokenVerifier({ keys: { k1: OTHER_SECRET } }).verify(jwt),
    ).rejects.toMatchObject({
      code: "invalid_token",
      reason: "bad_signature",
    });
    await expect(new TokenVerifier({ keys: { k2: SECRET2 } }).verify(jwt)).rejects.toMatchObject({
      reason: "unknown_key",
    });
    const later = new TokenVerifier({
      keys: { k1: SECRET1 },
      currentDate: () => new Date((nbf + 71) * 1000),
    });
    await expect(later.verify(jwt)).rejects.toMatchObject({ code: "token_expired" });
    await expect(later.verify(jwt, { ignoreExpiration: true })).resolves.toMatchObject({
      sub: "bob",
    });
  });
});
