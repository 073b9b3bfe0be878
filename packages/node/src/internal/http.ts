// The REST transport: one place that builds headers, sends with ky, enforces timeouts and
// the total deadline, applies the retry policy, unwraps the envelope and maps errors.
//
// ky is configured as a thin fetch wrapper (retry: 0, timeout: false, throwHttpErrors:
// false, no hooks): its own retry and timeout machinery would duplicate ours, cost a
// timer, a Promise race and a Request clone per attempt, and throw its own error classes
// that we would then have to translate. Everything that decides something lives here.

import {
  buildHeaders,
  type Envelope,
  errorFromResponse,
  type HttpMethod,
  type ScopeHeader,
  UnpodApiError,
  UnpodArgumentError,
  UnpodConnectionError,
} from "@unpod/core";
import { isTimeoutError, type KyInstance } from "ky";
import type { LogFields, QueryValue, RequestOptions, UnpodLogger } from "../types/options.js";

export type { QueryValue };

import { checkHeader, durationMs, intOption } from "./httpConfig.js";
import { type RetryPolicy, retryDelay } from "./httpRetry.js";

/** Fully-defaulted transport settings (the API token is passed separately). */
export interface HttpConfig {
  baseUrl: string;
  orgHandle: string | undefined;
  productId: string | undefined;
  timeoutMs: number;
  totalTimeoutMs: number;
  retry: RetryPolicy;
  headers: Readonly<Record<string, string>>;
  logger: UnpodLogger | undefined;
  sdk: string;
}

/** One logical call. */
export interface CallSpec {
  method: HttpMethod;
  /** Relative to the base URL, already percent-encoded, no leading slash. */
  path: string;
  query?: Readonly<Record<string, QueryValue>> | undefined;
  body?: unknown;
  /** Scope headers the endpoint needs (from the reference table). */
  require?: readonly ScopeHeader[] | undefined;
  options?: RequestOptions | undefined;
}

/** Hooks to replace time and randomness (internal; tests and the bench use real ones). */
export interface HttpRuntime {
  now(): number;
  random(): number;
  randomUUID(): string;
}

const DEFAULT_RUNTIME: HttpRuntime = {
  now: () => Date.now(),
  random: () => Math.random(),
  randomUUID: () => globalThis.crypto.randomUUID(),
};

const MAX_TIMEOUT_MS = 10 * 60_000;
const MAX_TOTAL_TIMEOUT_MS = 60 * 60_000;

// Query parameters whose value is a credential: redacted in log lines and errors (the
// same names core's redaction knows).
const SECRET_PARAMS: ReadonlySet<string> = new Set([
  "access_token",
  "token",
  "api_token",
  "secret",
  "api_secret",
  "key",
]);

/** The query string for the wire, and the same with credential values redacted. */
function encodeQuery(query: Readonly<Record<string, QueryValue>> | undefined): [string, string] {
  if (query === undefined) return ["", ""];
  let out = "";
  let safe = "";
  for (const key in query) {
    const value = query[key];
    if (value === undefined || value === null) continue;
    const k = `${out === "" ? "?" : "&"}${encodeURIComponent(key)}=`;
    const v = encodeURIComponent(String(value));
    out += k + v;
    safe += k + (SECRET_PARAMS.has(key.toLowerCase()) ? "[redacted]" : v);
  }
  return [out, safe];
}

/** Why an attempt ended without an HTTP answer. */
type Interrupt = "timeout" | "aborted" | undefined;

/** Internal carrier from #attempt to #send; never escapes the transport. */
class AttemptFailure {
  constructor(
    readonly interrupt: Interrupt,
    readonly cause: unknown,
  ) {}
}

interface Answer {
  status: number;
  headers: Headers;
  text: string;
}

/** Internal: the result of a successful call. */
export interface CallResult {
  envelope: Envelope | undefined;
  status: number;
  requestId: string;
  /** The URL called, credentials redacted. */
  url: string;
}

/**
 * Sends requests for {@link UnpodClient}. The API token lives only in a private field and
 * in the `Authorization` header of outgoing requests.
 */
export class HttpTransport {
  readonly #token: string;
  readonly #ky: KyInstance;
  readonly #config: HttpConfig;
  readonly #rt: HttpRuntime;
  readonly #fetch: typeof fetch | undefined;

