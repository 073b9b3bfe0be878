import { type ApiErrorCode, type RequestInfo, UnpodApiError } from "./errors.js";

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

/** Input of {@link errorFromResponse}. */
export interface ResponseInfo {
  /** HTTP status. */
  status: number;
  /** The body: raw text (parsed here) or an already-parsed value. */
  body: unknown;
  /** The request that was answered. */
  request: RequestInfo;
  /** Response headers (only `Retry-After` is read). */
  headers?: { get(name: string): string | null } | undefined;
  /** Current time, for an HTTP-date `Retry-After`. */
  now?: number | undefined;
}

/**
 * Parses a `Retry-After` header (seconds or an HTTP date) into seconds, capped at
 * {@link MAX_RETRY_AFTER}.
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
  let s = /^\d+(\.\d+)?$/.test(v) ? Number(v) : (Date.parse(v) - now) / 1000;
  if (!Number.isFinite(s)) return undefined;
  s = Math.max(0, s);
  return Math.min(s, MAX_RETRY_AFTER);
}

function parseBody(body: unknown): { env?: Partial<Envelope>; text?: string } {
  if (typeof body !== "string") {
    return body && typeof body === "object" ? { env: body as Partial<Envelope> } : {};
  }
  if (body.length > MAX_ERROR_BODY) return { text: body.slice(0, KEEP) };
  try {
    const parsed: unknown = JSON.parse(body);
    if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) {
      return { env: parsed as Partial<Envelope> };
    }
  } catch {
    // not JSON: HTML error pages, truncated bodies
  }
  return body ? { text: body.slice(0, KEEP) } : {};
}

function codeFor(status: number, message: string): ApiErrorCode {
  if (status === 206) return "business_error";
  if (status === 400) return /header/i.test(message) ? "missing_header" : "bad_request";
  if (status === 401) return "unauthorized";
  if (status === 403) return /expired/i.test(message) ? "token_expired" : "forbidden";
  if (status === 404) return "not_found";
  if (status === 429) return "rate_limited";
  if (status >= 500) return "server_error";
  if (status === 422 || status === 409) return "bad_request";
  return "http_error";
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
    if (envStatus === undefined || envStatus < 300 || envStatus === 204) return undefined;
    if (envStatus !== 206 && envStatus < 400) return undefined;
    status = envStatus;
  }
  const message =
    typeof env?.message === "string" && env.message
      ? env.message.slice(0, KEEP)
      : `HTTP ${status}${text ? `: ${text.slice(0, 200)}` : ""}`;
  const retryAfter =
    status === 429 || status === 503
      ? parseRetryAfter(info.headers?.get("retry-after"), info.now)
      : undefined;
  return new UnpodApiError(codeFor(status, message), message, {
    status,
    request: info.request,
    data: env?.data,
    errors: env?.errors,
    body: env ? undefined : text,
    retryAfter,
  });
}
