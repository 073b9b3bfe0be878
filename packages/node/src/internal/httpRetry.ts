// Retry policy of the REST client, kept pure so it can be tested on its own.
//
// Rules (issue 5): GET/HEAD/PUT/DELETE are retried on network errors, 5xx and 429; POST and
// PATCH only when the caller supplied an idempotency key. Backoff is exponential with full
// jitter; a Retry-After from the server replaces the backoff but is capped; a wait that
// would end after the total deadline is not started (the last error is returned instead).
// Caller aborts and timeouts are never retried — that is decided by the caller of this
// module, which never asks.

import type { HttpMethod } from "@unpod/core";

/** Normalised retry settings (milliseconds). */
export interface RetryPolicy {
  /** Retries after the first attempt. */
  maxRetries: number;
  /** Backoff before the first retry, before jitter. */
  baseDelayMs: number;
  /** Upper bound of one backoff, before jitter. */
  maxDelayMs: number;
  /** Longest `Retry-After` honoured; a longer one ends the call with the server's error. */
  maxRetryAfterMs: number;
}

const IDEMPOTENT: ReadonlySet<string> = new Set(["GET", "HEAD", "PUT", "DELETE"]);

/** Whether a request with this method may be sent again after a failure. */
export function isRetryableMethod(method: HttpMethod, idempotencyKey: string | undefined): boolean {
  return IDEMPOTENT.has(method) || idempotencyKey !== undefined;
}

/** Whether an HTTP status is worth retrying: 429 and 5xx, except 501/505 (never change). */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || (status >= 500 && status <= 599 && status !== 501 && status !== 505);
}

/** What went wrong in one attempt, as far as the retry decision cares. */
export interface AttemptFailure {
  /** HTTP status, or `undefined` for a network error (no answer). */
  status: number | undefined;
  /** The server's `Retry-After`, in ms, when it sent one. */
  retryAfterMs: number | undefined;
}

/** Input of {@link retryDelay}. */
export interface RetryInput {
  policy: RetryPolicy;
  method: HttpMethod;
  idempotencyKey: string | undefined;
  /** Retries already made (0 after the first attempt failed). */
  retries: number;
  failure: AttemptFailure;
  /** Milliseconds left before the total deadline. */
  remainingMs: number;
  /** A number in [0, 1). */
  random: number;
}

/** The decision: wait `delayMs` then retry, or stop with `reason`. */
export type RetryDecision =
  | { retry: true; delayMs: number }
  | {
      retry: false;
      reason: "method" | "status" | "exhausted" | "retry_after_too_long" | "deadline";
    };

/**
 * Exponential backoff with full jitter: a uniform wait in [0, min(max, base·2^n)]
 * (AWS's "full jitter", which spreads a thundering herd best).
 */
export function backoffMs(policy: RetryPolicy, retries: number, random: number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.min(retries, 30));
  return Math.floor(random * ceiling);
}

/** Decides whether and when to retry after a failed attempt. */
export function retryDelay(input: RetryInput): RetryDecision {
  const { policy, failure } = input;
  if (!isRetryableMethod(input.method, input.idempotencyKey))
    return { retry: false, reason: "method" };
  if (failure.status !== undefined && !isRetryableStatus(failure.status)) {
    return { retry: false, reason: "status" };
  }
  if (input.retries >= policy.maxRetries) return { retry: false, reason: "exhausted" };
  let delayMs: number;
  if (failure.retryAfterMs !== undefined) {
    if (failure.retryAfterMs > policy.maxRetryAfterMs) {
      return { retry: false, reason: "retry_after_too_long" };
    }
    delayMs = failure.retryAfterMs;
  } else {
    delayMs = backoffMs(policy, input.retries, input.random);
  }
  // Sleeping past the deadline only to time out would hide the server's answer.
  if (delayMs >= input.remainingMs) return { retry: false, reason: "deadline" };
  return { retry: true, delayMs };
}