  constructor(
    token: string,
    config: HttpConfig,
    ky: KyInstance,
    fetchImpl: typeof fetch | undefined,
    runtime: HttpRuntime = DEFAULT_RUNTIME,
  ) {
    this.#token = token;
    this.#config = config;
    this.#ky = ky;
    this.#fetch = fetchImpl;
    this.#rt = runtime;
  }

  /** Public settings (no token), for `toJSON`/inspect of the client. */
  get config(): HttpConfig {
    return this.#config;
  }

  /** Sends one logical call (with retries) and returns the unwrapped envelope. */
  async send(spec: CallSpec): Promise<CallResult> {
    const cfg = this.#config;
    const opts = spec.options ?? {};
    const method = spec.method;
    const rt = this.#rt;
    const started = rt.now();

    const timeoutMs =
      opts.timeout === undefined
        ? cfg.timeoutMs
        : durationMs(opts.timeout, "timeout", 1, MAX_TIMEOUT_MS);
    const totalTimeoutMs =
      opts.totalTimeout === undefined
        ? cfg.totalTimeoutMs
        : durationMs(opts.totalTimeout, "totalTimeout", 1, MAX_TOTAL_TIMEOUT_MS);
    const policy =
      opts.maxRetries === undefined
        ? cfg.retry
        : { ...cfg.retry, maxRetries: intOption(opts.maxRetries, "maxRetries", 0, 10) };
    const deadline = started + totalTimeoutMs;

    const headers = this.#headers(spec, opts);
    const requestId = headers["x-request-id"] as string;
    const idempotencyKey = headers["idempotency-key"];
    const [query, safeQuery] = encodeQuery(spec.query);
    const url = cfg.baseUrl + spec.path + query;
    const safeUrl = query === safeQuery ? url : cfg.baseUrl + spec.path + safeQuery;
    const hasBody = method === "POST" || method === "PUT" || method === "PATCH";
    let body: string | undefined;
    if (hasBody) {
      try {
        body = JSON.stringify(spec.body ?? {});
      } catch (cause) {
        throw new UnpodArgumentError("body", "must be JSON-serialisable", "invalid_argument", {
          cause,
        });
      }
    }
    const signal = opts.signal ?? undefined;
    const log = cfg.logger;
    const request = { method, url: safeUrl, requestId };

    for (let retries = 0; ; retries++) {
      if (signal?.aborted) throw this.#aborted(method, safeUrl, signal);
      const remaining = deadline - rt.now();
      if (remaining <= 0) throw this.#timedOut("deadline", method, safeUrl, totalTimeoutMs);
      const attemptMs = Math.min(timeoutMs, remaining);
      const attemptStart = rt.now();
      if (log?.debug) {
        this.#log("debug", "unpod.request", {
          method,
          url: safeUrl,
          requestId,
          attempt: retries + 1,
        });
      }

