import { isUnpodError, UnpodConnectionError, type UnpodError } from "@unpod/core";
import type { Clock } from "../types.js";

/** `UnpodConnectionError("aborted")`. */
export const abortError = () => new UnpodConnectionError("aborted", "Aborted.");

/** Any failure as an SDK error: anything else (a fetch or socket that threw) is `network_error`. */
export const asError = (cause: unknown): UnpodError =>
  isUnpodError(cause)
    ? cause
    : new UnpodConnectionError("network_error", "Unreachable.", { cause });

/**
 * Runs `task` under the caller's `signal` and, when `ms` is given, a deadline. The task gets
 * its own signal, aborted when the caller aborts or the deadline passes (so a fetch or a
 * socket can be cancelled); the result rejects at once with `aborted` or `timeout`, even if
 * the task ignores its signal. Any other non-SDK failure (a synchronous throw included)
 * becomes `network_error`.
 */
export function within<T>(
  task: (signal: AbortSignal) => Promise<T>,
  signal: AbortSignal,
  clock: Clock,
  ms?: number,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const ctl = new AbortController();
    const settle = (error?: UnpodError) => {
      clock.clearTimeout(timer);
      signal.removeEventListener("abort", onAbort);
      if (error) {
        ctl.abort();
        reject(error);
      }
    };
    const onAbort = () => settle(abortError());
    const timer =
      ms === undefined
        ? undefined
        : clock.setTimeout(() => settle(new UnpodConnectionError("timeout", "Timed out.")), ms);
    if (signal.aborted) return onAbort();
    signal.addEventListener("abort", onAbort);
    // A task that throws synchronously is a failure like any other: through the same settle,
    // so the deadline and the abort listener are cleared.
    let running: Promise<T>;
    try {
      running = task(ctl.signal);
    } catch (thrown) {
      running = Promise.reject(thrown);
    }
    running.then(
      (value) => {
        settle();
        resolve(value);
      },
      (cause) => settle(asError(cause)),
    );
  });
}

/** Waits `ms` (on `clock`); rejects with `aborted` when `signal` fires first. */
export const sleep = (ms: number, signal: AbortSignal, clock: Clock): Promise<unknown> =>
  within(() => new Promise(() => {}), signal, clock, ms).catch((error: UnpodError) => {
    if (error.code !== "timeout") throw error;
  });
