import { describe, expect, it } from "vitest";
import {
  decodeToken,
  isTokenExpired,
  MAX_TOKEN_LENGTH,
  tokenSecondsLeft,
  UnpodArgumentError,
  UnpodTokenError,
} from "../src/index.js";
import { base64UrlDecode, checkClaims, parseToken, readTokenTimes } from "../src/internal/index.js";
import { b64url, CLAIMS, jwt, thrown } from "./helpers.js";

describe("decodeToken", () => {
  it("reads header and claims of a LiveKit-layout token without verifying it", () => {
    const { header, claims } = decodeToken(jwt(CLAIMS));
    expect(header).toEqual({ alg: "HS256", typ: "JWT" });
    expect(claims).toEqual(CLAIMS);
    expect(claims.video?.room).toBe("support");
    expect(claims.exp - (claims.nbf ?? 0)).toBe(6 * 3600);
  });

  it("reads UTF-8 names and metadata", () => {
    const claims = { ...CLAIMS, name: "Zoë 🎧 Ñandú", metadata: "日本語" };
    expect(decodeToken(jwt(claims)).claims).toMatchObject({
      name: claims.name,
      metadata: "日本語",
    });
  });

  it("keeps claims and grant fields it does not know (LiveKit may add some)", () => {
    const claims = { ...CLAIMS, custom: [1], video: { ...CLAIMS.video, ingressAdmin: true, x: 1 } };
    expect(decodeToken(jwt(claims)).claims).toEqual(claims);
  });

  it("accepts the minimal claim set (iss + exp)", () => {
    expect(decodeToken(jwt({ iss: "k", exp: 1 })).claims).toEqual({ iss: "k", exp: 1 });
  });

  it("parseToken also returns the three raw segments", () => {
    const token = jwt(CLAIMS);
    expect(parseToken(token).segments).toEqual(token.split("."));
  });
});

