import { UnpodArgumentError } from "./errors.js";

/** A duration: seconds as a number, or a string such as `"90s"`, `"10m"`, `"6h"`, `"2 days"`, `"1h30m"`. */
export type Duration = number | string;

const UNITS: Record<string, number> = {
  s: 1,
  sec: 1,
  secs: 1,
  second: 1,
  seconds: 1,
  m: 60,
  min: 60,
  mins: 60,
  minute: 60,
  minutes: 60,
  h: 3600,
  hr: 3600,
  hrs: 3600,
  hour: 3600,
  hours: 3600,
  d: 86400,
  day: 86400,
  days: 86400,
  w: 604800,
  week: 604800,
  weeks: 604800,
};

/** Bounds for {@link parseDuration}. */
export interface DurationBounds {
  /** Name of the option, used in errors. */
  option: string;
  /** Smallest accepted value in seconds (inclusive). @defaultValue 1 */
  min?: number;
  /** Largest accepted value in seconds (inclusive). @defaultValue 366 days */
  max?: number;
}

/**
 * Parses a duration into whole seconds and checks its bounds.
 *
 * @param value - Seconds, or a string like `"10m"`, `"6h"`, `"2 days"`, `"1h30m"`.
 * @param bounds - The option's name and limits.
 * @returns Whole seconds.
 * @throws {@link UnpodArgumentError} naming the option for non-finite, unparsable or
 *   out-of-bounds values.
 * @example
 * ```ts
 * import { parseDuration } from "@unpod/core";
 * parseDuration("10m", { option: "ttl" }); // 600
 * ```
 */
export function parseDuration(value: Duration, bounds: DurationBounds): number {
  const { option, min = 1, max = 366 * 86400 } = bounds;
  let seconds: number;
  if (typeof value === "number") {
    seconds = value;
  } else if (typeof value === "string" && value.length <= 64) {
    const s = value.trim().toLowerCase();
    seconds = Number.NaN;
    if (/^\d+(\.\d+)?$/.test(s)) seconds = Number(s);
    else if (/^(\d+(\.\d+)?\s*[a-z]+\s*)+$/.test(s)) {
      seconds = 0;
      for (const [, n, unit] of s.matchAll(/(\d+(?:\.\d+)?)\s*([a-z]+)/g)) {
        const k = UNITS[unit as string];
        if (k === undefined) {
          seconds = Number.NaN;
          break;
        }
        seconds += Number(n) * k;
      }
    }
  } else {
    throw new UnpodArgumentError(option, "must be seconds or a duration string like '10m'");
  }
  if (!Number.isFinite(seconds)) {
    throw new UnpodArgumentError(
      option,
      `could not read ${JSON.stringify(String(value).slice(0, 64))} as a duration (use seconds or e.g. '10m', '6h', '2 days')`,
    );
  }
  seconds = Math.round(seconds);
  if (seconds < min || seconds > max) {
    throw new UnpodArgumentError(
      option,
      `must be between ${min} and ${max} seconds, got ${seconds}`,
    );
  }
  return seconds;
}