      let answer: Answer;
      try {
        answer = await this.#attempt(url, method, headers, body, signal, attemptMs);
      } catch (failure) {
        if (!(failure instanceof AttemptFailure)) throw failure;
        const { interrupt, cause } = failure;
        if (interrupt === "aborted") throw this.#aborted(method, safeUrl, signal, cause);
        if (interrupt === "timeout") {
          // A timed-out attempt may have reached the server, and the caller's time is spent.
          const perAttempt = attemptMs === timeoutMs;
          throw this.#timedOut(
            perAttempt ? "timeout" : "deadline",
            method,
            safeUrl,
            perAttempt ? timeoutMs : totalTimeoutMs,
            cause,
          );
        }
        const error = new UnpodConnectionError(
          "network_error",
          `${method} ${safeUrl} failed before any answer: ${describe(cause)}`,
          { cause },
        );
        const decision = retryDelay({
          policy,
          method,
          idempotencyKey,
          retries,
          failure: { status: undefined, retryAfterMs: undefined },
          remainingMs: deadline - rt.now(),
          random: rt.random(),
        });
        if (!decision.retry) throw error;
        this.#log("warn", "unpod.retry", {
          method,
          url: safeUrl,
          requestId,
          attempt: retries + 1,
          code: error.code,
          delayMs: decision.delayMs,
        });
        await this.#sleep(decision.delayMs, signal, method, safeUrl);
        continue;
      }

      const { status } = answer;
      if (log?.debug) {
        this.#log("debug", "unpod.response", {
          method,
          url: safeUrl,
          requestId,
          attempt: retries + 1,
          status,
          ms: rt.now() - attemptStart,
        });
      }
      const checked = this.#check(answer, request);
      if (checked instanceof UnpodApiError) {
        const error = checked;
        const retryAfterMs = error.retryAfter === undefined ? undefined : error.retryAfter * 1000;
        const decision = retryDelay({
          policy,
          method,
          idempotencyKey,
          retries,
          failure: { status, retryAfterMs },
          remainingMs: deadline - rt.now(),
          random: rt.random(),
        });
        if (!decision.retry) {
          if (decision.reason === "retry_after_too_long") {
            this.#log("warn", "unpod.retry_after_too_long", {
              method,
              url: safeUrl,
              requestId,
              status,
              retryAfterMs,
              maxRetryAfterMs: policy.maxRetryAfterMs,
            });
          }
          throw error;
        }
        this.#log("warn", "unpod.retry", {
          method,
          url: safeUrl,
          requestId,
          attempt: retries + 1,
          status,
          code: error.code,
          delayMs: decision.delayMs,
        });
        await this.#sleep(decision.delayMs, signal, method, safeUrl);
        continue;
      }
      return { envelope: checked, status, requestId, url: safeUrl };
    }
  }

  /** Header object for a call: core's builder, then client and call headers (lower-cased). */
  #headers(spec: CallSpec, opts: RequestOptions): Record<string, string> {
    const cfg = this.#config;
    const built = buildHeaders({
      apiToken: this.#token,
      orgHandle: opts.orgHandle ?? cfg.orgHandle,
      productId: opts.productId ?? cfg.productId,
      method: spec.method,
      idempotencyKey: opts.idempotencyKey,
      require: spec.require,
      sdk: cfg.sdk,
    });
    const out: Record<string, string> = {};
    for (const key in built) out[key.toLowerCase()] = built[key] as string;
    for (const key in cfg.headers) out[key] = cfg.headers[key] as string;
    const extra = opts.headers;
    if (extra !== undefined) {
      for (const key in extra) {
        const value = extra[key];
        const lower = key.toLowerCase();
        if (value === undefined) {
          delete out[lower];
        } else {
          checkHeader(key, value, "headers");
          out[lower] = value;
        }
      }
    }
    if (out["x-request-id"] === undefined) out["x-request-id"] = this.#rt.randomUUID();
    return out;
  }

  /**
   * One HTTP exchange within `ms`; rejects with an AttemptFailure.
   *
   * ky is configured so that it costs as little as possible per call: its own `timeout`
   * (a timer on the AbortController ky creates anyway) bounds the wait for headers, and
   * its `fetch` option sends our prepared init with ky's signal. That spares a second
   * AbortController per attempt, `AbortSignal.any()` over two signals, and undici
   * re-reading a Request object (headers, body, signal) — together most of what a
   * request through ky cost on top of fetch here (`bench/client.mjs` measures it). The
   * body is then read under what is left of `ms`.
   */
  async #attempt(
    url: string,
    method: HttpMethod,
    headers: Record<string, string>,
    body: string | undefined,
    signal: AbortSignal | undefined,
    ms: number,
  ): Promise<Answer> {
    const started = this.#rt.now();
    const wire = this.#fetch ?? globalThis.fetch;
    let response: Response;
    try {
      response = await this.#ky(url, {
        method,
        timeout: ms,
        ...(signal === undefined ? {} : { signal }),
        // ky always hands its fetch a Request.
        fetch: (request) =>
          wire(url, {
            method,
            headers,
            body: body ?? null,
            redirect: "manual",
            signal: (request as Request).signal,
          }),
      });
    } catch (cause) {
      throw new AttemptFailure(
        signal?.aborted ? "aborted" : isTimeoutError(cause) ? "timeout" : undefined,
        cause,
      );
    }
    const text = await readText(response, ms - (this.#rt.now() - started), signal);
    return { status: response.status, headers: response.headers, text };
  }

  /** The error for an answer, or the parsed envelope for a success. */
  #check(
    answer: Answer,
    request: { method: string; url: string; requestId: string },
  ): UnpodApiError | Envelope | undefined {
    const { status, text } = answer;
    const info = () => ({ status, request, headers: answer.headers, now: this.#rt.now() });
    if (status < 200 || status >= 300 || status === 206) {
      return (
        errorFromResponse({ ...info(), body: text }) ??
        new UnpodApiError("http_error", `HTTP ${status}`, { status, request })
      );
    }
    if (status === 204 || text === "") return undefined;
    let parsed: Partial<Envelope> | null;
    try {
      parsed = JSON.parse(text);
    } catch (cause) {
      return new UnpodApiError("http_error", `HTTP ${status} with a body that is not JSON`, {
        status,
        request,
        body: text,
        cause,
      });
    }
    if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
      return new UnpodApiError("http_error", `HTTP ${status} without the platform's envelope`, {
        status,
        request,
        body: text,
      });
    }
    // The common case, decided here without building errorFromResponse's input: a 2xx
    // whose envelope reports success (core treats status_code < 300 the same way).
    const code = parsed.status_code;
    if (typeof code !== "number" || code < 300) return parsed as Envelope;
    return errorFromResponse({ ...info(), body: parsed }) ?? (parsed as Envelope);
  }

  /** Backoff sleep that ends at once when the caller aborts. */
  #sleep(ms: number, signal: AbortSignal | undefined, method: string, url: string): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) {
        reject(this.#aborted(method, url, signal));
        return;
      }
      const onAbort = (): void => {
        clearTimeout(timer);
        reject(this.#aborted(method, url, signal));
      };
      const timer = setTimeout(() => {
        signal?.removeEventListener("abort", onAbort);
        resolve();
      }, ms);
      signal?.addEventListener("abort", onAbort, { once: true });
    });
  }

  #aborted(
    method: string,
    url: string,
    signal: AbortSignal | undefined,
    cause?: unknown,
  ): UnpodConnectionError {
    const reason = signal?.reason ?? cause;
    return new UnpodConnectionError("aborted", `${method} ${url} was aborted by the caller`, {
      cause: reason,
    });
  }

  #timedOut(
    kind: "timeout" | "deadline",
    method: string,
    url: string,
    limitMs: number,
    cause?: unknown,
  ): UnpodConnectionError {
    const what = kind === "timeout" ? "timeout" : "total timeout";
    return new UnpodConnectionError(
      "timeout",
      `${method} ${url} exceeded its ${what} of ${limitMs} ms`,
      cause === undefined ? undefined : { cause },
    );
  }

  #log(level: keyof UnpodLogger, message: string, fields: LogFields): void {
    const fn = this.#config.logger?.[level];
    if (fn === undefined) return;
    try {
      fn.call(this.#config.logger, message, fields);
    } catch {
      // A broken logger must not break requests.
    }
  }
}

