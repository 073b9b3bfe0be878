// Option normalisation for the REST client: sizes, base URL and path rules, headers.
// (Durations go through core's one parser, `durationMs`.)

import { UnpodArgumentError } from "@unpod/core";
import { intOption, invalidArgument, isLoopbackHost } from "@unpod/core/internal";

/** Smallest and largest `maxResponseSize`: 1 KiB … 1 GiB. */
const MIN_SIZE = 1024;
const MAX_SIZE = 1024 * 1024 * 1024;

/** Reads `maxResponseSize` (bytes); `fallback` when not given. */
export function maxResponseSizeOption(value: unknown, fallback: number): number {
  return intOption("maxResponseSize", value, { min: MIN_SIZE, max: MAX_SIZE, fallback });
}

/** Reads `maxRetries` (0 … 10); `fallback` when not given. */
export function maxRetriesOption(value: unknown, fallback: number): number {
  return intOption("maxRetries", value, { min: 0, max: 10, fallback });
}

/**
 * Validates the base URL: absolute, HTTPS (plain HTTP only to a literal loopback host or
 * when `allowInsecure`), no credentials, query or fragment. Returns it with a trailing
 * slash.
 */
export function normaliseBaseUrl(value: unknown, allowInsecure: boolean): string {
  if (typeof value !== "string" || value === "") {
    throw invalidArgument("baseUrl", "must be a non-empty URL string");
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch (cause) {
    throw invalidArgument("baseUrl", "is not an absolute URL", {
      cause,
    });
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw invalidArgument("baseUrl", `must use https: (got ${url.protocol})`);
  }
  if (url.protocol === "http:" && !allowInsecure && !isLoopbackHost(url.hostname)) {
    throw invalidArgument(
      "baseUrl",
      "plain http:// sends the API token in clear text; use https://, a loopback address (localhost, 127.0.0.1, [::1]), or set allowInsecure: true",
    );
  }
  if (url.username !== "" || url.password !== "") {
    throw invalidArgument("baseUrl", "must not contain credentials");
  }
  if (url.search !== "" || url.hash !== "") {
    throw invalidArgument("baseUrl", "must not contain a query string or fragment");
  }
  const href = url.href;
  return href.endsWith("/") ? href : `${href}/`;
}

// A segment that URL parsing (or a server decoding it) would read as `.` or `..`.
const DOT_SEGMENT = /^\.{1,2}$/;

/** The segment decoded as a server would, or `undefined` when its escapes are malformed. */
function decoded(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

/**
 * Checks a caller's path for `request()` / `requestPage()` and returns it without leading
 * slashes. It must stay under `baseUrl` (the API token is only ever sent there): no scheme
 * or host, no `?`/`#`, no backslash, and no `.`/`..` segment in any spelling (`%2e%2e`,
 * `.%2E`, `..%2f…`); then, whatever the parser makes of it, the resolved URL must still be
 * under the base.
 *
 * @throws {@link UnpodArgumentError} `path`.
 */
export function requestPath(path: unknown, baseUrl: string): string {
  if (typeof path !== "string") throw invalidArgument("path", "must be a string");
  const p = path.replace(/^\/+/, "");
  if (/^[a-z][a-z0-9+.-]*:/i.test(p) || path.startsWith("//")) {
    throw invalidArgument(
      "path",
      "must be relative to baseUrl (the API token is only sent to baseUrl)",
    );
  }
  if (/[?#]/.test(p)) throw invalidArgument("path", "must not contain ? or #; use query");
  if (p.includes("\\")) throw invalidArgument("path", "must not contain a backslash");
  for (const segment of p.split("/")) {
    const plain = decoded(segment);
    if (plain === undefined) {
      throw invalidArgument("path", `has a malformed escape in ${JSON.stringify(segment)}`);
    }
    if (plain.split(/[/\\]/).some((part) => DOT_SEGMENT.test(part))) {
      throw invalidArgument("path", "must not contain . or .. segments (in any encoding)");
    }
  }
  const base = new URL(baseUrl);
  const resolved = new URL(p, base);
  if (resolved.origin !== base.origin || !resolved.pathname.startsWith(base.pathname)) {
    throw invalidArgument("path", "must stay under baseUrl");
  }
  return p;
}

// Visible ASCII and inner spaces/tabs; no CR, LF or NUL that could split a header.
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const HEADER_VALUE = /^[\t\x20-\x7e]*$/;

/** Validates one caller-supplied header, naming it in the error. */
export function checkHeader(name: string, value: string, option: string): void {
  if (!HEADER_NAME.test(name)) {
    throw invalidArgument(option, `${JSON.stringify(name)} is not a valid header name`);
  }
  if (typeof value !== "string" || !HEADER_VALUE.test(value)) {
    throw invalidArgument(
      `${option}.${name}`,
      "must be a string of visible ASCII (no line breaks or control characters)",
    );
  }
}
