import { type ApiErrorCode, type ApiRequestInfo, MAX_KEPT_BODY, UnpodApiError } from "./errors.js";
import { isObject } from "./internal/check.js";
import { clip } from "./internal/redact.js";

/** The platform's JSON envelope, success or failure. */
export interface Envelope<T = unknown> {
  /** Mirrors the HTTP status (206 for business failures). */
  status_code: number;
  /** `Success`, or why not. */
  message: string;
  /** The payload. */
  data?: T;
  /** Total number of items, on lists only. */
  count?: number;
  /** Field → messages, on validation failures. */
  errors?: unknown;
}

/** Bodies longer than this (in characters) are not parsed as JSON; the start is kept as text. */
export const MAX_ERROR_BODY = 64 * 1024;
/** Longest `Retry-After` honoured, in seconds. */
export const MAX_RETRY_AFTER = 3600;

/** What {@link errorFromResponse} reads of `Headers`: `Retry-After`, and every header for the error's `headers`. */
export interface HeaderReader {
  /**
   * @param name - A header name, case-insensitive.
   * @returns The header's value, or `null` when absent.
   */
  get(name: string): string | null;
  /**
   * Calls back with every header (`Headers` has it): what `UnpodApiError.headers` keeps.
   * Without it, the error's `headers` is empty.
   *
   * @param callback - Receives each value and name.
   */
  forEach?(callback: (value: string, name: string) => void): void;
}

/** Input of {@link errorFromResponse}. */
export interface ResponseInfo {
  /** HTTP status. */
  status: number;
  /** The body: raw text (parsed here) or an already-parsed value. */
  body: unknown;
  /** The request that was answered. */
  request: ApiRequestInfo;
  /** Response headers: a `Headers` object, or anything with `get` (and `forEach`, for the error's `headers`). */
  headers?: HeaderReader | undefined;
  /** Current time, for an HTTP-date `Retry-After`. */
  now?: number | undefined;
}

/**
 * Parses a `Retry-After` header (seconds or an HTTP date) into whole seconds (rounded up),
 * at least 0 and at most {@link MAX_RETRY_AFTER}.
 *
 * @param value - The header value.
 * @param now - Current time in ms since epoch.
 * @returns Seconds to wait, or `undefined` when absent or unreadable.
 */
export function parseRetryAfter(
  value: string | null | undefined,
  now = Date.now(),
): number | undefined {
  if (!value) return undefined;
  const v = value.trim();
  // Seconds, or an HTTP date (all three HTTP date formats start with the day's name).
  const s = /^\d+(\.\d+)?$/.test(v)
    ? Number(v)
    : /^[a-z]/i.test(v)
      ? (Date.parse(v) - now) / 1000
      : Number.NaN;
  return Number.isFinite(s) ? Math.min(Math.max(0, Math.ceil(s)), MAX_RETRY_AFTER) : undefined;
}

// 4xx statuses the platform does not name are bad requests; anything else unexpected is an
// `http_error`.
const CODES: Record<number, ApiErrorCode> = {
  206: "business_error",
  401: "unauthorized",
  403: "forbidden",
  404: "not_found",
  429: "rate_limited",
};

// The code for a failed status; `said` is the platform's message (never an arbitrary body:
// an nginx 400 page about a too-large header is not a missing header).
const codeFor = (status: number, said: string): ApiErrorCode =>
  status === 400 && /header/i.test(said)
    ? "missing_header"
    : status === 403 && /expired/i.test(said)
      ? "token_expired"
      : (CODES[status] ??
        (status >= 500 ? "server_error" : status >= 400 ? "bad_request" : "http_error"));

// What the server said and, failing that, the status and the start of the body (cut between
// words, so no credential is cut to a start too short to be recognised and redacted).
const messageFor = (status: number, said: string, text: string | undefined) =>
  clip(said, MAX_KEPT_BODY) || `HTTP ${status}${text ? `: ${clip(text, 200)}` : ""}`;

const retryAfterFor = (status: number, value: string | null | undefined, now?: number) =>
  status === 429 || status === 503 ? parseRetryAfter(value, now) : undefined;

