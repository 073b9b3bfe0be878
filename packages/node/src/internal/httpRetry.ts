// The REST client's retry policy, expressed as ky's retry options.
//
// Rules: GET/HEAD/PUT/DELETE are retried on network errors, 5xx (but 501/505) and 429;
// POST and PATCH only with an idempotency key. Backoff is exponential with full jitter; a
// `Retry-After` (on 429 and 503) replaces the backoff. Timeouts and the caller's abort are
// never retried.
//
// ky does: the retry count (`limit`), which methods (`methods`) and statuses
// (`statusCodes`) are retried, reading `Retry-After` (`afterStatusCodes`), the backoff
// curve and its ceiling (`delay`, `backoffLimit`), full jitter (`jitter`), not retrying a
// timeout (`retryOnTimeout`), and the backoff sleep itself, which ends when the call's
// signal aborts.
//
// Kept by hand, in `planRetry` (called from ky's `shouldRetry`), because ky cannot say it:
// - a `Retry-After` above `maxRetryAfter` ends the call with the server's error, so the
//   caller decides (ky's `maxRetryAfter` would shorten the wait and retry anyway);
// - the total deadline: a wait that would end after it is not started, and the last
//   answer is returned instead (ky has no deadline across attempts). To know the wait
//   before ky sleeps it, the jitter's random number is drawn here and handed to ky's
//   `jitter` function (see `jitterFrom`).
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

/** Methods retried without an idempotency key (ky wants them lower case). */
export const IDEMPOTENT_METHODS: readonly string[] = ["get", "head", "put", "delete"];
/** Methods retried with an idempotency key: all the SDK sends. */
export const ALL_METHODS: readonly string[] = ["get", "head", "put", "delete", "post", "patch"];

/** HTTP statuses worth retrying: 429 and 5xx, except 501 and 505 (they never change). */
export const RETRY_STATUSES: readonly number[] = [429, 500, 502, 503, 504].concat(
  Array.from({ length: 94 }, (_, i) => 506 + i),
);
const RETRYABLE: ReadonlySet<number> = new Set(RETRY_STATUSES);

/** Statuses whose `Retry-After` replaces the backoff. */
export const RETRY_AFTER_STATUSES: readonly number[] = [429, 503];

/** Whether an HTTP status is worth retrying (see {@link RETRY_STATUSES}). */
export function isRetryableStatus(status: number): boolean {
  return RETRYABLE.has(status);
}

/** The methods ky may retry for a call: POST and PATCH only with an idempotency key. */
export function retryMethods(idempotencyKey: string | undefined): readonly string[] {
  return idempotencyKey === undefined ? IDEMPOTENT_METHODS : ALL_METHODS;
}

/**
 * The backoff ceiling before retry `retryCount` (1 for the first retry): base·2^(n-1),
 * capped at the policy's maximum. Full jitter then waits a uniform fraction of it (AWS's
 * "full jitter", which spreads a thundering herd best).
 */
export function backoffCeilingMs(policy: RetryPolicy, retryCount: number): number {
  const doublings = Math.min(Math.max(0, retryCount - 1), 30);
  return Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** doublings);
}

/** Full jitter from a random number in [0, 1): a whole number of ms in [0, ceiling). */
export function jitterFrom(random: number, ceilingMs: number): number {
  return Math.floor(random * ceilingMs);
}

/** Input of {@link planRetry}: one failed attempt that ky is about to retry. */
export interface RetryPlanInput {
  policy: RetryPolicy;
  /** The retry ky is deciding on (1 for the first). */
  retryCount: number;
  /** The server's `Retry-After` in ms, when the status honours one and it was sent. */
  retryAfterMs: number | undefined;
  /** Milliseconds left before the total deadline. */
  remainingMs: number;
  /** The jitter's random number in [0, 1), used when there is no `Retry-After`. */
  random: number;
}

/** What {@link planRetry} decides: the wait ky will sleep, or why there is no retry. */
export type RetryPlan =
  | { retry: true; delayMs: number }
  | { retry: false; reason: "retry_after_too_long" | "deadline" };

/** The by-hand part of the policy: the `Retry-After` ceiling and the total deadline. */
export function planRetry(input: RetryPlanInput): RetryPlan {
  const { policy, retryAfterMs } = input;
  let delayMs: number;
  if (retryAfterMs !== undefined) {
    if (retryAfterMs > policy.maxRetryAfterMs) {
      return { retry: false, reason: "retry_after_too_long" };
    }
    delayMs = retryAfterMs;
  } else {
    delayMs = jitterFrom(input.random, backoffCeilingMs(policy, input.retryCount));
  }
  // Sleeping past the deadline only to time out would hide the server's answer.
  if (delayMs >= input.remainingMs) return { retry: false, reason: "deadline" };
  return { retry: true, delayMs };
}
