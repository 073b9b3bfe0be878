// The REST transport: builds headers, sends with ky, maps every outcome to a typed result
// or error. Slightly over 400 lines: one send path, read top to bottom; the call record,
// answer mapping, retries and body reads are split out beside it. ky sends, times each
// attempt, throws on the statuses worth retrying and runs the retry policy
// (internal/httpRetry.ts says which parts are ky's and which are ours).
//
// Kept by hand, because ky cannot do them:
// - the total deadline across attempts and backoff sleeps (`totalTimeout`): no sleep is
//   started that would end after it (internal/httpRetry.ts), and an attempt the deadline
//   falls into is cut there (`#exchange`); ky only knows a per-attempt timeout;
// - reading the body within a size limit (internal/httpBody.ts), inside the attempt ky
//   times and retries, through ky's `fetch` option: the attempt timeout then covers the
//   body too, and a connection that fails mid-body is retried like any network error
//   (that `fetch` sends the call's URL and init with ky's signal: see `#exchange`);
// - the platform's envelope and our error types (a 2xx can be a failure, 206 always is).
// The caller's signal goes to ky as it is: ky ends the attempt and the backoff sleep with
// it. Nothing else costs a timer or a signal per call.

import {
  buildHeaders,
  type HttpMethod,
  type LogFields,
  type Logger,
  type ScopeHeader,
} from "@unpod/core";
import { durationMs, invalidArgument, parseRetryAfter } from "@unpod/core/internal";
import ky, { isHTTPError, isTimeoutError, type Options } from "ky";
import type { QueryValue, RequestOptions } from "../types/options.js";
import { abortedError, answerError, failureOf, resultOf } from "./httpAnswer.js";
import { BodyTooLarge, readBody } from "./httpBody.js";
import { type Call, type CallResult, DeadlinePassed, encodeQuery, type Wire } from "./httpCall.js";
import { checkHeader, maxResponseSizeOption, maxRetriesOption } from "./httpConfig.js";
import {
  backoffCeilingMs,
  isRetryableStatus,
  jitterFrom,
  planRetry,
  RETRY_AFTER_STATUSES,
  RETRY_STATUSES,
  type RetryPolicy,
  retryMethods,
} from "./httpRetry.js";

export type { CallResult, QueryValue };

/** Fully-defaulted transport settings (the API token is passed separately). */
export interface HttpConfig {
  baseUrl: string;
  orgHandle: string | undefined;
  productId: string | undefined;
  timeoutMs: number;
  totalTimeoutMs: number;
  maxResponseSize: number;
  retry: RetryPolicy;
  headers: Readonly<Record<string, string>>;
  logger: Logger | undefined;
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

/** Longest `timeout`: 10 minutes. */
export const MAX_TIMEOUT_MS = 10 * 60_000;
/** Longest `totalTimeout`: 1 hour. */
export const MAX_TOTAL_TIMEOUT_MS = 60 * 60_000;

/**
 * Sends requests for {@link UnpodClient}. The API token lives only in a private field and
 * in the `Authorization` header of outgoing requests.
 */
export class HttpTransport {
  readonly #token: string;
  readonly #config: HttpConfig;
  readonly #rt: HttpRuntime;
  readonly #fetch: typeof fetch | undefined;
  /** The client's headers by method, for calls that change none of them. */
  readonly #baseHeaders = new Map<HttpMethod, Readonly<Record<string, string>>>();
  /** What no error's cause may show, for calls without credentials in the query. */
  readonly #tokenOnly: readonly string[];

