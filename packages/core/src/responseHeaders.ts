import { redact } from "./internal/redact.js";

/**
 * Response headers as the SDK hands them out (`UnpodApiError.headers`, and
 * `withResponse()` in `@unpod/node`): lower-case names → values, a plain object that
 * `JSON.stringify` and logs show as it is.
 *
 * Kept: every header of the **response** — never a request header, so never the API token
 * — except `set-cookie` and `set-cookie2` (a session the server hands out is a credential)
 * and `authorization`, `proxy-authorization` and `cookie`, should a proxy echo them. At most
 * 64 headers; each value scrubbed of anything that looks like a
 * credential (and cut to 16 KiB).
 */
export type ResponseHeaders = Readonly<Record<string, string>>;

/**
 * Where {@link ResponseHeaders} are read from: a `Headers` object (anything with
 * `forEach`), or a plain name → value object. An object without `forEach` (a bare
 * `{ get }`) gives none.
 */
export type HeaderSource =
  | {
      /**
       * Calls `callback` once per header, as `Headers.prototype.forEach` does.
       *
       * @param callback - Receives each header's value and name.
       */
      forEach?(callback: (value: string, name: string) => void): void;
    }
  | Readonly<Record<string, string>>;

/** Most headers {@link ResponseHeaders} keeps; later ones are left out. */
export const MAX_KEPT_HEADERS = 64;

// Credentials, whichever way they travel: what the server sets, and request headers a
// proxy might echo.
const DROPPED: ReadonlySet<string> = new Set([
  "set-cookie",
  "set-cookie2",
  "authorization",
  "proxy-authorization",
  "cookie",
]);

/**
 * The {@link ResponseHeaders} of a response.
 *
 * @param source - A `Headers` object, a plain object, or anything else (which keeps none).
 * @returns A new plain object.
 */
export function keptHeaders(source: unknown): ResponseHeaders {
  const kept: [string, string][] = [];
  const keep = (value: unknown, name: string) => {
    const lower = name.toLowerCase();
    if (typeof value === "string" && kept.length < MAX_KEPT_HEADERS && !DROPPED.has(lower)) {
      // redact() also caps the value (MAX_SCRUBBED characters).
      kept.push([lower, redact(value)]);
    }
  };
  const headers = source as { forEach?: unknown } | null | undefined;
  if (typeof headers?.forEach === "function") {
    (headers as { forEach(callback: typeof keep): void }).forEach(keep);
  } else if (typeof headers === "object" && headers !== null) {
    for (const [name, value] of Object.entries(headers)) keep(value, name);
  }
  // fromEntries defines own properties, so a header named "__proto__" stays a plain key.
  return Object.fromEntries(kept);
}
