// Runtime checks, done once, in one place (house style #9). Shared by AccessToken,
// TokenVerifier and UnpodClient.

import { UnpodArgumentError } from "@unpod/core";
import { invalidArgument } from "@unpod/core/internal";

/**
 * True where a browser page's globals exist (`window` and `document`). Workers, Node, Bun,
 * Deno and edge runtimes have no `document`.
 */
export function isBrowser(): boolean {
  const g = globalThis as { window?: unknown; document?: unknown };
  return typeof g.window !== "undefined" && typeof g.document !== "undefined";
}

/**
 * Throws when running in a browser page unless the caller opted in: an API secret or API
 * token shipped to a browser is the failure the platform docs warn about.
 *
 * @param option - The opt-in option's name, reported in the error.
 * @param allowed - The opt-in option's value.
 * @param what - What is being constructed, for the message.
 * @throws {@link UnpodArgumentError} naming `option`.
 */
export function assertServerRuntime(
  option: "dangerouslyAllowBrowser",
  allowed?: boolean,
  what = "This object",
): void {
  if (allowed === true || !isBrowser()) return;
  throw invalidArgument(
    option,
    `${what} holds a secret and must not run in a browser: mint tokens on your backend and hand the browser only the token. Pass ${option}: true only for local experiments.`,
  );
}