/**
 * A smaller {@link errorFromResponse} for endpoints that answer a status and, on a failure,
 * `{"message": …}` — the real-time server's validate endpoint, an app's token endpoint. Any
 * status but 2xx is a failure (a 206 too), with the same code `errorFromResponse` would give;
 * the body's `message` (or `detail`) becomes the error's message, or else the body is kept
 * (capped to {@link MAX_KEPT_BODY}). Unlike `errorFromResponse`, it reads no envelope (`status_code`, `data`,
 * `errors`): a 2xx is a success whatever its body says.
 *
 * @param info - Status, the body as text, request and headers.
 * @returns The error, or `undefined` for a success.
 * @example
 * ```ts
 * import { errorFromStatus } from "@unpod/core/internal";
 * const error = errorFromStatus({
 *   status: 403,
 *   body: '{"status_code":403,"message":"Token has expired."}',
 *   request: { method: "GET", url: "https://rtc.example.com/v1/rtc/validate" },
 * });
 * error?.code; // "token_expired"
 * ```
 */
export function errorFromStatus(info: ResponseInfo & { body: string }): UnpodApiError | undefined {
  const { status, body } = info;
  if (status >= 200 && status < 300 && status !== 206) return undefined;
  let said: unknown;
  try {
    // The platform says `message`; Django REST Framework's own errors say `detail`.
    const parsed = body.length > MAX_ERROR_BODY ? 0 : JSON.parse(body);
    said = parsed.message || parsed.detail;
  } catch {
    // not JSON: HTML error pages, truncated bodies
  }
  said = typeof said === "string" ? said : "";
  const text = said ? undefined : body || undefined;
  return new UnpodApiError(
    codeFor(status, said as string),
    messageFor(status, said as string, text),
    {
      status,
      request: info.request,
      body: text,
      retryAfter: retryAfterFor(status, info.headers?.get("retry-after"), info.now),
      headers: info.headers,
    },
  );
}

/**
 * Turns an HTTP answer into the matching {@link UnpodApiError}, or `undefined` when it is a
 * success. A 206, any status ≥ 300, and a 2xx whose envelope carries an error
 * `status_code` are failures. Survives empty, HTML, truncated and huge bodies.
 *
 * @param info - Status, body, request and headers.
 * @returns The error, or `undefined` for a success.
 * @example
 * ```ts
 * import { errorFromResponse } from "@unpod/core";
 * const error = errorFromResponse({
 *   status: 400,
 *   body: '{"status_code":400,"message":"Org-Handle header is required."}',
 *   request: { method: "GET", url: "https://unpod.ai/api/v2/platform/spaces/" },
 * });
 * error?.code; // "missing_header"
 * ```
 */
export function errorFromResponse(info: ResponseInfo): UnpodApiError | undefined {
  const { body } = info;
  // The envelope (a parsed object) and, for a text body, the text (UnpodApiError keeps only
  // its start).
  let env: unknown = body;
  let text: string | undefined;
  if (typeof body === "string") {
    text = body || undefined;
    try {
      // Huge bodies are not parsed; HTML error pages and truncated bodies are not JSON.
      env = body.length > MAX_ERROR_BODY ? 0 : JSON.parse(body);
    } catch {}
  }
  const e = (isObject(env) ? env : {}) as Partial<Envelope> & { detail?: unknown };
  const envStatus = typeof e.status_code === "number" ? e.status_code : undefined;
  let status = info.status;
  if (status >= 200 && status < 300 && status !== 206) {
    // A success status whose envelope reports a failure (206, 4xx, 5xx) is that failure.
    // (`undefined` compares false.)
    const s = envStatus as number;
    if (!(s === 206 || (s >= 400 && s < 600))) return undefined;
    status = s;
  }
  // The platform says `message`; Django REST Framework's own errors say `detail`.
  const raw = e.message || e.detail;
  const said = typeof raw === "string" ? raw : "";
  return new UnpodApiError(codeFor(status, said), messageFor(status, said, text), {
    status,
    request: info.request,
    data: e.data,
    errors: e.errors,
    // The raw body only when it was not the platform's envelope.
    body: envStatus === undefined ? text : undefined,
    retryAfter: retryAfterFor(status, info.headers?.get("retry-after"), info.now),
    headers: info.headers,
  });
}
