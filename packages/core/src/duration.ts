import { UnpodArgumentError } from "./errors.js";
import { invalidArgument } from "./internal/argument.js";

/**
 * A duration: seconds as a number (fractions allowed), or a string such as `"500ms"`,
 * `"90s"`, `"10m"`, `"6h"`, `"2 days"`, `"1h30m"`. Every option of every Unpod package that
 * takes a `Duration` reads it the same way.
 */
export type Duration = number | string;

// One number and one unit ("500ms", "10m", "2 days", "1.5 hours"); a duration is one or
// more, matched back to back from the start (sticky) and covering the whole string. Units:
// ms; s sec secs second seconds; m min mins minute minutes; h hr hrs hour hours; d day
// days; w week weeks. Linear: no nested quantifiers, and at most 64 characters are read.
const PART =
  /(\d+(?:\.\d+)?)\s*(ms|s(?:ec(?:ond)?s?)?|m(?:in(?:ute)?s?)?|h(?:(?:ou)?rs?)?|d(?:ays?)?|w(?:eeks?)?)\s*/gy;
// Milliseconds per unit, by the unit's name (`ms`) or else its first letter.
const MS_PER_UNIT: Readonly<Record<string, number>> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

/**
 * The milliseconds a duration string stands for, or NaN. Plain numbers ("90", "1.5") are
 * seconds; otherwise the parts are taken off the front one by one, and anything left over
 * means it was not a duration.
 */
function msIn(text: string): number {
  const s = text.length <= 64 ? text.trim().toLowerCase() : "";
  let sum = 0;
  const rest = (/^[\d.]+$/.test(s) ? `${s}s` : s).replace(PART, (_, n: string, unit: string) => {
    sum += Number(n) * ((MS_PER_UNIT[unit] ?? MS_PER_UNIT[unit[0] as string]) as number);
    return "";
  });
  return s && !rest ? sum : Number.NaN;
}

/** Bounds of {@link durationMs}, in milliseconds. */
export interface DurationMsBounds {
  /** Name of the option, used in errors. */
  option: string;
  /** Smallest accepted value in ms (inclusive). */
  min: number;
  /** Largest accepted value in ms (inclusive). */
  max: number;
}

const seconds = (ms: number): string => `${ms / 1000}`;

/**
 * Reads a {@link Duration} as milliseconds and checks its bounds: the one duration parser
 * of the SDK.
 *
 * @param value - Seconds (a number), or a string like `"500ms"`, `"30s"`, `"10m"`, `"1h30m"`.
 * @param bounds - The option's name and limits in ms.
 * @returns Milliseconds, rounded to a whole number.
 * @throws {@link UnpodArgumentError} naming the option for non-finite, unparsable or
 *   out-of-bounds values.
 */
export function durationMs(value: Duration, bounds: DurationMsBounds): number {
  const { option, min, max } = bounds;
  const raw =
    typeof value === "number" ? value * 1000 : typeof value === "string" ? msIn(value) : Number.NaN;
  if (!Number.isFinite(raw)) {
    throw invalidArgument(
      option,
      'must be a number of seconds or a duration like "500ms", "30s", "10m"',
    );
  }
  const ms = Math.round(raw);
  if (ms < min || ms > max) {
    throw invalidArgument(
      option,
      `must be between ${seconds(min)} and ${seconds(max)} seconds, got ${seconds(ms)}`,
    );
  }
  return ms;
}
