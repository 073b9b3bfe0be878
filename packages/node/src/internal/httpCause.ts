// What an error may keep as its `cause`. `console.error(error)` prints the whole cause
// chain, so no link of it may hold a secret: not the API token, not a credential from the
// query string (a runtime's error may name the URL it failed to reach). ky's own errors
// are never kept: they hold the Request, with its URL and Authorization header.
import { redact } from "@unpod/core/internal";

/** Links of a cause chain looked at, at most. */
const MAX_DEPTH = 5;

function isPrimitive(value: unknown): boolean {
  return value === null || (typeof value !== "object" && typeof value !== "function");
}

/**
 * Whether a link can be kept as it is: an `Error` whose own fields are plain values and
 * whose text shows no secret and nothing the scrubber would redact.
 */
function isClean(link: unknown, secrets: readonly string[]): boolean {
  if (!(link instanceof Error)) return false;
  const texts = [link.name, link.message, link.stack ?? ""];
  for (const key of Object.keys(link)) {
    const value = (link as unknown as Record<string, unknown>)[key];
    if (!isPrimitive(value)) return false;
    texts.push(String(value));
  }
  const text = texts.join("\n");
  return redact(text) === text && !secrets.some((secret) => text.includes(secret));
}

/** A copy of a link with its name, message (secrets removed) and string `code`, no more. */
function copyOf(link: unknown, secrets: readonly string[], cause: Error | undefined): Error {
  let message = link instanceof Error ? link.message : String(link);
  for (const secret of secrets) message = message.replaceAll(secret, "[redacted]");
  const copy = new Error(redact(message), cause === undefined ? undefined : { cause });
  copy.name = link instanceof Error ? link.name : "Error";
  const code = (link as { code?: unknown } | null | undefined)?.code;
  if (typeof code === "string") Object.assign(copy, { code });
  return copy;
}

/**
 * `cause` itself when every link of its chain is clean; otherwise a copy of the chain with
 * only names, scrubbed messages and codes.
 *
 * @param cause - What a runtime or a custom `fetch` threw.
 * @param secrets - The values that must not appear (API token, credential query values).
 * @returns A cause safe to keep, or `undefined` for none.
 */
export function safeCause(cause: unknown, secrets: readonly string[]): unknown {
  if (cause === undefined) return undefined;
  const chain: unknown[] = [];
  for (let link: unknown = cause; link !== undefined && chain.length < MAX_DEPTH; ) {
    chain.push(link);
    link = link instanceof Error ? link.cause : undefined;
  }
  const nonEmpty = secrets.filter((s) => s !== "");
  if (chain.every((link) => isClean(link, nonEmpty))) return cause;
  let copy: Error | undefined;
  for (const link of chain.reverse()) copy = copyOf(link, nonEmpty, copy);
  return copy;
}

/** A short description of a runtime error for a message: its message and the socket's code. */
export function describe(cause: unknown): string {
  if (cause instanceof Error) {
    const inner = (cause as { cause?: unknown }).cause;
    const code = (inner as { code?: unknown } | undefined)?.code;
    return typeof code === "string" ? `${cause.message} (${code})` : cause.message;
  }
  return String(cause);
}
