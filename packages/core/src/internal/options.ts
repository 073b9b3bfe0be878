// Option checks every Unpod package makes the same way: the `clock` and `logger` options
// (one interface each, in core) and reading credentials from the environment.
import type { Clock } from "../clock.js";
import type { Logger } from "../logger.js";
import { invalidArgument } from "./argument.js";

/**
 * The `clock` option: `fallback` when not given, else an object with the three methods.
 *
 * @throws {@link UnpodArgumentError} `clock` for anything else.
 */
export function checkClock(value: unknown, fallback: Clock): Clock {
  if (value === undefined) return fallback;
  const clock = value as Partial<Clock> | null;
  if (
    typeof clock?.now !== "function" ||
    typeof clock.setTimeout !== "function" ||
    typeof clock.clearTimeout !== "function"
  ) {
    throw invalidArgument("clock", "must have now(), setTimeout() and clearTimeout()");
  }
  return value as Clock;
}

/**
 * The `logger` option: `{}` (log nothing) when not given, else an object whose methods
 * (`debug`, `info`, `warn`, `error`) are each optional.
 *
 * @throws {@link UnpodArgumentError} `logger` for anything else.
 */
export function checkLogger(value: unknown): Logger {
  if (value === undefined) return {};
  if (typeof value !== "object" || value === null) {
    throw invalidArgument(
      "logger",
      "must be an object with optional debug/info/warn/error methods",
    );
  }
  return value as Logger;
}

/**
 * An optional integer option: `fallback` when not given, else a safe integer in
 * `[min, max]`.
 *
 * @throws {@link UnpodArgumentError} naming `option` for anything else.
 */
export function intOption(
  option: string,
  value: unknown,
  bounds: { min: number; max: number; fallback: number },
): number {
  if (value === undefined) return bounds.fallback;
  if (
    !Number.isSafeInteger(value) ||
    (value as number) < bounds.min ||
    (value as number) > bounds.max
  ) {
    throw invalidArgument(option, `must be an integer from ${bounds.min} to ${bounds.max}`);
  }
  return value as number;
}

interface MaybeProcess {
  env?: Record<string, string | undefined>;
}
interface MaybeDeno {
  env?: { get(name: string): string | undefined };
}

/**
 * Reads an environment variable on server runtimes (Node, Bun, Deno, workers with a
 * `process.env` shim). Always `undefined` in a browser page (which has no environment to
 * trust); empty values count as unset.
 *
 * @param name - The variable's name, e.g. `UNPOD_API_KEY`.
 * @returns Its value, or `undefined`.
 */
export function readEnv(name: string): string | undefined {
  const g = globalThis as {
    process?: MaybeProcess;
    Deno?: MaybeDeno;
    window?: unknown;
    document?: unknown;
  };
  if (typeof g.window !== "undefined" && typeof g.document !== "undefined") return undefined;
  let value: string | undefined;
  try {
    value = g.process?.env?.[name] ?? g.Deno?.env?.get(name);
  } catch {
    // Deno without --allow-env throws: treat as unset.
    value = undefined;
  }
  return value === "" ? undefined : value;
}
