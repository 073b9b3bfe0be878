// Option normalisation for the REST client: durations, base URL rules, retry settings.
import { type Duration, parseDuration, UnpodArgumentError } from "@unpod/core";

/** Reads a duration as milliseconds: seconds (fractions allowed), `"250ms"`, or `"30s"`/`"2m"`. */
export function durationMs(value: Duration, option: string, minMs: number, maxMs: number): number {
  let ms: number;
  if (typeof value === "number") {
    if (!Number.isFinite(value)) {
      throw new UnpodArgumentError(option, "must be a finite number of seconds");
    }
    ms = value * 1000;
  } else if (typeof value === "string" && /^\s*\d+(\.\d+)?\s*ms\s*$/i.test(value)) {
    ms = Number.parseFloat(value);
  } else {
    // Whole seconds and unit strings ("30s", "2m", "1h30m"); bounds are checked below.
    ms = parseDuration(value, { option, min: 0, max: Number.MAX_SAFE_INTEGER }) * 1000;
  }
  ms = Math.round(ms);
  if (ms < minMs || ms > maxMs) {
    throw new UnpodArgumentError(
      option,
      `must be between ${minMs / 1000} and ${maxMs / 1000} seconds (durations are seconds or strings like "500ms", "30s"), got ${ms / 1000}`,
    );
  }
  return ms;
}

/** Reads a non-negative integer option. */
export function intOption(value: unknown, option: string, min: number, max: number): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    throw new UnpodArgumentError(option, `must be an integer between ${min} and ${max}`);
  }
  return value;
}

const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\]|\[0:0:0:0:0:0:0:1\])$/i;

/** Whether a URL's host is the local machine. */
export function isLoopback(hostname: string): boolean {
  return LOOPBACK.test(hostname) || hostname.toLowerCase().endsWith(".localhost");
}

/**
 * Validates the base URL: absolute, HTTPS (plain HTTP only to loopback or when
 * `allowInsecureHttp`), no credentials, query or fragment. Returns it with a trailing slash.
 */
export function normaliseBaseUrl(value: unknown, allowInsecureHttp: boolean): string {
  if (typeof value !== "string" || value === "") {
    throw new UnpodArgumentError("baseUrl", "must be a non-empty URL string");
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch (cause) {
    throw new UnpodArgumentError("baseUrl", "is not an absolute URL", "invalid_argument", {
      cause,
    });
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new UnpodArgumentError("baseUrl", `must use https: (got ${url.protocol})`);
  }
  if (url.protocol === "http:" && !allowInsecureHttp && !isLoopback(url.hostname)) {
    throw new UnpodArgumentError(
      "baseUrl",
      "plain http:// sends the API token in clear text; use https://, a loopback host, or set allowInsecureHttp: true",
    );
  }
  if (url.username !== "" || url.password !== "") {
    throw new UnpodArgumentError("baseUrl", "must not contain credentials");
  }
  if (url.search !== "" || url.hash !== "") {
    throw new UnpodArgumentError("baseUrl", "must not contain a query string or fragment");
  }
  const href = url.href;
  return href.endsWith("/") ? href : `${href}/`;
}

// Visible ASCII and inner spaces/tabs; no CR, LF or NUL that could split a header.
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const HEADER_VALUE = /^[\t\x20-\x7e]*$/;

/** Validates one caller-supplied header, naming it in the error. */
export function checkHeader(name: string, value: string, option: string): void {
  if (!HEADER_NAME.test(name)) {
    throw new UnpodArgumentError(option, `${JSON.stringify(name)} is not a valid header name`);
  }
  if (typeof value !== "string" || !HEADER_VALUE.test(value)) {
    throw new UnpodArgumentError(
      `${option}.${name}`,
      "must be a string of visible ASCII (no line breaks or control characters)",
    );
  }
}
