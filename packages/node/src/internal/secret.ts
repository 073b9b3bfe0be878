import { UnpodArgumentError } from "@unpod/core";
import { invalidArgument } from "@unpod/core/internal";

/** Smallest API secret accepted without `allowWeakSecret`: HS256 wants a 256-bit key. */
export const MIN_SECRET_BYTES = 32;

const encoder = new TextEncoder();

/**
 * Checks an API secret. The message never contains the secret, only its length.
 *
 * @param option - The option the secret came from, for the error.
 * @param secret - The secret.
 * @param allowWeak - Accept secrets shorter than {@link MIN_SECRET_BYTES}.
 * @returns The secret.
 * @throws {@link UnpodArgumentError} naming `option`.
 */
export function checkSecret(option: string, secret: unknown, allowWeak: boolean): string {
  if (typeof secret !== "string" || secret === "") {
    throw invalidArgument(option, "must be a non-empty string");
  }
  // A string of n UTF-16 units is at least n UTF-8 bytes: only short ones need encoding.
  if (!allowWeak && secret.length < MIN_SECRET_BYTES) {
    const bytes = encoder.encode(secret).length;
    if (bytes < MIN_SECRET_BYTES) {
      throw invalidArgument(
        option,
        `is ${bytes} bytes; HS256 needs at least ${MIN_SECRET_BYTES} bytes (256 bits). Use a longer secret, or pass allowWeakSecret: true for local development only.`,
      );
    }
  }
  return secret;
}

/** Node's `util.inspect.custom` symbol, without importing node:util. */
export const inspectSymbol: unique symbol = Symbol.for("nodejs.util.inspect.custom") as never;