describe("decodeToken rejects every malformed class with invalid_token and a reason", () => {
  const valid = jwt(CLAIMS);
  const [h, p, s] = valid.split(".") as [string, string, string];
  const cases: [string, unknown, string, string?][] = [
    ["a number", 42, "malformed"],
    ["null", null, "malformed"],
    ["undefined", undefined, "malformed"],
    ["an object", { token: valid }, "malformed"],
    ["an empty string", "", "malformed"],
    ["too long", `${h}.${p}.${"a".repeat(MAX_TOKEN_LENGTH)}`, "too_large"],
    ["one segment", h, "malformed"],
    ["two segments", `${h}.${p}`, "malformed"],
    ["four segments", `${valid}.x`, "malformed"],
    ["empty segments", "..", "malformed"],
    [
      "header with '+' (base64, not base64url)",
      `${h.slice(0, 2)}+${h.slice(3)}.${p}.${s}`,
      "malformed",
    ],
    ["payload with padding", `${h}.${p}==.${s}`, "malformed"],
    ["payload with a space", `${h}.${p.slice(0, 5)} ${p.slice(5)}.${s}`, "malformed"],
    [
      "payload of impossible length",
      `${h}.${p}a${p.length % 4 === 0 ? "" : "aaa".slice(0, (5 - (p.length % 4)) % 4)}.${s}`,
      "malformed",
    ],
    ["header that is not JSON", `${b64url("{alg:HS256}")}.${p}.${s}`, "malformed"],
    ["header that is a JSON array", jwt(CLAIMS, ["HS256"]), "malformed"],
    ["header that is JSON null", jwt(CLAIMS, null), "malformed"],
    ["header without alg", jwt(CLAIMS, { typ: "JWT" }), "malformed", "alg"],
    ["header with a numeric alg", jwt(CLAIMS, { alg: 256 }), "malformed", "alg"],
    ["payload that is not JSON", `${h}.${b64url("exp=1")}.${s}`, "malformed"],
    [
      "truncated payload JSON",
      `${h}.${b64url(JSON.stringify(CLAIMS).slice(0, 30))}.${s}`,
      "malformed",
    ],
    ["payload that is a JSON string", jwt('"x"'), "malformed"],
    ["payload that is a JSON number", jwt("5"), "malformed"],
    [
      "payload that is invalid UTF-8",
      `${h}.${b64url(new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]))}.${s}`,
      "malformed",
    ],
    ["no exp", jwt({ ...CLAIMS, exp: undefined }), "missing_claim", "exp"],
    ["exp as a string", jwt({ ...CLAIMS, exp: "1700021600" }), "claim_type", "exp"],
    ["exp null", jwt({ ...CLAIMS, exp: null }), "claim_type", "exp"],
    ["nbf as a string", jwt({ ...CLAIMS, nbf: "now" }), "claim_type", "nbf"],
    ["iat as a boolean", jwt({ ...CLAIMS, iat: true }), "claim_type", "iat"],
    ["no iss", jwt({ ...CLAIMS, iss: undefined }), "missing_claim", "iss"],
    ["empty iss", jwt({ ...CLAIMS, iss: "" }), "claim_type", "iss"],
    ["numeric iss", jwt({ ...CLAIMS, iss: 7 }), "claim_type", "iss"],
    ["numeric sub", jwt({ ...CLAIMS, sub: 7 }), "claim_type", "sub"],
    ["object name", jwt({ ...CLAIMS, name: {} }), "claim_type", "name"],
    ["object metadata", jwt({ ...CLAIMS, metadata: { a: 1 } }), "claim_type", "metadata"],
    ["numeric jti", jwt({ ...CLAIMS, jti: 1 }), "claim_type", "jti"],
    ["numeric kind", jwt({ ...CLAIMS, kind: 1 }), "claim_type", "kind"],
    ["numeric sha256", jwt({ ...CLAIMS, sha256: 1 }), "claim_type", "sha256"],
    ["attributes as an array", jwt({ ...CLAIMS, attributes: ["a"] }), "claim_type", "attributes"],
    [
      "a non-string attribute",
      jwt({ ...CLAIMS, attributes: { n: 1 } }),
      "claim_type",
      "attributes",
    ],
    ["roomConfig as a string", jwt({ ...CLAIMS, roomConfig: "x" }), "claim_type", "roomConfig"],
    ["video as an array", jwt({ ...CLAIMS, video: [] }), "claim_type", "video"],
    ["video null", jwt({ ...CLAIMS, video: null }), "claim_type", "video"],
    ["a numeric room", jwt({ ...CLAIMS, video: { room: 1 } }), "claim_type", "video"],
    [
      "roomJoin as a string",
      jwt({ ...CLAIMS, video: { roomJoin: "true" } }),
      "claim_type",
      "video",
    ],
    [
      "canPublishData as a number",
      jwt({ ...CLAIMS, video: { canPublishData: 1 } }),
      "claim_type",
      "video",
    ],
    [
      "canPublishSources not an array",
      jwt({ ...CLAIMS, video: { canPublishSources: "camera" } }),
      "claim_type",
      "video",
    ],
    [
      "canPublishSources with a number",
      jwt({ ...CLAIMS, video: { canPublishSources: [1] } }),
      "claim_type",
      "video",
    ],
    ["sip as a boolean", jwt({ ...CLAIMS, sip: true }), "claim_type", "sip"],
    ["sip.call as a string", jwt({ ...CLAIMS, sip: { call: "yes" } }), "claim_type", "sip"],
  ];

  it.each(cases)("%s → %s", (_, token, reason, claim) => {
    const e = thrown(() => decodeToken(token as string));
    expect(e).toBeInstanceOf(UnpodTokenError);
    expect(e.name).toBe("UnpodTokenError");
    expect(e.code).toBe("invalid_token");
    expect(e.reason).toBe(reason);
    expect(e.claim).toBe(claim);
    expect(e.message).toContain(reason);
    // A token never ends up in the error.
    if (typeof token === "string" && token.length > 20) {
      expect(JSON.stringify(e)).not.toContain(token);
    }
  });

  it("keeps the JSON or UTF-8 failure as the cause", () => {
    expect(thrown(() => decodeToken(`${h}.${b64url("{")}.${s}`)).cause).toBeInstanceOf(SyntaxError);
    expect(
      thrown(() => decodeToken(`${h}.${b64url(new Uint8Array([0xff]))}.${s}`)).cause,
    ).toBeInstanceOf(TypeError);
  });

  it("accepts a token exactly MAX_TOKEN_LENGTH long", () => {
    const token = `${h}.${p}.`;
    const padded = token + "A".repeat(MAX_TOKEN_LENGTH - token.length);
    expect(decodeToken(padded).claims.iss).toBe(CLAIMS.iss);
  });
});

describe("readTokenTimes", () => {
  const valid = jwt(CLAIMS);
  const [h, p, s] = valid.split(".") as [string, string, string];

  it("reads exp and iat without checking the other claims", () => {
    expect(readTokenTimes(valid)).toEqual({ exp: CLAIMS.exp, iat: CLAIMS.iat });
    expect(readTokenTimes(jwt({ exp: 5 }))).toEqual({ exp: 5, iat: undefined });
    // decodeToken refuses these; the times are still readable.
    expect(readTokenTimes(jwt({ ...CLAIMS, iss: 7, video: [] })).exp).toBe(CLAIMS.exp);
    expect(readTokenTimes(jwt({ exp: 5, name: "Zoë 🎧 日本語" })).exp).toBe(5);
  });

  it("accepts a token exactly MAX_TOKEN_LENGTH long, and an empty signature", () => {
    const token = `${h}.${p}.`;
    expect(readTokenTimes(token).exp).toBe(CLAIMS.exp);
    expect(readTokenTimes(token + "A".repeat(MAX_TOKEN_LENGTH - token.length)).exp).toBe(
      CLAIMS.exp,
    );
  });

  it.each<[string, unknown]>([
    ["a number", 42],
    ["null", null],
    ["an empty string", ""],
    ["too long", `${h}.${p}.${"a".repeat(MAX_TOKEN_LENGTH)}`],
    ["one segment", h],
    ["two segments", `${h}.${p}`],
    ["four segments", `${valid}.x`],
    ["empty segments", ".."],
    ["base64, not base64url", `${h}.${p.slice(0, 2)}+${p.slice(3)}.${s}`],
    ["padding", `${h}.${p}==.${s}`],
    ["a space", `${h}.${p.slice(0, 5)} ${p.slice(5)}.${s}`],
    ["a payload of impossible length", `${h}.a.${s}`],
    ["a payload that is not JSON", `${h}.${b64url("exp=1")}.${s}`],
    ["a JSON number payload", jwt("5")],
    ["a JSON null payload", jwt("null")],
    ["no exp", jwt({ ...CLAIMS, exp: undefined })],
    ["exp as a string", jwt({ ...CLAIMS, exp: "1700021600" })],
    ["exp null", jwt({ ...CLAIMS, exp: null })],
    ["iat as a boolean", jwt({ ...CLAIMS, iat: true })],
    ["not.a.jwt", "not.a.jwt"],
  ])("refuses %s with invalid_token", (_, token) => {
    const e = thrown(() => readTokenTimes(token));
    expect(e).toBeInstanceOf(UnpodTokenError);
    expect([e.code, e.reason]).toEqual(["invalid_token", "malformed"]);
    if (typeof token === "string" && token.length > 20) {
      expect(JSON.stringify(e)).not.toContain(token);
    }
  });
});

