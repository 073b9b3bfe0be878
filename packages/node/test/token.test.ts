import { inspect } from "node:util";
import { decodeToken, isUnpodError } from "@unpod/core";
import { afterEach, describe, expect, it } from "vitest";
import {
  AccessToken,
  DEFAULT_TOKEN_TTL,
  MAX_CLOCK_TOLERANCE,
  MAX_TOKEN_TTL,
  TokenVerifier,
  UnpodArgumentError,
  type VideoGrant,
} from "../src/index.js";
import { CLAIMS, craft, HS256, KEYS, NOW, SECRET1, SECRET2 } from "./tokenCorpus.js";

const at = (seconds: number) => () => new Date(seconds * 1000);
const base = { apiKey: "k1", apiSecret: SECRET1, currentDate: at(NOW) } as const;

async function rejection(promiseOrFn: Promise<unknown> | (() => unknown)): Promise<unknown> {
  try {
    await (typeof promiseOrFn === "function" ? promiseOrFn() : promiseOrFn);
  } catch (error) {
    return error;
  }
  return expect.unreachable("did not throw");
}

const ENV = ["UNPOD_API_KEY", "UNPOD_API_SECRET"] as const;
const savedEnv = Object.fromEntries(ENV.map((k) => [k, process.env[k]]));
afterEach(() => {
  for (const k of ENV) {
    if (savedEnv[k] === undefined) delete process.env[k];
    else process.env[k] = savedEnv[k];
  }
});

