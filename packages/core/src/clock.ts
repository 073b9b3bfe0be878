/**
 * Time and timers. Every Unpod object that waits or reads the time — the browser session's
 * reconnects and timeouts, the dev server's token checks, resume window and idle sockets —
 * goes through one of these, so a test can inject a fake one and move time instead of
 * sleeping.
 *
 * @example
 * ```ts
 * import type { Clock } from "@unpod/core";
 * const clock: Clock = {
 *   now: () => Date.now(),
 *   setTimeout: (fn, ms) => setTimeout(fn, ms),
 *   clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
 * };
 * ```
 */
export interface Clock {
  /**
   * The current time.
   *
   * @returns Milliseconds since epoch.
   */
  now(): number;
  /**
   * Calls `callback` once after `ms` milliseconds.
   *
   * @param callback - What to call.
   * @param ms - Delay in milliseconds.
   * @returns A handle for {@link Clock.clearTimeout}.
   */
  setTimeout(callback: () => void, ms: number): unknown;
  /**
   * Cancels a timer; unknown or spent handles are ignored.
   *
   * @param handle - What {@link Clock.setTimeout} returned.
   */
  clearTimeout(handle: unknown): void;
}

// Longest delay setTimeout honours everywhere; a longer one fires at once.
const MAX_TIMER_MS = 2_147_483_647;

/** The host's clock: `Date.now()` and the global timers (delays clamped to what they honour). */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => setTimeout(callback, Math.max(0, Math.min(ms, MAX_TIMER_MS))),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/**
 * {@link systemClock} whose Node timers never keep a process alive on their own (`unref`),
 * for servers and runners: a heartbeat or an idle check must not hold up an exit. Where
 * timers have no `unref` (browsers, edge runtimes), the same as {@link systemClock}.
 */
export const unrefClock: Clock = {
  now: systemClock.now,
  setTimeout(callback, ms) {
    const timer = systemClock.setTimeout(callback, ms) as { unref?: () => void };
    timer.unref?.();
    return timer;
  },
  clearTimeout: systemClock.clearTimeout,
};
