import { UnpodArgumentError, type UnpodError } from "@unpod/core";
import { invalidArgument } from "@unpod/core/internal";

/**
 * How long a connection must stay up to count as healthy: one ping interval. A connection
 * that drops sooner does not reset the reconnect attempt count, so a server that accepts
 * and then drops every socket cannot make a client reconnect without end.
 */
export const HEALTHY_CONNECTION_MS = 10_000;

/** What a {@link ReconnectPolicy} is told before each attempt. */
export interface ReconnectContext {
  /**
   * The attempt about to be made: 1, 2, 3, … The count goes on across connections that
   * dropped within {@link HEALTHY_CONNECTION_MS} of joining, and starts again at 1 only after
   * a connection that stayed up that long.
   */
  readonly attempt: number;
  /** Milliseconds since the first drop of this run of attempts. */
  readonly elapsedMs: number;
  /** Why the connection was lost (before the first attempt) or the previous attempt failed. */
  readonly error: UnpodError;
  /**
   * How long the last connection that joined stayed up before it dropped, in ms. Below
   * {@link HEALTHY_CONNECTION_MS} the connection was brief: retrying at once is what makes
   * reconnect storms.
   */
  readonly connectedMs: number;
}

/**
 * Decides when to try reconnecting, and when to give up. The session asks before every
 * attempt; a server's `Retry-After` is honoured on top of the delay.
 */
export interface ReconnectPolicy {
  /**
   * The delay before the next attempt.
   *
   * @param context - Attempt number, time since the drop, last error, how long the
   *   connection lasted.
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

type NumericOption = "maxAttempts" | "initialDelayMs" | "maxDelayMs" | "jitter";

/** Default and largest accepted value of each numeric option. */
const LIMITS: Record<NumericOption, { fallback: number; max: number }> = {
  maxAttempts: { fallback: 10, max: 1e6 },
  initialDelayMs: { fallback: 250, max: 86_400_000 },
  maxDelayMs: { fallback: 10_000, max: 86_400_000 },
  jitter: { fallback: 0.5, max: 1 },
};

function numeric(options: ExponentialBackoffOptions, name: NumericOption): number {
  const value = options[name];
  const { fallback, max } = LIMITS[name];
  if (value === undefined) return fallback;
  if (!(typeof value === "number" && value >= 0 && value <= max)) {
    throw invalidArgument(name, `must be a number from 0 to ${max}`);
  }
  return value;
}

/**
 * The default policy: after a healthy connection drops, the first attempt at once; then
 * `initialDelayMs`, doubling up to `maxDelayMs`, each shortened by a random share of up to
 * `jitter`; gives up after `maxAttempts`. After a brief connection (one that dropped within
 * {@link HEALTHY_CONNECTION_MS} of joining) even the first attempt waits `initialDelayMs`.
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
  if (typeof options !== "object" || options === null) {
    throw invalidArgument("options", "must be an object");
  }
  const maxAttempts = numeric(options, "maxAttempts");
  const initialDelayMs = numeric(options, "initialDelayMs");
  const maxDelayMs = numeric(options, "maxDelayMs");
  const jitter = numeric(options, "jitter");
  const random = options.random ?? Math.random;
  if (typeof random !== "function") throw invalidArgument("random", "must be a function");
  return {
    nextDelay({ attempt, connectedMs }) {
      if (attempt > maxAttempts) return null;
      const brief = connectedMs < HEALTHY_CONNECTION_MS;
      if (attempt === 1 && !brief) return 0;
      const doublings = Math.max(0, attempt - 2);
      return Math.min(maxDelayMs, initialDelayMs * 2 ** doublings) * (1 - jitter * random());
    },
  };
}