describe("AccessToken", () => {
  it("signs the LiveKit layout: header, iss, sub, nbf, exp = nbf + ttl, grants", async () => {
    const jwt = await new AccessToken({
      ...base,
      identity: "alice",
      name: "Alice",
      metadata: '{"plan":"pro"}',
      attributes: { tier: "gold" },
      ttl: "10m",
    })
      .addGrant({ roomJoin: true, room: "support", canPublish: true })
      .addSipGrant({ call: true })
      .toJwt();
    const { header, claims } = decodeToken(jwt);
    expect(header).toEqual({ alg: "HS256", typ: "JWT" });
    expect(claims).toEqual({
      iss: "k1",
      sub: "alice",
      nbf: NOW,
      exp: NOW + 600,
      name: "Alice",
      metadata: '{"plan":"pro"}',
      attributes: { tier: "gold" },
      video: { room: "support", roomJoin: true, canPublish: true },
      sip: { call: true },
    });
    // Exact bytes: claim order is fixed, registered claims first.
    expect(Buffer.from(jwt.split(".")[1] as string, "base64url").toString()).toBe(
      `{"iss":"k1","sub":"alice","nbf":${NOW},"exp":${NOW + 600},"name":"Alice","metadata":"{\\"plan\\":\\"pro\\"}","attributes":{"tier":"gold"},"video":{"room":"support","roomJoin":true,"canPublish":true},"sip":{"call":true}}`,
    );
  });

  it("merges grants, later fields winning, in a fixed field order", async () => {
    const token = new AccessToken({ ...base, identity: "a" })
      .addGrant({ canSubscribe: false, canPublishSources: ["camera", "camera", "microphone"] })
      .addGrant({ roomJoin: true, room: "r1" })
      .addGrant({ canSubscribe: true, room: "r2", roomJoin: true });
    expect(token.grant).toEqual({
      room: "r2",
      roomJoin: true,
      canSubscribe: true,
      canPublishSources: ["camera", "microphone"],
    });
    const { claims } = decodeToken(await token.toJwt());
    expect(Object.keys(claims.video ?? {})).toEqual([
      "room",
      "roomJoin",
      "canSubscribe",
      "canPublishSources",
    ]);
  });

  it("defaults ttl to 6 hours and accepts seconds or duration strings", async () => {
    expect(new AccessToken(base).ttl).toBe(DEFAULT_TOKEN_TTL);
    expect(DEFAULT_TOKEN_TTL).toBe(21_600);
    expect(new AccessToken({ ...base, ttl: 90 }).ttl).toBe(90);
    expect(new AccessToken({ ...base, ttl: "1h30m" }).ttl).toBe(5400);
    expect(new AccessToken({ ...base, ttl: "30 days" }).ttl).toBe(MAX_TOKEN_TTL);
  });

  it.each([
    0,
    -1,
    0.2,
    Number.NaN,
    Number.POSITIVE_INFINITY,
    MAX_TOKEN_TTL + 1,
    "31d",
    "forever",
    "",
    "-5m",
  ])("refuses ttl %s naming the option", (ttl) => {
    const error = (() => {
      try {
        new AccessToken({ ...base, ttl });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(UnpodArgumentError);
    expect(error).toMatchObject({ code: "invalid_argument", option: "ttl" });
  });

  it("refuses a room-join grant without a room or without an identity", () => {
    expect(() =>
      new AccessToken({ ...base, identity: "a" }).addGrant(
        // @ts-expect-error — room is required with roomJoin: true
        { roomJoin: true },
      ),
    ).toThrow(expect.objectContaining({ option: "grant.room" }));
    const anonymous = new AccessToken(base);
    expect(() =>
      // biome-ignore lint/suspicious/noExplicitAny: the run-time check behind the types
      (anonymous as AccessToken<any>).addGrant({ roomJoin: true, room: "r" }),
    ).toThrow(expect.objectContaining({ option: "identity" }));
    // A grant that does not join needs no identity.
    expect(() => anonymous.addGrant({ roomList: true, roomCreate: true })).not.toThrow();
  });

  it("addGrantChecked takes a grant built at run time, with the same checks at run time", () => {
    // A grant read from a config file or flags: typed VideoGrant, not a literal.
    const fromConfig: VideoGrant = JSON.parse('{"roomJoin":true,"room":"r","canPublish":true}');
    const t = new AccessToken({ ...base, identity: "a" }).addGrantChecked(fromConfig);
    expect(t.grant).toEqual({ room: "r", roomJoin: true, canPublish: true });
    const anonymous = new AccessToken(base);
    expect(() => anonymous.addGrantChecked(fromConfig)).toThrow(
      expect.objectContaining({ option: "identity" }),
    );
    expect(() =>
      new AccessToken({ ...base, identity: "b" }).addGrantChecked({ roomJoin: true }),
    ).toThrow(expect.objectContaining({ option: "grant.room" }));
    expect(() => t.addGrantChecked(JSON.parse('{"roomAdmn":true}'))).toThrow(
      expect.objectContaining({ option: "grant.roomAdmn" }),
    );
  });

  it("refuses unknown or mistyped grant fields", () => {
    const t = new AccessToken({ ...base, identity: "a" });
    expect(() => t.addGrant({ roomAdmn: true } as never)).toThrow(
      expect.objectContaining({ option: "grant.roomAdmn" }),
    );
    expect(() => t.addGrant({ canPublish: "yes" } as never)).toThrow(
      expect.objectContaining({ option: "grant.canPublish" }),
    );
    expect(() => t.addGrant({ canPublishSources: ["webcam"] } as never)).toThrow(
      expect.objectContaining({ option: "grant.canPublishSources" }),
    );
    expect(() => t.addGrant(JSON.parse('{"__proto__":{"roomAdmin":true}}'))).toThrow(
      expect.objectContaining({ option: "grant.__proto__" }),
    );
    expect(() => t.addSipGrant({ dial: true } as never)).toThrow(
      expect.objectContaining({ option: "grant.dial" }),
    );
  });

  it("refuses weak or missing secrets, unless allowWeakSecret", () => {
    expect(() => new AccessToken({ ...base, apiSecret: "x".repeat(31) })).toThrow(
      expect.objectContaining({ option: "apiSecret", code: "invalid_argument" }),
    );
    // 11 characters, 33 bytes: the check counts bytes.
    expect(() => new AccessToken({ ...base, apiSecret: "€".repeat(11) })).not.toThrow();
    expect(
      () => new AccessToken({ ...base, apiSecret: "short", allowWeakSecret: true }),
    ).not.toThrow();
    expect(() => new AccessToken({ ...base, apiSecret: "", allowWeakSecret: true })).toThrow(
      expect.objectContaining({ option: "apiSecret" }),
    );
    delete process.env.UNPOD_API_KEY;
    delete process.env.UNPOD_API_SECRET;
    expect(() => new AccessToken({ apiSecret: SECRET1 })).toThrow(
      expect.objectContaining({ option: "apiKey" }),
    );
    expect(() => new AccessToken({ apiKey: "k1" })).toThrow(
      expect.objectContaining({ option: "apiSecret" }),
    );
  });

  it("reads UNPOD_API_KEY / UNPOD_API_SECRET when not given", async () => {
    process.env.UNPOD_API_KEY = "k2";
    process.env.UNPOD_API_SECRET = SECRET2;
    const jwt = await new AccessToken({ identity: "env", currentDate: at(NOW) }).toJwt();
    expect(decodeToken(jwt).claims.iss).toBe("k2");
    const claims = await new TokenVerifier({ currentDate: at(NOW) }).verify(jwt);
    expect(claims.sub).toBe("env");
  });

  it("never shows the secret: JSON.stringify, util.inspect, errors", async () => {
    const token = new AccessToken({ ...base, identity: "alice" }).addGrant({
      roomJoin: true,
      room: "r",
    });
    const shown = [
      JSON.stringify(token),
      inspect(token, { depth: 10, showHidden: true }),
      String(token),
    ];
    for (const text of shown) expect(text).not.toContain(SECRET1);
    expect(inspect(token)).toContain("AccessToken");
    expect(inspect(token)).toContain("alice");
    expect(Object.keys(token)).toEqual([]);
    const verifier = new TokenVerifier({ keys: KEYS });
    for (const text of [JSON.stringify(verifier), inspect(verifier, { showHidden: true })]) {
      expect(text).not.toContain(SECRET1);
      expect(text).not.toContain(SECRET2);
    }
    const weak = SECRET1.slice(0, 20);
    const error = await rejection(() => new AccessToken({ ...base, apiSecret: weak }));
    expect(JSON.stringify(error)).not.toContain(weak);
    expect(String(error)).not.toContain(weak);
    expect(inspect(error)).not.toContain(weak);
  });

  it("refuses a token longer than MAX_TOKEN_LENGTH instead of minting one nobody accepts", async () => {
    const error = await rejection(new AccessToken({ ...base, metadata: "m".repeat(7000) }).toJwt());
    expect(error).toMatchObject({ code: "invalid_argument", option: "claims" });
  });

  it("refuses options of the wrong type, naming them", () => {
    for (const [options, option] of [
      [{ identity: "" }, "identity"],
      [{ identity: 5 }, "identity"],
      [{ name: 1 }, "name"],
      [{ attributes: { a: 1 } }, "attributes.a"],
      [{ attributes: [] }, "attributes"],
      [{ apiKey: "" }, "apiKey"],
      [{ currentDate: 5 }, "currentDate"],
    ] as const) {
      expect(() => new AccessToken({ ...base, ...(options as object) })).toThrow(
        expect.objectContaining({ option }),
      );
    }
  });
});

describe("TokenVerifier", () => {
  const token = (patch: object = {}, secret = SECRET1) =>
    craft(HS256, { ...CLAIMS, ...patch }, secret);

  it("round-trips AccessToken → claims", async () => {
    const jwt = await new AccessToken({ ...base, identity: "bob", attributes: { a: "b" } })
      .addGrant({ roomJoin: true, room: "r", canPublishData: true })
      .toJwt();
    const claims = await new TokenVerifier({ keys: KEYS, currentDate: at(NOW + 5) }).verify(jwt);
    expect(claims).toMatchObject({
      iss: "k1",
      sub: "bob",
      attributes: { a: "b" },
      video: { room: "r" },
    });
  });

  it("accepts every configured key pair (rotation) and only those", async () => {
    const both = new TokenVerifier({ keys: KEYS, currentDate: at(NOW) });
    await expect(both.verify(token({ iss: "k2" }, SECRET2))).resolves.toMatchObject({ iss: "k2" });
    await expect(both.verify(token())).resolves.toMatchObject({ iss: "k1" });
    const newOnly = new TokenVerifier({ keys: { k2: SECRET2 }, currentDate: at(NOW) });
    await expect(newOnly.verify(token())).rejects.toMatchObject({ reason: "unknown_key" });
    expect(both.apiKeys).toEqual(["k1", "k2"]);
  });

  it("applies the default 10 s tolerance to exp and nbf", async () => {
    const v = (now: number) => new TokenVerifier({ keys: KEYS, currentDate: at(now) });
    const exp = CLAIMS.exp;
    await expect(v(exp + 9).verify(token())).resolves.toBeDefined();
    await expect(v(exp + 10).verify(token())).rejects.toMatchObject({ code: "token_expired" });
    await expect(v(CLAIMS.nbf - 10).verify(token())).resolves.toBeDefined();
    await expect(v(CLAIMS.nbf - 11).verify(token())).rejects.toMatchObject({
      code: "token_not_yet_valid",
      claim: "nbf",
    });
  });

  it("takes clockTolerance as seconds or a duration, 0 … 300 s", async () => {
    const exp = CLAIMS.exp;
    const strict = new TokenVerifier({ keys: KEYS, clockTolerance: 0, currentDate: at(exp) });
    await expect(strict.verify(token())).rejects.toMatchObject({ code: "token_expired" });
    const loose = new TokenVerifier({
      keys: KEYS,
      clockTolerance: "5m",
      currentDate: at(exp + 299),
    });
    expect(loose.clockTolerance).toBe(MAX_CLOCK_TOLERANCE);
    await expect(loose.verify(token())).resolves.toBeDefined();
    for (const clockTolerance of [301, "1h", -1, Number.POSITIVE_INFINITY, "soon"]) {
      expect(() => new TokenVerifier({ keys: KEYS, clockTolerance })).toThrow(
        expect.objectContaining({ option: "clockTolerance", code: "invalid_argument" }),
      );
    }
  });

  it("ignoreExpiration skips exp only", async () => {
    const v = new TokenVerifier({ keys: KEYS, currentDate: at(CLAIMS.exp + 86_400) });
    await expect(v.verify(token())).rejects.toMatchObject({ code: "token_expired" });
    await expect(v.verify(token(), { ignoreExpiration: true })).resolves.toMatchObject({
      sub: "alice",
    });
    await expect(v.verify(token({}, SECRET2), { ignoreExpiration: true })).rejects.toMatchObject({
      reason: "bad_signature",
    });
    await expect(
      v.verify(token({ nbf: CLAIMS.exp + 86_400 + 60 }), { ignoreExpiration: true }),
    ).rejects.toMatchObject({ code: "token_not_yet_valid" });
  });

  it("tolerates a null options argument", async () => {
    const v = new TokenVerifier({ keys: KEYS, currentDate: at(NOW) });
    await expect(v.verify(token(), null as never)).resolves.toMatchObject({ sub: "alice" });
  });

  it("takes the current date per call, over the clock", async () => {
    const v = new TokenVerifier({ keys: KEYS, currentDate: at(NOW) });
    await expect(
      v.verify(token(), { currentDate: new Date((CLAIMS.exp + 60) * 1000) }),
    ).rejects.toMatchObject({ code: "token_expired" });
    await expect(v.verify(token(), { currentDate: new Date(Number.NaN) })).rejects.toMatchObject({
      option: "currentDate",
    });
  });

  it("refuses bad key tables, naming the option", () => {
    delete process.env.UNPOD_API_KEY;
    delete process.env.UNPOD_API_SECRET;
    for (const keys of [undefined, {}, { k: "short" }, { "": SECRET1 }, { k: "" }, [] as never]) {
      const error = (() => {
        try {
          new TokenVerifier({ keys });
        } catch (e) {
          return e;
        }
      })();
      expect(isUnpodError(error)).toBe(true);
      expect((error as UnpodArgumentError).option).toMatch(/^keys/);
      expect((error as Error).message).not.toContain("short");
    }
    expect(() => new TokenVerifier({ keys: { k: "short" }, allowWeakSecret: true })).not.toThrow();
  });
});
