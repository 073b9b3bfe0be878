import { UnpodArgumentError, type UnpodError } from "@unpod/core";

/** What a {@link ReconnectPolicy} is told before each attempt. */
export interface ReconnectContext {
  /** The attempt about to be made: 1, 2, 3, … (reset once a reconnect succeeds). */
  readonly attempt: number;
  /** Milliseconds since the connection was lost. */
  readonly elapsedMs: number;
  /** Why the connection was lost (before the first attempt) or the previous attempt failed. */
  readonly error: UnpodError;
}

/**
 * Decides when to try reconnecting, and when to give up. The session asks before every
 * attempt; a server's `Retry-After` is honoured on top of the delay.
 */
export interface ReconnectPolicy {
  /**
   * The delay before the next attempt.
   *
   * @param context - Attempt number, time since the drop, last error.
   * @returns Milliseconds to wait, or `null` to give up.
   */
  nextDelay(context: ReconnectContext): number | null;
}

/** Options of {@link exponentialBackoff}. */
export interface ExponentialBackoffOptions {
  /** Attempts before giving up. @defaultValue 10 */
  maxAttempts?: number;
  /** Delay before the second attempt, in ms; it doubles from there. @defaultValue 250 */
  initialDelayMs?: number;
  /** Largest delay, in ms. @defaultValue 10000 */
  maxDelayMs?: number;
  /** Fraction of each delay taken off at random, 0–1, so clients do not reconnect in step. @defaultValue 0.5 */
  jitter?: number;
  /** Random numbers in [0, 1) (inject one for reproducible tests). @defaultValue `Math.random` */
  random?: () => number;
}

// `options[name]`, or `fallback` when absent; 0–`max` or an error naming the option.
function check(
  options: ExponentialBackoffOptions,
  name: "maxAttempts" | "initialDelayMs" | "maxDelayMs" | "jitter",
  fallback: number,
  max: number,
): number {
  const value = options[name];
  if (value === undefined) return fallback;
  if (!(value >= 0 && value <= max)) throw new UnpodArgumentError(name, `must be 0–${max}`);
  return value;
}

/**
 * The default policy: the first attempt at once, then `initialDelayMs`, doubling up to
 * `maxDelayMs`, each shortened by a random share of up to `jitter`; gives up after
 * `maxAttempts`.
 *
 * @param options - Limits and jitter.
 * @returns A reconnect policy.
 * @throws {@link UnpodArgumentError} naming an option that is negative or out of range.
 * @example
 * ```ts
 * import { exponentialBackoff, UnpodSession } from "@unpod/browser";
 * declare const token: string;
 * const session = new UnpodSession({
 *   serverUrl: "wss://rtc.example.com",
 *   token,
 *   reconnect: exponentialBackoff({ maxAttempts: 20, maxDelayMs: 5000 }),
 * });
 * ```
 */
export function exponentialBackoff(options: ExponentialBackoffOptions = {}): ReconnectPolicy {
  const attempts = check(options, "maxAttempts", 10, 1e6);
  const initial = check(options, "initialDelayMs", 250, 864e5);
  const max = check(options, "maxDelayMs", 10_000, 864e5);
  const jitter = check(options, "jitter", 0.5, 1);
  const random = options.random ?? Math.random;
  return {
    nextDelay: ({ attempt }) =>
      attempt > attempts
        ? null
        : attempt < 2
          ? 0
          : Math.min(max, initial * 2 ** (attempt - 2)) * (1 - jitter * random()),
  };
}
