import { UnpodArgumentError } from "./errors.js";

/** A duration: seconds as a number, or a string such as `"90s"`, `"10m"`, `"6h"`, `"2 days"`, `"1h30m"`. */
export type Duration = number | string;

// One number and one unit, e.g. "10m", "2 days", "1.5 hours"; a duration is one or more,
// matched back to back from the start (sticky) and covering the whole string.
// Units: s sec secs second seconds, m min mins minute minutes, h hr hrs hour hours,
// d day days, w week weeks.
const PART =
  /(\d+(?:\.\d+)?)\s*(s(?:ec(?:ond)?s?)?|m(?:in(?:ute)?s?)?|h(?:(?:ou)?rs?)?|d(?:ays?)?|w(?:eeks?)?)\s*/gy;
const SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400, w: 604800 };

// The seconds a duration string stands for, or NaN. Plain seconds ("90", "1.5") count as
// seconds; otherwise the parts are taken off the front one by one, and anything left over
// means it was not a duration.
function secondsIn(value: unknown): number {
  const s = typeof value === "string" && value.length <= 64 ? value.trim().toLowerCase() : "";
  let sum = 0;
  const rest = (/^[\d.]+$/.test(s) ? `${s}s` : s).replace(PART, (_, n: string, unit: string) => {
    sum += +n * (SECONDS[unit[0] as string] as number);
    return "";
  });
  return s && !rest ? sum : Number.NaN;
}

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
  const seconds = Math.round(typeof value === "number" ? value : secondsIn(value));
  if (!Number.isFinite(seconds)) {
    throw new UnpodArgumentError(option, 'must be seconds or a duration like "10m"');
  }
  if (seconds < min || seconds > max) {
    throw new UnpodArgumentError(
      option,
      `must be between ${min} and ${max} seconds, got ${seconds}`,
    );
  }
  return seconds;
}
