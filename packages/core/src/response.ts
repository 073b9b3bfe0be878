import { type ApiErrorCode, type RequestInfo, UnpodApiError } from "./errors.js";
import { isObject } from "./internal/check.js";

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

/** Bodies longer than this are not parsed and are kept only in part. */
export const MAX_ERROR_BODY = 64 * 1024;
const KEEP = 2048;
/** Longest `Retry-After` honoured, in seconds. */
export const MAX_RETRY_AFTER = 3600;

/** The one method of `Headers` that {@link errorFromResponse} uses. */
export interface HeaderReader {
  /**
   * @param name - A header name, case-insensitive.
   * @returns The header's value, or `null` when absent.
   */
  get(name: string): string | null;
}

/** Input of {@link errorFromResponse}. */
export interface ResponseInfo {
  /** HTTP status. */
  status: number;
  /** The body: raw text (parsed here) or an already-parsed value. */
  body: unknown;
  /** The request that was answered. */
  request: RequestInfo;
  /** Response headers (only `Retry-After` is read): a `Headers` object or anything with `get`. */
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

// The parsed object (if the body is one) and, for a text body, its first KEEP characters.
function parseBody(body: unknown): { env?: Partial<Envelope>; text?: string | undefined } {
  if (typeof body !== "string") return isObject(body) ? { env: body } : {};
  const text = body ? body.slice(0, KEEP) : undefined;
  if (body.length <= MAX_ERROR_BODY) {
    try {
      const parsed: unknown = JSON.parse(body);
      if (isObject(parsed)) return { env: parsed, text };
    } catch {
      // not JSON: HTML error pages, truncated bodies
    }
  }
  return { text };
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

function codeFor(status: number, message: string): ApiErrorCode {
  if (status === 400 && /header/i.test(message)) return "missing_header";
  if (status === 403 && /expired/i.test(message)) return "token_expired";
  return (
    CODES[status] ?? (status >= 500 ? "server_error" : status >= 400 ? "bad_request" : "http_error")
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
  const { env, text } = parseBody(info.body);
  const envStatus = typeof env?.status_code === "number" ? env.status_code : undefined;
  let status = info.status;
  if (status >= 200 && status < 300 && status !== 206) {
    // A success status whose envelope reports a failure (206, 4xx, 5xx) is that failure.
    // (`undefined` compares false.)
    const e = envStatus as number;
    if (!(e === 206 || (e >= 400 && e < 600))) return undefined;
    status = e;
  }
  // The platform says `message`; Django REST Framework's own errors say `detail`.
  const raw = env?.message || (env as { detail?: unknown } | undefined)?.detail;
  const said = typeof raw === "string" ? raw : "";
  const retryAfter =
    status === 429 || status === 503
      ? parseRetryAfter(info.headers?.get("retry-after"), info.now)
      : undefined;
  // Classify by what the platform said, never by an arbitrary body (an nginx 400 page about
  // a too-large header is not a missing header).
  return new UnpodApiError(
    codeFor(status, said),
    said.slice(0, KEEP) || `HTTP ${status}${text ? `: ${text.slice(0, 200)}` : ""}`,
    {
      status,
      request: info.request,
      data: env?.data,
      errors: env?.errors,
      // The raw body only when it was not the platform's envelope.
      body: envStatus === undefined ? text : undefined,
      retryAfter,
    },
  );
}
