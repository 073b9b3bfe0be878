// @vitest-environment happy-dom
// In a browser page (window + document), the secret-holding classes refuse to exist.

import { readEnv } from "@unpod/core/internal";
import { describe, expect, it } from "vitest";
import { AccessToken, TokenVerifier } from "../src/index.js";
import { SECRET1 } from "./tokenCorpus.js";

describe("in a browser page", () => {
  it("is a browser-like environment", () => {
    expect(typeof window).toBe("object");
    expect(typeof document).toBe("object");
  });

  it("AccessToken and TokenVerifier throw, naming dangerouslyAllowBrowser", () => {
    for (const make of [
      () => new AccessToken({ apiKey: "k1", apiSecret: SECRET1 }),
      () => new TokenVerifier({ keys: { k1: SECRET1 } }),
    ]) {
      expect(make).toThrow(
        expect.objectContaining({ code: "invalid_argument", option: "dangerouslyAllowBrowser" }),
      );
    }
  });

  it("the error does not carry the secret", () => {
    let error: unknown;
    try {
      new AccessToken({ apiKey: "k1", apiSecret: SECRET1 });
    } catch (e) {
      error = e;
    }
    expect(error).toBeDefined();
    expect(JSON.stringify(error)).not.toContain(SECRET1);
    expect(String(error)).not.toContain(SECRET1);
  });

  it("works with dangerouslyAllowBrowser: true, without reading the environment", async () => {
    process.env.UNPOD_API_KEY = "from-env";
    try {
      expect(readEnv("UNPOD_API_KEY")).toBeUndefined();
      expect(() => new AccessToken({ dangerouslyAllowBrowser: true, apiSecret: SECRET1 })).toThrow(
        expect.objectContaining({ option: "apiKey" }),
      );
      const jwt = await new AccessToken({
        apiKey: "k1",
        apiSecret: SECRET1,
        identity: "demo",
        dangerouslyAllowBrowser: true,
      }).toJwt();
      const claims = await new TokenVerifier({
        keys: { k1: SECRET1 },
        dangerouslyAllowBrowser: true,
      }).verify(jwt);
      expect(claims.sub).toBe("demo");
    } finally {
      delete process.env.UNPOD_API_KEY;
    }
  });
});
