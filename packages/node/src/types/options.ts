import type { Duration } from "@unpod/core";

/** A query parameter's value; `undefined` and `null` are left out of the URL. */
export type QueryValue = string | number | boolean | undefined | null;

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
   * Largest response body accepted for this call, in bytes (1 KiB … 1 GiB).
   *
   * @defaultValue the client's `maxResponseSize` (32 MiB)
   */
  maxResponseSize?: number | undefined;
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
