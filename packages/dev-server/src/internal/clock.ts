import type { Clock } from "@unpod/core";
import { systemClock } from "@unpod/core/internal";

/** The host's clock, with unref'd Node timers: the dev server's timers never keep a process alive. */
export const unrefClock: Clock = {
  now: systemClock.now,
  setTimeout(callback, ms) {
    const timer = systemClock.setTimeout(callback, ms) as { unref?: () => void };
    timer.unref?.();
    return timer;
  },
  clearTimeout: systemClock.clearTimeout,
};
