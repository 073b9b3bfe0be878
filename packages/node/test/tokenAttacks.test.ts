import { isUnpodTokenError, MAX_TOKEN_LENGTH } from "@unpod/core";
import { beforeAll, describe, expect, it } from "vitest";
import { TokenVerifier } from "../src/index.js";
import { buildCorpus, type Case, KEYS, NOW } from "./tokenCorpus.js";

const corpus = await buildCorpus();
const verifier = new TokenVerifier({ keys: KEYS, currentDate: () => new Date(NOW * 1000) });

describe("attack corpus", () => {
  beforeAll(() => {
    // The issue asks for at least 40 rejected cases.
    expect(corpus.filter((c) => c.code !== "ok").length).toBeGreaterThanOrEqual(40);
  });

  it("has unique case names", () => {
    expect(new Set(corpus.map((c) => c.name)).size).toBe(corpus.length);
  });

  it("includes a token just over MAX_TOKEN_LENGTH", () => {
    const big = corpus.find((c) => c.name.startsWith("oversized")) as Case;
    expect((big.token as string).length).toBeGreaterThan(MAX_TOKEN_LENGTH);
  });

  it.each(corpus.map((c) => [c.name, c] as const))("%s", async (_name, c) => {
    const verdict = verifier.verify(c.token as string, { ignoreExpiration: c.ignoreExpiration });
    if (c.code === "ok") {
      await expect(verdict).resolves.toMatchObject({ iss: expect.any(String) });
      return;
    }
    const error = await verdict.then(
      () => expect.unreachable("the token was accepted"),
      (e: unknown) => e,
    );
    expect(isUnpodTokenError(error)).toBe(true);
    expect(error).toMatchObject({ code: c.code, reason: c.reason });
    if (c.claim !== undefined) expect(error).toMatchObject({ claim: c.claim });
    // Never leak the token itself into the message.
    if (typeof c.token === "string" && c.token.length > 40) {
      expect((error as Error).message).not.toContain(c.token.slice(0, 40));
    }
  });
});
