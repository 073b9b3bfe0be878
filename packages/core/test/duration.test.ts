import { describe, expect, it } from "vitest";
import { type Duration, UnpodArgumentError } from "../src/index.js";
import { durationMs } from "../src/internal/index.js";
import { thrown } from "./helpers.js";

const opt = { option: "ttl" };

/** `durationMs` with bounds in seconds (1 s … 366 days by default), read back in seconds. */
function parseDuration(value: Duration, bounds: { option: string; min?: number; max?: number }) {
  const { option, min = 1, max = 366 * 86_400 } = bounds;
  return durationMs(value, { option, min: min * 1000, max: max * 1000 }) / 1000;
}

describe("durationMs: units and words", () => {
  it.each<[Duration, number]>([
    ["10m", 600],
    ["6h", 21_600],
    ["2 days", 172_800],
    ["1h30m", 5400],
    ["1h 30m", 5400],
    ["1d12h", 129_600],
    ["90s", 90],
    ["90", 90],
    ["  45  ", 45],
    [90, 90],
    [1.4, 1.4],
    ["1.5h", 5400],
    ["10 M", 600],
    ["3 seconds", 3],
    ["1 sec", 1],
    ["5 secs", 5],
    ["2 mins", 120],
    ["1 minute", 60],
    ["1 hr", 3600],
    ["2 hrs", 7200],
    ["1 hour", 3600],
    ["1 day", 86_400],
    ["1w", 604_800],
    ["2 weeks", 1_209_600],
  ])("%j → %i seconds", (value, seconds) => {
    expect(parseDuration(value, opt)).toBe(seconds);
  });

  it("accepts the default bounds' ends: 1 s and 366 days", () => {
    expect(parseDuration(1, opt)).toBe(1);
    expect(parseDuration("366d", opt)).toBe(366 * 86_400);
  });

  it.each<[Duration, object]>([
    [0, {}],
    ["0s", {}],
    [0.4, {}],
    ["367 days", {}],
    [-5, {}],
    [9, { min: 10 }],
    ["301s", { max: 300 }],
  ])("refuses %j out of bounds %o, naming the option", (value, bounds) => {
    const e = thrown(() => parseDuration(value, { option: "clockTolerance", ...bounds }));
    expect(e).toBeInstanceOf(UnpodArgumentError);
    expect(e.code).toBe("invalid_argument");
    expect(e.option).toBe("clockTolerance");
    expect(e.message).toMatch(/^clockTolerance: must be between \d+ and \d+ seconds/);
  });

  it("honours custom bounds, including 0", () => {
    expect(parseDuration(0, { option: "leeway", min: 0 })).toBe(0);
    expect(parseDuration("5m", { option: "x", max: 300 })).toBe(300);
  });

  it.each<unknown>([
    "",
    "   ",
    "abc",
    "10x",
    "10ms",
    "m10",
    "-5",
    "5-",
    "1e3",
    "0x10",
    "Infinity",
    "10m garbage",
    "ten minutes",
    "1..5h",
    "1,5h",
    "1h30",
    `${"1".repeat(65)}`,
    Number.NaN,
    Number.POSITIVE_INFINITY,
    null,
    undefined,
    {},
    [],
    ["10m"],
    true,
    10n,
  ])("refuses %s, naming the option", (value) => {
    const e = thrown(() => parseDuration(value as Duration, opt));
    expect(e).toBeInstanceOf(UnpodArgumentError);
    expect(e.option).toBe("ttl");
    expect(e.message.startsWith("ttl: ")).toBe(true);
  });
});

describe("durationMs: the one parser, in milliseconds", () => {
  const bounds = { option: "timeout", min: 1, max: 86_400_000 };
  it.each<[Duration, number]>([
    ["500ms", 500],
    ["1500 ms", 1500],
    ["1s 250ms", 1250],
    [0.25, 250],
    [30, 30_000],
    ["30", 30_000],
    ["1.5", 1500],
    ["30s", 30_000],
    ["2m", 120_000],
    ["1h30m", 5_400_000],
    ["1 day", 86_400_000],
    [0.0004, 0], // rounds to whole ms, then the bounds apply (below)
  ])("%j → %i ms", (value, ms) => {
    if (ms === 0) {
      expect(durationMs(value, { ...bounds, min: 0 })).toBe(0);
    } else {
      expect(durationMs(value, bounds)).toBe(ms);
    }
  });

  it.each<[unknown]>([
    ["soon"],
    ["1 fortnight"],
    ["5 m s"],
    ["2 milliseconds"], // only "ms"
    ["1h30"],
    ["-5ms"],
    [""],
    [Number.NaN],
    [Number.POSITIVE_INFINITY],
    [null],
    [{}],
    [`${"1".repeat(70)}ms`],
  ])("refuses %j, naming the option", (value) => {
    const e = thrown(() => durationMs(value as Duration, bounds));
    expect(e).toMatchObject({ code: "invalid_argument", option: "timeout" });
    expect(e.message).toContain('"500ms"');
  });

  it("checks bounds in ms and says them in seconds", () => {
    const e = thrown(() => durationMs("2s", { option: "idleTimeout", min: 0, max: 1500 }));
    expect(e.message).toBe("idleTimeout: must be between 0 and 1.5 seconds, got 2");
  });
});