  constructor(
    token: string,
    config: HttpConfig,
    fetchImpl: typeof fetch | undefined,
    runtime: HttpRuntime = DEFAULT_RUNTIME,
  ) {
    this.#token = token;
    this.#tokenOnly = [token];
    this.#config = config;
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
    const headers = this.#headers(spec, opts);
    const [query, safeQuery, secrets] = encodeQuery(spec.query);
    const url = cfg.baseUrl + spec.path + query;
    let body: string | null = null;
    if (spec.method === "POST" || spec.method === "PUT" || spec.method === "PATCH") {
      try {
        body = JSON.stringify(spec.body ?? {});
      } catch (cause) {
        throw invalidArgument("body", "must be JSON-serialisable", {
          cause,
        });
      }
    }
    const init: Wire["init"] = { method: spec.method, headers, body, redirect: "manual" };
    const safeUrl = cfg.baseUrl + spec.path + safeQuery;
    const call = this.#call(spec, opts, { url, init }, safeUrl, secrets);
    if (call.userSignal?.aborted) throw abortedError(call);
    let response: Response;
    try {
      response = await ky(url, this.#kyOptions(call, opts.idempotencyKey));
    } catch (error) {
      // ky throws the retryable statuses once it has stopped retrying them.
      if (!isHTTPError(error)) throw failureOf(call, error, this.#rt.now());
      response = error.response;
    }
    this.#logAnswer(call, response.status);
    return resultOf(call, response, this.#rt.now());
  }

  /**
   * One exchange, as ky's `fetch`: sends, then reads the body within its limits. It sends
   * the call's URL and init (headers, body, `redirect: "manual"`) with the signal of ky's
   * Request (ky's timeout and the caller's abort): nothing copies the headers and body
   * into ky's Request and back out of it again — most of what ky would cost on top of
   * fetch. When the total deadline comes before ky's attempt timeout would, the exchange
   * is cut there.
   */
  async #exchange(call: Call, request: Request): Promise<Response> {
    const wire = this.#fetch ?? globalThis.fetch;
    const remainingMs = call.deadline - this.#rt.now();
    if (remainingMs > call.timeoutMs) {
      const { signal } = request;
      const response = await wire(call.wire.url, { ...call.wire.init, signal });
      call.body = await readBody(response, call.maxResponseSize, signal);
      return response;
    }
    if (remainingMs <= 0) throw new DeadlinePassed();
    const cut = new AbortController();
    const timer = setTimeout(() => cut.abort(new DeadlinePassed()), remainingMs);
    const signal = AbortSignal.any([request.signal, cut.signal]);
    try {
      const response = await wire(call.wire.url, { ...call.wire.init, signal });
      call.body = await readBody(response, call.maxResponseSize, signal);
      return response;
    } finally {
      clearTimeout(timer);
    }
  }

  /** The per-call settings: the client's, overridden by the call's options. */
  #call(
    spec: CallSpec,
    opts: RequestOptions,
    wire: Wire,
    safeUrl: string,
    secrets: string[],
  ): Call {
    const cfg = this.#config;
    const totalTimeoutMs =
      opts.totalTimeout === undefined
        ? cfg.totalTimeoutMs
        : durationMs(opts.totalTimeout, {
            option: "totalTimeout",
            min: 1,
            max: MAX_TOTAL_TIMEOUT_MS,
          });
    return {
      method: spec.method,
      url: safeUrl,
      requestId: wire.init.headers["x-request-id"] as string,
      timeoutMs:
        opts.timeout === undefined
          ? cfg.timeoutMs
          : durationMs(opts.timeout, { option: "timeout", min: 1, max: MAX_TIMEOUT_MS }),
      totalTimeoutMs,
      maxResponseSize: maxResponseSizeOption(opts.maxResponseSize, cfg.maxResponseSize),
      policy:
        opts.maxRetries === undefined
          ? cfg.retry // the client's own object: no copy per call
          : { ...cfg.retry, maxRetries: maxRetriesOption(opts.maxRetries, cfg.retry.maxRetries) },
      deadline: this.#rt.now() + totalTimeoutMs,
      userSignal: opts.signal ?? undefined,
      secrets: secrets.length === 0 ? this.#tokenOnly : [this.#token, ...secrets],
      wire,
      draw: 0,
      body: "",
      attempt: 1,
      attemptStart: this.#rt.now(),
      logged: 0,
    };
  }

  /** ky's options for one call: the retry policy, the bounded body read, the debug log. */
  #kyOptions(call: Call, idempotencyKey: string | undefined): Options {
    const { policy } = call;
    // ky's Request carries what ky reads (method, URL, signal); the headers and the body
    // travel in the init each exchange sends (`#exchange`), so ky need not copy them.
    const options: Options = {
      method: call.method,
      timeout: call.timeoutMs,
      throwHttpErrors: isRetryableStatus,
      // ky's types ask for mutable arrays; it only reads them, so the shared ones are passed.
      retry: {
        limit: policy.maxRetries,
        methods: retryMethods(idempotencyKey) as string[],
        statusCodes: RETRY_STATUSES as number[],
        afterStatusCodes: RETRY_AFTER_STATUSES as number[],
        maxRetryAfter: policy.maxRetryAfterMs,
        backoffLimit: policy.maxDelayMs,
        delay: (retryCount) => backoffCeilingMs(policy, retryCount),
        jitter: (ceilingMs) => jitterFrom(call.draw, ceilingMs),
        retryOnTimeout: false,
        shouldRetry: ({ error, retryCount }) => this.#shouldRetry(call, error, retryCount),
      },
      // The body is read here, within its limits, inside the attempt ky times and retries.
      fetch: (request) => this.#exchange(call, request as Request),
    };
    if (call.userSignal !== undefined) options.signal = call.userSignal;
    if (this.#config.logger?.debug !== undefined) {
      options.hooks = {
        beforeRequest: [
          (_request, _options, { retryCount }) => {
            call.attempt = retryCount + 1;
            call.attemptStart = this.#rt.now();
            this.#log("debug", "unpod.request", {
              method: call.method,
              url: call.url,
              requestId: call.requestId,
              attempt: call.attempt,
            });
          },
        ],
      };
    }
    return options;
  }

  /**
   * ky's `shouldRetry`: `false` vetoes a retry, `undefined` leaves the decision to ky's
   * own rules. Called only for a method ky may retry and while retries are left.
   */
  #shouldRetry(call: Call, error: Error, retryCount: number): boolean | undefined {
    // The caller's abort and the deadline end the call (ky would retry them as network errors).
    if (call.userSignal?.aborted || error instanceof DeadlinePassed) return false;
    if (error instanceof BodyTooLarge) return false;
    // ky does not retry a timed-out attempt (retryOnTimeout: false): it may have reached the server.
    if (isTimeoutError(error)) return undefined;
    const answer = isHTTPError(error) ? error.response : undefined;
    if (answer !== undefined) this.#logAnswer(call, answer.status);
    const retryAfter =
      answer !== undefined && RETRY_AFTER_STATUSES.includes(answer.status)
        ? parseRetryAfter(answer.headers.get("retry-after"), this.#rt.now())
        : undefined;
    call.draw = this.#rt.random();
    const plan = planRetry({
      policy: call.policy,
      retryCount,
      retryAfterMs: retryAfter === undefined ? undefined : retryAfter * 1000,
      remainingMs: call.deadline - this.#rt.now(),
      random: call.draw,
    });
    if (!plan.retry) {
      if (plan.reason === "retry_after_too_long") {
        this.#log("warn", "unpod.retry_after_too_long", {
          method: call.method,
          url: call.url,
          requestId: call.requestId,
          status: answer?.status,
          retryAfterMs: (retryAfter as number) * 1000,
          maxRetryAfterMs: call.policy.maxRetryAfterMs,
        });
      }
      return false;
    }
    this.#log("warn", "unpod.retry", {
      method: call.method,
      url: call.url,
      requestId: call.requestId,
      attempt: retryCount,
      status: answer?.status,
      code: answer === undefined ? "network_error" : answerError(call, answer, this.#rt.now()).code,
      delayMs: plan.delayMs,
    });
    return undefined;
  }

  /**
   * Header object for a call: core's builder, then client and call headers (lower-cased).
   * A call that changes none of them and has its required scope headers gets a copy of the
   * client's headers for its method, built and checked once.
   */
  #headers(spec: CallSpec, opts: RequestOptions): Record<string, string> {
    const cfg = this.#config;
    const plain =
      opts.orgHandle === undefined &&
      opts.productId === undefined &&
      opts.idempotencyKey === undefined &&
      opts.headers === undefined &&
      (spec.require ?? []).every((name) => cfg[name] !== undefined && cfg[name] !== "");
    if (plain) {
      let base = this.#baseHeaders.get(spec.method);
      if (base === undefined) {
        base = this.#headersFor(spec.method, {}, undefined);
        this.#baseHeaders.set(spec.method, base);
      }
      return { ...base, "x-request-id": this.#rt.randomUUID() };
    }
    const out = this.#headersFor(spec.method, opts, spec.require);
    if (out["x-request-id"] === undefined) out["x-request-id"] = this.#rt.randomUUID();
    return out;
  }

  /** Builds and checks the headers: core's builder, then the client's, then the call's. */
  #headersFor(
    method: HttpMethod,
    opts: RequestOptions,
    require: CallSpec["require"],
  ): Record<string, string> {
    const cfg = this.#config;
    const built = buildHeaders({
      apiToken: this.#token,
      orgHandle: opts.orgHandle ?? cfg.orgHandle,
      productId: opts.productId ?? cfg.productId,
      method,
      idempotencyKey: opts.idempotencyKey,
      require,
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
    return out;
  }

  /** The `unpod.response` debug line, once per attempt. */
  #logAnswer(call: Call, status: number): void {
    if (this.#config.logger?.debug === undefined || call.logged === call.attempt) return;
    call.logged = call.attempt;
    this.#log("debug", "unpod.response", {
      method: call.method,
      url: call.url,
      requestId: call.requestId,
      attempt: call.attempt,
      status,
      ms: this.#rt.now() - call.attemptStart,
    });
  }

  #log(level: keyof Logger, message: string, fields: LogFields): void {
    const logger = this.#config.logger;
    const fn = logger?.[level];
    if (fn === undefined) return;
    try {
      fn.call(logger, message, fields);
    } catch {
      // A broken logger must not break requests.
    }
  }
}
