import type { AgentClock } from "../types.js";

/** The real clock: `Date.now()` and timers that never keep a process alive on their own. */
export const systemClock: AgentClock = {
  now: () => Date.now(),
  setTimeout(callback, ms) {
    const t = setTimeout(callback, Math.max(0, Math.min(ms, 2_147_483_647)));
    (t as { unref?: () => void }).unref?.();
    return t;
  },
  clearTimeout(handle) {
    clearTimeout(handle as ReturnType<typeof setTimeout>);
  },
};

/** Resolves after `ms` on `clock`. */
export function sleep(clock: AgentClock, ms: number): Promise<void> {
  return new Promise((resolve) => clock.setTimeout(resolve, ms));
}
