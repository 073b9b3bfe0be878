import { UnpodArgumentError, type UnpodErrorOptions } from "../errors.js";

/**
 * The error for an invalid option (`invalid_argument`), as every Unpod package throws it:
 * `throw invalidArgument("ttl", "must be positive")`.
 *
 * @param option - The option or argument at fault.
 * @param message - What is wrong with it.
 * @param options - `cause`: the wrapped error.
 * @returns The error, for the caller to throw.
 */
export function invalidArgument(
  option: string,
  message: string,
  options?: UnpodErrorOptions,
): UnpodArgumentError {
  return new UnpodArgumentError("invalid_argument", message, { ...options, option });
}