const ignore = (): void => {};

/** Reads a body as UTF-8 within `ms`, or until the caller aborts (cancelling the stream). */
async function readText(
  response: Response,
  ms: number,
  signal: AbortSignal | undefined,
): Promise<string> {
  const stream = response.body;
  if (stream === null) return "";
  const reader = stream.getReader();
  let interrupt: Interrupt;
  const stop = (why: Interrupt): void => {
    interrupt ??= why;
    reader.cancel().catch(ignore);
  };
  const timer = setTimeout(stop, Math.max(0, ms), "timeout");
  const onAbort = (): void => stop("aborted");
  signal?.addEventListener("abort", onAbort, { once: true });
  try {
    const decoder = new TextDecoder();
    let text = "";
    for (;;) {
      const { done, value } = await reader.read();
      if (interrupt !== undefined) throw new AttemptFailure(interrupt, undefined);
      if (done) return text + decoder.decode();
      text += decoder.decode(value, { stream: true });
    }
  } catch (cause) {
    if (cause instanceof AttemptFailure) throw cause;
    throw new AttemptFailure(interrupt ?? (signal?.aborted ? "aborted" : undefined), cause);
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener("abort", onAbort);
  }
}

function describe(cause: unknown): string {
  if (cause instanceof Error) {
    const inner = (cause as { cause?: unknown }).cause;
    const code = (inner as { code?: unknown } | undefined)?.code;
    return typeof code === "string" ? `${cause.message} (${code})` : cause.message;
  }
  return String(cause);
}
