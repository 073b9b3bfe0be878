// The retry policy as a pure function: every rule of issue 5 in one table.
import { describe, expect, test } from "vitest";
import {
  backoffMs,
  isRetryableMethod,
  isRetryableStatus,
  type RetryInput,
  retryDelay,
} from "../src/internal/httpRetry.js";

const policy = { maxRetries: 2, baseDelayMs: 100, maxDelayMs: 1000, maxRetryAfterMs: 5000 };
const input = (over: Partial<RetryInput> = {}): RetryInput => ({
  policy,
  method: "GET",
  idempotencyKey: undefined,
  retries: 0,
  failure: { status: 503, retryAfterMs: undefined },
  remainingMs: 60_000,
  random: 0.5,
  ...over,
});

describe("retry policy", () => {
  test("idempotent methods retry; POST and PATCH only with an idempotency key", () => {
    for (const m of ["GET", "HEAD", "PUT", "DELETE"] as const) {
      expect(isRetryableMethod(m, undefined)).toBe(true);
    }
    for (const m of ["POST", "PATCH"] as const) {
      expect(isRetryableMethod(m, undefined)).toBe(false);
      expect(isRetryableMethod(m, "key-1")).toBe(true);
      expect(retryDelay(input({ method: m }))).toEqual({ retry: false, reason: "method" });
      expect(retryDelay(input({ method: m, idempotencyKey: "k" })).retry).toBe(true);
    }
  });

  test("statuses: 429 and 5xx retry, except 501/505; 4xx and 206 never", () => {
    for (const s of [429, 500, 502, 503, 504, 599]) expect(isRetryableStatus(s)).toBe(true);
    for (const s of [206, 400, 401, 403, 404, 409, 422, 501, 505]) {
      expect(isRetryableStatus(s)).toBe(false);
      expect(retryDelay(input({ failure: { status: s, retryAfterMs: undefined } }))).toEqual({
        retry: false,
        reason: "status",
      });
    }
  });

  test("network errors (no status) retry for idempotent methods", () => {
    expect(
      retryDelay(input({ failure: { status: undefined, retryAfterMs: undefined } })).retry,
    ).toBe(true);
  });

  test("maxRetries bounds the number of retries", () => {
    expect(retryDelay(input({ retries: 1 })).retry).toBe(true);
    expect(retryDelay(input({ retries: 2 }))).toEqual({ retry: false, reason: "exhausted" });
    expect(retryDelay(input({ policy: { ...policy, maxRetries: 0 } }))).toEqual({
      retry: false,
      reason: "exhausted",
    });
  });

  test("full jitter: uniform in [0, min(max, base·2^n)]", () => {
    expect(backoffMs(policy, 0, 0)).toBe(0);
    expect(backoffMs(policy, 0, 0.999)).toBe(99);
    expect(backoffMs(policy, 1, 0.5)).toBe(100);
    expect(backoffMs(policy, 3, 0.5)).toBe(400);
    expect(backoffMs(policy, 10, 0.5)).toBe(500); // capped at maxDelayMs
    expect(backoffMs(policy, 1000, 0.999)).toBe(999); // no overflow for huge n
  });

  test("Retry-After replaces the backoff, is honoured up to the cap, refused above it", () => {
    expect(retryDelay(input({ failure: { status: 429, retryAfterMs: 2000 } }))).toEqual({
      retry: true,
      delayMs: 2000,
    });
    expect(retryDelay(input({ failure: { status: 429, retryAfterMs: 5001 } }))).toEqual({
      retry: false,
      reason: "retry_after_too_long",
    });
  });

  test("a wait that would pass the total deadline is not started", () => {
    expect(
      retryDelay(input({ failure: { status: 429, retryAfterMs: 2000 }, remainingMs: 1999 })),
    ).toEqual({ retry: false, reason: "deadline" });
    expect(retryDelay(input({ random: 0.5, remainingMs: 10 }))).toEqual({
      retry: false,
      reason: "deadline",
    });
  });
});
