/**
 * Time as the dev server sees it. Everything that depends on time — token checks, the
 * resume window, idle sockets, token refresh — goes through one of these, so a test can
 * move time forward instead of sleeping.
 */
export interface DevServerClock {
  /** Current time in ms since epoch. */
  now(): number;
  /** Schedules `callback` after `ms` milliseconds; returns a handle for {@link DevServerClock.clearTimeout}. */
  setTimeout(callback: () => void, ms: number): unknown;
  /** Cancels a callback scheduled with {@link DevServerClock.setTimeout}. */
  clearTimeout(handle: unknown): void;
}

/** The real clock: `Date.now()` and unref'd Node timers (they never keep a process alive). */
export const systemClock: DevServerClock = {
  now: () => Date.now(),
  setTimeout(callback, ms) {
    const t = setTimeout(callback, Math.max(0, Math.min(ms, 2_147_483_647)));
    t.unref?.();
    return t;
  },
  clearTimeout(handle) {
    clearTimeout(handle as ReturnType<typeof setTimeout>);
  },
};
