// The retry policy's parts on their own: what ky is told (methods, statuses, backoff
// curve, jitter) and the by-hand plan (Retry-After ceiling, total deadline). What ky does
// with them is counted on a real server in client.retry.test.ts.
import { describe, expect, test } from "vitest";
import {
  backoffCeilingMs,
  isRetryableStatus,
  jitterFrom,
  planRetry,
  RETRY_AFTER_STATUSES,
  RETRY_STATUSES,
  type RetryPlanInput,
  retryMethods,
} from "../src/internal/httpRetry.js";

const policy = { maxRetries: 2, baseDelayMs: 100, maxDelayMs: 1000, maxRetryAfterMs: 5000 };
const input = (over: Partial<RetryPlanInput> = {}): RetryPlanInput => ({
  policy,
  retryCount: 1,
  retryAfterMs: undefined,
  remainingMs: 60_000,
  random: 0.5,
  ...over,
});

describe("what ky is told", () => {
  test("idempotent methods retry; POST and PATCH only with an idempotency key", () => {
    expect(retryMethods(undefined)).toEqual(["get", "head", "put", "delete"]);
    expect(retryMethods("key-1")).toEqual(["get", "head", "put", "delete", "post", "patch"]);
  });

  test("statuses: 429 and 5xx retry, except 501/505; 4xx and 206 never", () => {
    for (const s of [429, 500, 502, 503, 504, 506, 599]) {
      expect(isRetryableStatus(s)).toBe(true);
      expect(RETRY_STATUSES).toContain(s);
    }
    for (const s of [206, 400, 401, 403, 404, 408, 409, 413, 422, 501, 505, 600]) {
      expect(isRetryableStatus(s)).toBe(false);
      expect(RETRY_STATUSES).not.toContain(s);
    }
    expect(RETRY_AFTER_STATUSES).toEqual([429, 503]);
  });

  test("the backoff ceiling doubles from the base and stops at the maximum", () => {
    expect(backoffCeilingMs(policy, 1)).toBe(100);
    expect(backoffCeilingMs(policy, 2)).toBe(200);
    expect(backoffCeilingMs(policy, 4)).toBe(800);
    expect(backoffCeilingMs(policy, 5)).toBe(1000);
    expect(backoffCeilingMs(policy, 1000)).toBe(1000); // no overflow for huge n
  });

  test("full jitter: uniform in [0, ceiling)", () => {
    expect(jitterFrom(0, 400)).toBe(0);
    expect(jitterFrom(0.5, 400)).toBe(200);
    expect(jitterFrom(0.999, 400)).toBe(399);
  });
});

describe("what is kept by hand", () => {
  test("the wait ky will sleep: the jittered backoff, or the server's Retry-After", () => {
    expect(planRetry(input({ retryCount: 3, random: 0.5 }))).toEqual({ retry: true, delayMs: 200 });
    expect(planRetry(input({ retryAfterMs: 2000 }))).toEqual({ retry: true, delayMs: 2000 });
  });

  test("a Retry-After above the cap ends the call instead of a shorter wait", () => {
    expect(planRetry(input({ retryAfterMs: 5000 }))).toEqual({ retry: true, delayMs: 5000 });
    expect(planRetry(input({ retryAfterMs: 5001 }))).toEqual({
      retry: false,
      reason: "retry_after_too_long",
    });
  });

  test("a wait that would pass the total deadline is not started", () => {
    expect(planRetry(input({ retryAfterMs: 2000, remainingMs: 1999 }))).toEqual({
      retry: false,
      reason: "deadline",
    });
    expect(planRetry(input({ random: 0.5, remainingMs: 10 }))).toEqual({
      retry: false,
      reason: "deadline",
    });
  });
});
