import type { Duration } from "@unpod/core";

/** A query parameter's value; `undefined` and `null` are left out of the URL. */
export type QueryValue = string | number | boolean | undefined | null;

/**
 * Structured fields of one log line from {@link UnpodLogger}. Values are already redacted:
 * no line ever carries the API token, a header, or a request or response body.
 */
export type LogFields = Readonly<Record<string, string | number | boolean | undefined>>;

/**
 * Receives the client's log lines. Every level is optional; pass `console` to print
 * everything, or an adapter to pino/winston. A logger that throws is ignored.
 *
 * Levels used: `debug` for each request and response, `warn` for each retry and for a
 * `Retry-After` longer than the client waits.
 *
 * @example
 * ```ts
 * import { UnpodClient } from "@unpod/node";
 * const client = new UnpodClient({
 *   logger: { warn: (message, fields) => console.warn(message, fields) },
 * });
 * ```
 */
export interface UnpodLogger {
  /**
   * Per-request detail: `request` and `response` lines.
   *
   * @param message - A short event name, e.g. `unpod.request`.
   * @param fields - Redacted structured fields (method, url, status, requestId, attempt, ms…).
   */
  debug?(message: string, fields: LogFields): void;
  /**
   * Informational events (reserved; not used by the REST client today).
   *
   * @param message - A short event name.
   * @param fields - Redacted structured fields.
   */
  info?(message: string, fields: LogFields): void;
  /**
   * Something was retried or refused to be retried: `unpod.retry`, `unpod.retry_after_too_long`.
   *
   * @param message - A short event name.
   * @param fields - Redacted structured fields.
   */
  warn?(message: string, fields: LogFields): void;
  /**
   * Errors (reserved: failures are thrown to the caller, not logged twice).
   *
   * @param message - A short event name.
   * @param fields - Redacted structured fields.
   */
  error?(message: string, fields: LogFields): void;
}

/**
 * Per-call options accepted by every resource method (last argument) and by
 * {@link UnpodClient.request}. They override the client's options for this call only.
 *
 * @example
 * ```ts
 * import { UnpodClient } from "@unpod/node";
 * const client = new UnpodClient();
 * const controller = new AbortController();
 * await client.spaces.list({ page: 1 }, { timeout: "5s", signal: controller.signal });
 * ```
 */
export interface RequestOptions {
  /**
   * Extra headers for this call. They replace the client's headers of the same name
   * (case-insensitive); `undefined` removes one.
   */
  headers?: Readonly<Record<string, string | undefined>> | undefined;
  /**
   * Time allowed for one attempt (connect, headers and body): seconds, or a string like
   * `"500ms"`, `"30s"`, `"2m"`. An attempt that times out is not retried.
   *
   * @defaultValue the client's `timeout` (30 s)
   */
  timeout?: Duration | undefined;
  /**
   * Deadline for the whole call, all attempts and backoff sleeps included.
   *
   * @defaultValue the client's `totalTimeout` (2 min)
   */
  totalTimeout?: Duration | undefined;
  /** Aborts the call, including a backoff sleep between retries; an aborted call is never retried. */
  signal?: AbortSignal | undefined;
  /**
   * Sent as `Idempotency-Key`. Makes POST and PATCH retryable (they are never retried
   * without one); use the same key for the same logical operation.
   */
  idempotencyKey?: string | undefined;
  /**
   * Retries after the first attempt, for this call.
   *
   * @defaultValue the client's `maxRetries` (2)
   */
  maxRetries?: number | undefined;
  /** `Org-Handle` for this call, instead of the client's. */
  orgHandle?: string | undefined;
  /** `Product-ID` for this call, instead of the client's. */
  productId?: string | undefined;
}
