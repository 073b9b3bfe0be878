// The credential scrubber runs on every error message and every kept response body, in
// browsers too: hostile input must cost linear time, and what it scans and keeps is capped.
// Cost is compared as a ratio between two input sizes in the same run (never against a
// wall-clock budget): doubling the input may at most about double it. Cost is this
// process's CPU time, so other processes on a busy machine do not count.
import { describe, expect, it } from "vitest";
import { errorFromResponse, UnpodApiError, UnpodSessionError } from "../src/index.js";
import { redact, scrub } from "../src/internal/redact.js";

/** CPU milliseconds for `reps` calls of `fn(input)`. */
function time(fn: (text: string) => string, input: string, reps: number): number {
  const t0 = process.cpuUsage();
  for (let i = 0; i < reps; i++) fn(input);
  const used = process.cpuUsage(t0);
  return (used.user + used.system) / 1000;
}

/** How many calls on `input` take at least 25 ms (so timer noise stays small). */
function calibrate(fn: (text: string) => string, input: string): number {
  let reps = 1;
  while (reps < 1 << 16 && time(fn, input, reps) < 25) reps *= 2;
  return reps;
}

/**
 * cost(2n) / cost(n) for a hostile input built by `make`: the two sizes are timed in turn,
 * nine times, and the best time of each is kept (a pause of the machine or the garbage
 * collector only ever adds time).
 */
function doublingRatio(fn: (text: string) => string, make: (n: number) => string, n: number) {
  const small = make(n);
  const big = make(2 * n);
  const reps = calibrate(fn, small);
  let bestSmall = Number.POSITIVE_INFINITY;
  let bestBig = Number.POSITIVE_INFINITY;
  for (let run = 0; run < 9; run++) {
    bestSmall = Math.min(bestSmall, time(fn, small, reps));
    bestBig = Math.min(bestBig, time(fn, big, reps));
  }
  return bestBig / bestSmall;
}

// Inputs that made the old scrubber rescan to the end of the text at every position.
const HOSTILE: Record<string, (n: number) => string> = {
  "JWT starts without a dot": (n) => "eyJ".repeat(Math.ceil(n / 3)).slice(0, n),
  "JWT starts in one long run": (n) => `eyJ${"eyJa-".repeat(Math.ceil(n / 5))}`.slice(0, n),
  "Token with long runs of spaces": (n) => `Token ${" ".repeat(n)}`.slice(0, n),
  "credential fields without values": (n) => '"api_secret"  :  '.repeat(n).slice(0, n),
  "query keys without values": (n) => "?access_token".repeat(n).slice(0, n),
};

describe("scrubbing is linear", () => {
  it.each(Object.entries(HOSTILE))(
    "%s: 2x input costs < 3x time (16 KB and 1 MB)",
    (_, make) => {
      // Small sizes first: a quadratic scrubber fails here in well under a second.
      expect(doublingRatio(redact, make, 16 * 1024), "16 KB → 32 KB").toBeLessThan(3);
      expect(doublingRatio(scrub, make, 1024 * 1024), "1 MB → 2 MB").toBeLessThan(3);
    },
    // CPU time is what is compared; the wall clock only bounds the run, and on CI's loaded
    // two cores it runs several times slower.
    180_000,
  );

  it("still finds every credential form", () => {
    const jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhIn0.c2lnbmF0dXJl";
    const text = [
      `Authorization: Token 0123456789abcdef0123`,
      `Bearer ${jwt}`,
      `see xx${jwt}`,
      `?access_token=abc&page=2`,
      `{"api_secret": "s3cr3t"}`,
      "Token has expired.",
    ].join("\n");
    const out = scrub(text);
    expect(out).not.toContain("0123456789abcdef0123");
    expect(out).not.toContain(jwt);
    expect(out).not.toContain("abc&");
    expect(out).not.toContain("s3cr3t");
    expect(out).toContain("page=2");
    expect(out).toContain("Token has expired.");
    expect(out).toContain("xx[redacted-jwt]");
  });
});

describe("what is scanned and kept is capped", () => {
  const SECRET = "Zq9XkT4mWp7RvL2sNc8HbY6dJf3Ga5Ue";

  it("a 10 MiB body is kept as at most 2 KiB", () => {
    const body = "<p>".repeat((10 * 1024 * 1024) / 3);
    const error = new UnpodApiError("http_error", "HTTP 200 with a body that is not JSON", {
      status: 200,
      request: { method: "GET", url: "https://h/" },
      body,
    });
    expect((error.body as string).length).toBeLessThanOrEqual(2048);
  });

  it("a cut never keeps the start of a credential it could not recognise", () => {
    // The cut at 2048 characters falls 10 characters into the token.
    const body = `${"a ".repeat(1016)}Token ${SECRET} and more`;
    const error = errorFromResponse({
      status: 500,
      body,
      request: { method: "GET", url: "https://h/" },
    });
    expect(error?.body).toMatch(/^a a a/);
    expect(error?.body).not.toContain(SECRET.slice(0, 10));
  });

  it("a 64 KiB error frame message is scanned only up to the cap", () => {
    const message = "frame ".repeat(11 * 1024);
    const error = new UnpodSessionError("protocol_error", message);
    expect(error.message.length).toBeLessThanOrEqual(16 * 1024 + 16);
    expect(redact("x".repeat(10 * 1024 * 1024)).length).toBeLessThanOrEqual(16 * 1024 + 16);
  });
});