describe("checkClaims", () => {
  it("returns the same object", () => {
    const claims = { ...CLAIMS };
    expect(checkClaims(claims)).toBe(claims);
  });
});

describe("base64UrlDecode", () => {
  it.each<[string, number[]]>([
    ["", []],
    ["AA", [0]],
    ["_-8", [0xff, 0xef]],
    ["YWJj", [0x61, 0x62, 0x63]],
    ["YWJjZA", [0x61, 0x62, 0x63, 0x64]],
  ])("%j", (segment, bytes) => {
    expect([...base64UrlDecode(segment)]).toEqual(bytes);
  });

  it.each(["YW=", "Y+Jj", "Y/Jj", "YWJjZ", "a b", "é"])("rejects %j", (segment) => {
    expect(thrown(() => base64UrlDecode(segment)).reason).toBe("malformed");
  });
});

describe("expiry helpers with an injected clock", () => {
  const exp = 1_700_021_600;
  const at = (s: number) => new Date(s * 1000);

  it("tokenSecondsLeft", () => {
    expect(tokenSecondsLeft({ exp }, { now: at(exp - 60) })).toBe(60);
    expect(tokenSecondsLeft({ exp }, { now: (exp + 5) * 1000 })).toBe(-5);
  });

  it("isTokenExpired: before, at and after exp", () => {
    expect(isTokenExpired({ exp }, { now: at(exp - 1) })).toBe(false);
    expect(isTokenExpired({ exp }, { now: at(exp) })).toBe(true);
    expect(isTokenExpired({ exp }, { now: at(exp + 1) })).toBe(true);
  });

  it("accepts ms since epoch as now", () => {
    expect(isTokenExpired({ exp }, { now: (exp - 10) * 1000 })).toBe(false);
  });

  it("leeway counts a token that expires soon as expired", () => {
    expect(isTokenExpired({ exp }, { now: at(exp - 30), leeway: 29 })).toBe(false);
    expect(isTokenExpired({ exp }, { now: at(exp - 30), leeway: 30 })).toBe(true);
    expect(isTokenExpired({ exp }, { now: at(exp - 30), leeway: 31 })).toBe(true);
  });

  it("works on decoded claims", () => {
    const { claims } = decodeToken(jwt(CLAIMS));
    expect(isTokenExpired(claims, { now: at(CLAIMS.nbf) })).toBe(false);
    expect(isTokenExpired(claims, { now: at(CLAIMS.exp) })).toBe(true);
  });

  it("defaults to the real clock", () => {
    const nowS = Date.now() / 1000;
    expect(isTokenExpired({ exp: nowS + 3600 })).toBe(false);
    expect(isTokenExpired({ exp: nowS - 3600 })).toBe(true);
  });

  it("a missing or non-numeric exp counts as expired", () => {
    expect(isTokenExpired({} as { exp: number }, { now: 0 })).toBe(true);
    expect(isTokenExpired({ exp: "soon" } as unknown as { exp: number }, { now: 0 })).toBe(true);
  });

  it.each([new Date(Number.NaN), Number.NaN, Number.POSITIVE_INFINITY, "now"])(
    "refuses an invalid now (%s), naming it",
    (now) => {
      const e = thrown(() => isTokenExpired({ exp }, { now: now as number }));
      expect(e).toBeInstanceOf(UnpodArgumentError);
      expect(e.option).toBe("now");
    },
  );

  it.each([-1, Number.NaN, Number.POSITIVE_INFINITY])("refuses leeway %s, naming it", (leeway) => {
    const e = thrown(() => isTokenExpired({ exp }, { now: 0, leeway }));
    expect(e.option).toBe("leeway");
    expect(e.code).toBe("invalid_argument");
  });
});
