// Type guards over the error family. They check `name` and `code`, never `instanceof`, so
// they accept errors thrown by another copy of the SDK (another bundle, another realm).
import {
  isUnpodError,
  type UnpodApiError,
  type UnpodArgumentError,
  type UnpodAudioError,
  type UnpodConnectionError,
  type UnpodError,
  type UnpodErrorCode,
  type UnpodSessionError,
  type UnpodTokenError,
} from "./errors.js";

/** Every error class the SDK throws. */
export type UnpodErrorClass =
  | UnpodApiError
  | UnpodTokenError
  | UnpodConnectionError
  | UnpodArgumentError
  | UnpodSessionError
  | UnpodAudioError;

/**
 * What an error with a given code is: every class that carries the code, with `code`
 * narrowed to it. Derived from the classes' code unions, so it cannot drift from them.
 * Most codes belong to one class (`rate_limited` → {@link UnpodApiError}, with
 * `retryAfter`; `timeout` → {@link UnpodConnectionError}); a few to two: `token_expired`
 * (a local check or the server's 403), `missing_header` (caught before sending, or the
 * server's 400), `unauthorized` and `forbidden` (REST or real time).
 *
 * @example
 * ```ts
 * import type { UnpodErrorByCode } from "@unpod/core";
 * type RateLimited = UnpodErrorByCode["rate_limited"]; // UnpodApiError & { code: "rate_limited" }
 * declare const error: RateLimited;
 * const wait = error.retryAfter ?? 1;
 * ```
 */
export type UnpodErrorByCode = {
  // Each class whose codes include C, with `code` narrowed to C (`infer` makes the check
  // distribute over the classes). Inline, so the documentation shows the whole type.
  [C in UnpodErrorCode]: UnpodErrorClass extends infer E
    ? E extends UnpodError
      ? C extends E["code"]
        ? E & {
            /** The code asked for. */
            readonly code: C;
          }
        : never
      : never
    : never;
};

/**
 * True for an SDK error with the given code (works across bundles). It narrows `value` to
 * the class that carries the code ({@link UnpodErrorByCode}): after
 * `hasErrorCode(e, "rate_limited")`, `e.retryAfter` is there.
 *
 * @param value - Anything caught.
 * @param code - The code to match (or a union of codes).
 * @returns Whether `value` is an SDK error with that code.
 * @example
 * ```ts
 * import { hasErrorCode } from "@unpod/core";
 * declare const error: unknown;
 * declare function retryIn(seconds: number): void;
 * if (hasErrorCode(error, "rate_limited")) retryIn(error.retryAfter ?? 1);
 * ```
 */
export function hasErrorCode<C extends UnpodErrorCode>(
  value: unknown,
  code: C,
): value is UnpodErrorByCode[C] {
  return isUnpodError(value) && value.code === code;
}

const named = (value: unknown, name: UnpodErrorClass["name"]): boolean =>
  isUnpodError(value) && value.name === name;

/**
 * True for an {@link UnpodApiError} (works across bundles).
 *
 * @param value - Anything caught.
 * @returns Whether `value` is an API error.
 */
export function isUnpodApiError(value: unknown): value is UnpodApiError {
  return named(value, "UnpodApiError");
}

/**
 * True for an {@link UnpodTokenError} (works across bundles).
 *
 * @param value - Anything caught.
 * @returns Whether `value` is a token error.
 */
export function isUnpodTokenError(value: unknown): value is UnpodTokenError {
  return named(value, "UnpodTokenError");
}

/**
 * True for an {@link UnpodConnectionError} (works across bundles): no answer, a timeout, or
 * the caller's abort.
 *
 * @param value - Anything caught.
 * @returns Whether `value` is a connection error.
 */
export function isUnpodConnectionError(value: unknown): value is UnpodConnectionError {
  return named(value, "UnpodConnectionError");
}

/**
 * True for an {@link UnpodArgumentError} (works across bundles): a bad option, named by
 * its `option`.
 *
 * @param value - Anything caught.
 * @returns Whether `value` is an argument error.
 */
export function isUnpodArgumentError(value: unknown): value is UnpodArgumentError {
  return named(value, "UnpodArgumentError");
}

/**
 * True for an {@link UnpodSessionError} (works across bundles): a real-time session failed.
 *
 * @param value - Anything caught.
 * @returns Whether `value` is a session error.
 */
export function isUnpodSessionError(value: unknown): value is UnpodSessionError {
  return named(value, "UnpodSessionError");
}

/**
 * True for an {@link UnpodAudioError} (works across bundles): voice could not start or
 * stopped.
 *
 * @param value - Anything caught.
 * @returns Whether `value` is an audio error.
 */
export function isUnpodAudioError(value: unknown): value is UnpodAudioError {
  return named(value, "UnpodAudioError");
}
