import type { Duration, Logger, ScopeHeader } from "@unpod/core";
import type { QueryValue, RequestOptions } from "./options.js";

/** Retry tuning of {@link UnpodClient}. The rules themselves (what is retried) are fixed. */
export interface RetryOptions {
  /**
   * Backoff ceiling before the first retry; it doubles for each further retry, and the
   * actual wait is a uniform random fraction of it ("full jitter").
   *
   * @defaultValue 0.5 s
   */
  initialDelay?: Duration | undefined;
  /**
   * Largest backoff ceiling.
   *
   * @defaultValue 8 s
   */
  maxDelay?: Duration | undefined;
  /**
   * Longest `Retry-After` the client waits for. A server asking for longer ends the call
   * with its error (`retryAfter` set), so you can decide.
   *
   * @defaultValue 60 s
   */
  maxRetryAfter?: Duration | undefined;
}

/** Options of {@link UnpodClient}. Every field is optional. */
export interface UnpodClientOptions {
  /**
   * The API token, sent as `Authorization: Token …`. Keep it on your backend.
   *
   * @defaultValue `process.env.UNPOD_API_TOKEN`
   */
  apiToken?: string | undefined;
  /**
   * The organization's `domain_handle`, sent as `Org-Handle` (required by most endpoints;
   * `client.organizations.list()` finds it).
   *
   * @defaultValue `process.env.UNPOD_ORG_HANDLE`
   */
  orgHandle?: string | undefined;
  /**
   * Product identifier, sent as `Product-ID` (bridges and call logs need it).
   *
   * @defaultValue `process.env.UNPOD_PRODUCT_ID`
   */
  productId?: string | undefined;
  /**
   * Base URL of the REST API. Must be `https://`, except to a loopback host (the dev
   * server) or with `allowInsecure`.
   *
   * @defaultValue `process.env.UNPOD_BASE_URL`, else `https://unpod.ai/api/v2/platform/`
   */
  baseUrl?: string | undefined;
  /**
   * Time allowed for one attempt: seconds, or a string like `"500ms"`, `"30s"`, `"2m"`.
   * A timed-out attempt is not retried (it may have reached the server).
   *
   * @defaultValue 30 s
   */
  timeout?: Duration | undefined;
  /**
   * Deadline for a whole call, all attempts and backoff sleeps included.
   *
   * @defaultValue 2 min
   */
  totalTimeout?: Duration | undefined;
  /**
   * Largest response body accepted, in bytes (1 KiB … 1 GiB). A larger success is refused
   * with `response_too_large` as soon as `Content-Length` says so, or once that many bytes
   * have arrived, so memory stays bounded whatever the server sends.
   *
   * @defaultValue 32 MiB
   */
  maxResponseSize?: number | undefined;
  /**
   * Retries after the first attempt, 0–10. GET, HEAD, PUT and DELETE are retried on
   * network errors, 429 and 5xx; POST and PATCH only with an `idempotencyKey`.
   *
   * @defaultValue 2
   */
  maxRetries?: number | undefined;
  /** Backoff and `Retry-After` limits. */
  retry?: RetryOptions | undefined;
  /** Headers sent with every request (after the SDK's own; per-call headers win). */
  headers?: Readonly<Record<string, string>> | undefined;
  /**
   * A `fetch` implementation (e.g. undici's with a proxy agent).
   *
   * @defaultValue `globalThis.fetch`
   */
  fetch?: typeof fetch | undefined;
  /**
   * Receives redacted, structured log lines: `debug` for each request and response, `warn`
   * for each retry (`unpod.retry`) and for a `Retry-After` longer than the client waits
   * (`unpod.retry_after_too_long`). Nothing is logged without one.
   */
  logger?: Logger | undefined;
  /**
   * Allow a plain `http://` base URL to a host that is not loopback. The API token then
   * travels in clear text: only for trusted private networks. (The same name as
   * `UnpodSession`'s option for plain `ws://`.)
   *
   * @defaultValue false
   */
  allowInsecure?: boolean | undefined;
  /**
   * The former name of {@link UnpodClientOptions.allowInsecure}.
   *
   * @deprecated Use `allowInsecure`; this name goes in the next minor version.
   */
  allowInsecureHttp?: boolean | undefined;
  /**
   * Allow construction in a browser page. The API token would be visible to every user
   * of the page; only for local experiments.
   *
   * @defaultValue false
   */
  dangerouslyAllowBrowser?: boolean | undefined;
}

/** Options of {@link UnpodClient.request}: per-call options plus the request's parts. */
export interface ClientRequestOptions extends RequestOptions {
  /** Query parameters; `undefined` and `null` values are left out. */
  query?: Readonly<Record<string, QueryValue>> | undefined;
  /** JSON body (POST, PUT, PATCH; `{}` when omitted). */
  body?: unknown;
  /** Scope headers the endpoint needs; a missing one fails before anything is sent. */
  require?: readonly ScopeHeader[] | undefined;
}
