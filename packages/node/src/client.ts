import {
  buildHeaders,
  type Duration,
  type HttpMethod,
  type ScopeHeader,
  UnpodArgumentError,
} from "@unpod/core";
import ky from "ky";
import { HttpTransport } from "./internal/http.js";
import { checkHeader, durationMs, intOption, normaliseBaseUrl } from "./internal/httpConfig.js";
import { paginate } from "./internal/httpPaging.js";
import { assertServerRuntime, readEnv } from "./internal/runtime.js";
import { PACKAGE_VERSION } from "./internal/version.js";
import type { PageParams, PagePromise } from "./page.js";
import { Agents } from "./resources/agents.js";
import { CallLogs } from "./resources/callLogs.js";
import { Organizations } from "./resources/organizations.js";
import { Runs } from "./resources/runs.js";
import { Sessions } from "./resources/sessions.js";
import { Spaces } from "./resources/spaces.js";
import { Tasks } from "./resources/tasks.js";
import { Telephony } from "./resources/telephony.js";
import type { QueryValue, RequestOptions, UnpodLogger } from "./types/options.js";

/** Where the platform's REST API lives. */
export const DEFAULT_BASE_URL = "https://unpod.ai/api/v2/platform/";

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
   * server) or with `allowInsecureHttp`.
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
  /** Receives redacted, structured log lines. Nothing is logged without one. */
  logger?: UnpodLogger | undefined;
  /**
   * Allow a plain `http://` base URL to a host that is not loopback. The API token then
   * travels in clear text: only for trusted private networks.
   *
   * @defaultValue false
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

const INSPECT = Symbol.for("nodejs.util.inspect.custom");
const METHODS: ReadonlySet<string> = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"]);

function relativePath(path: unknown): string {
  if (typeof path !== "string") throw new UnpodArgumentError("path", "must be a string");
  const p = path.replace(/^\/+/, "");
  if (/^[a-z][a-z0-9+.-]*:/i.test(p) || path.startsWith("//")) {
    throw new UnpodArgumentError(
      "path",
      "must be relative to baseUrl (the API token is only sent to baseUrl)",
    );
  }
  if (/[?#]/.test(p)) throw new UnpodArgumentError("path", "must not contain ? or #; use query");
  if (/(^|\/)\.\.?(\/|$)/.test(p))
    throw new UnpodArgumentError("path", "must not contain . or .. segments");
  return p;
}

/**
 * The Unpod REST API client. One instance per API token; it is cheap to keep and safe to
 * share. Every endpoint of the platform is a typed method on a resource; the platform's
 * envelope is unwrapped, every failure (HTTP 206 included) is a typed error, and safe
 * requests are retried with backoff.
 *
 * The API token is kept in a private field: it never appears in errors, log lines,
 * `JSON.stringify(client)` or `util.inspect(client)`.
 *
 * @example
 * ```ts
 * import { UnpodClient, isUnpodApiError } from "@unpod/node";
 *
 * // UNPOD_API_TOKEN, UNPOD_ORG_HANDLE, UNPOD_PRODUCT_ID and UNPOD_BASE_URL are read
 * // from the environment when not passed.
 * const client = new UnpodClient({ orgHandle: "acme" });
 *
 * const page = await client.spaces.list({ pageSize: 20 }); // one page
 * for await (const task of client.tasks.list(page.data[0]!.token)) { // every page
 *   console.log(task.task_id, task.status);
 * }
 * try {
 *   await client.spaces.retrieve("no-such-space");
 * } catch (error) {
 *   if (isUnpodApiError(error) && error.code === "not_found") console.log(error.requestId);
 * }
 * ```
 */
export class UnpodClient {
  /** Organizations of the API token's user. */
  readonly organizations: Organizations;
  /** Spaces of the organization. */
  readonly spaces: Spaces;
  /** Tasks of a space. */
  readonly tasks: Tasks;
  /** Runs (batches of tasks) of a space. */
  readonly runs: Runs;
  /** Published agents, their tasks and executions. */
  readonly agents: Agents;
  /** Numbers, bridges, providers and provider configurations. */
  readonly telephony: Telephony;
  /** Call logs. */
  readonly callLogs: CallLogs;
  /** Session tokens for a pipe's agent. */
  readonly sessions: Sessions;
  readonly #http: HttpTransport;

  /**
   * @param options - Token, scope, base URL, timeouts, retries, logger; all optional and
   *   read from the environment where noted.
   * @throws {@link UnpodArgumentError} naming the option: no API token (neither option nor
   *   `UNPOD_API_TOKEN`), a token or header with characters that cannot be sent, a
   *   non-HTTPS base URL, an out-of-range duration or retry count, or construction in a
   *   browser page without `dangerouslyAllowBrowser`.
   */
  constructor(options: UnpodClientOptions = {}) {
    if (options === null || typeof options !== "object") {
      throw new UnpodArgumentError("options", "must be an object");
    }
    assertServerRuntime("dangerouslyAllowBrowser", options.dangerouslyAllowBrowser, "UnpodClient");
    const apiToken = options.apiToken ?? readEnv("UNPOD_API_TOKEN");
    if (apiToken === undefined || apiToken === "") {
      throw new UnpodArgumentError(
        "apiToken",
        "is required: pass apiToken or set UNPOD_API_TOKEN (create one under API Keys in the Unpod dashboard)",
      );
    }
    const orgHandle = options.orgHandle ?? readEnv("UNPOD_ORG_HANDLE");
    const productId = options.productId ?? readEnv("UNPOD_PRODUCT_ID");
    const sdk = `node/${PACKAGE_VERSION}`;
    // Validates the token and the scope values once, so a bad one fails here, not per call.
    buildHeaders({ apiToken, orgHandle, productId, method: "GET", sdk });

    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(options.headers ?? {})) {
      checkHeader(name, value, "headers");
      headers[name.toLowerCase()] = value;
    }
    if (options.fetch !== undefined && typeof options.fetch !== "function") {
      throw new UnpodArgumentError("fetch", "must be a fetch-compatible function");
    }
    const logger = options.logger;
    if (logger !== undefined && (logger === null || typeof logger !== "object")) {
      throw new UnpodArgumentError(
        "logger",
        "must be an object with debug/info/warn/error methods",
      );
    }
    const retry = options.retry ?? {};
    const baseDelayMs =
      retry.initialDelay === undefined
        ? 500
        : durationMs(retry.initialDelay, "retry.initialDelay", 0, 60_000);
    const maxDelayMs =
      retry.maxDelay === undefined
        ? Math.max(8_000, baseDelayMs)
        : durationMs(retry.maxDelay, "retry.maxDelay", 0, 10 * 60_000);
    const timeoutMs =
      options.timeout === undefined ? 30_000 : durationMs(options.timeout, "timeout", 1, 600_000);
    const totalTimeoutMs =
      options.totalTimeout === undefined
        ? Math.max(120_000, timeoutMs)
        : durationMs(options.totalTimeout, "totalTimeout", 1, 3_600_000);

    this.#http = new HttpTransport(
      apiToken,
      {
        baseUrl: normaliseBaseUrl(
          options.baseUrl ?? readEnv("UNPOD_BASE_URL") ?? DEFAULT_BASE_URL,
          options.allowInsecureHttp === true,
        ),
        orgHandle,
        productId,
        timeoutMs,
        totalTimeoutMs,
        retry: {
          maxRetries:
            options.maxRetries === undefined
              ? 2
              : intOption(options.maxRetries, "maxRetries", 0, 10),
          baseDelayMs,
          maxDelayMs,
          maxRetryAfterMs:
            retry.maxRetryAfter === undefined
              ? 60_000
              : durationMs(retry.maxRetryAfter, "retry.maxRetryAfter", 0, 3_600_000),
        },
        headers,
        logger,
        sdk,
      },
      // ky as a thin fetch wrapper: our transport owns retries, timeouts and errors.
      ky.create({ retry: 0, timeout: false, throwHttpErrors: false }),
      options.fetch,
    );
    this.organizations = new Organizations(this.#http);
    this.spaces = new Spaces(this.#http);
    this.tasks = new Tasks(this.#http);
    this.runs = new Runs(this.#http);
    this.agents = new Agents(this.#http);
    this.telephony = new Telephony(this.#http);
    this.callLogs = new CallLogs(this.#http);
    this.sessions = new Sessions(this.#http);
  }

  /** The base URL requests go to (always ends with `/`). */
  get baseUrl(): string {
    return this.#http.config.baseUrl;
  }

  /** The `Org-Handle` sent by default, if any. */
  get orgHandle(): string | undefined {
    return this.#http.config.orgHandle;
  }

  /** The `Product-ID` sent by default, if any. */
  get productId(): string | undefined {
    return this.#http.config.productId;
  }

  /**
   * Calls any endpoint — the escape hatch for what is not wrapped yet. Same headers,
   * retries, timeouts and errors as the typed methods; resolves to the envelope's `data`.
   *
   * @typeParam T - The type of the envelope's `data`.
   * @param method - HTTP method (either case).
   * @param path - Path relative to the base URL, e.g. `spaces/abc/` (keep the trailing slash).
   * @param options - Query, body, required scope headers and per-call options.
   * @returns The envelope's `data` (`undefined` for 204).
   * @throws {@link UnpodApiError} for every non-success, including HTTP 206.
   * @throws {@link UnpodConnectionError} `network_error`, `timeout` or `aborted`.
   * @throws {@link UnpodArgumentError} for a bad path or method, or a missing required header.
   * @example
   * ```ts
   * import { UnpodClient } from "@unpod/node";
   * const client = new UnpodClient({ orgHandle: "acme" });
   * const space = await client.request<{ name: string }>("GET", "spaces/abc/", {
   *   require: ["orgHandle"],
   *   timeout: "5s",
   * });
   * ```
   */
  async request<T = unknown>(
    method: HttpMethod | Lowercase<HttpMethod>,
    path: string,
    options: ClientRequestOptions = {},
  ): Promise<T> {
    const m = typeof method === "string" ? method.toUpperCase() : "";
    if (!METHODS.has(m)) {
      throw new UnpodArgumentError("method", `must be one of ${[...METHODS].join(", ")}`);
    }
    const { envelope } = await this.#http.send({
      method: m as HttpMethod,
      path: relativePath(path),
      query: options.query,
      body: options.body,
      require: options.require,
      options,
    });
    return envelope?.data as T;
  }

  /**
   * Lists any paged endpoint — the escape hatch for lists not wrapped yet. Works like the
   * typed `list()` methods: await it for one page, `for await` it for every item.
   *
   * @typeParam T - The type of one item.
   * @param path - Path relative to the base URL, e.g. `spaces/abc/tasks/`.
   * @param params - Paging.
   * @param options - Extra query parameters, required scope headers and per-call options.
   * @returns A page of items.
   * @throws The same errors as {@link UnpodClient.request}.
   */
  requestPage<T = unknown>(
    path: string,
    params?: PageParams,
    options: Omit<ClientRequestOptions, "body"> = {},
  ): PagePromise<T> {
    return paginate<T>(
      this.#http,
      () => ({ path: relativePath(path), require: options.require, filters: options.query }),
      params,
      options,
    );
  }

  /**
   * A credential-free description, for logs and `JSON.stringify`.
   *
   * @returns Base URL, scope, limits, and `apiToken: "[redacted]"`.
   */
  toJSON(): Record<string, unknown> {
    const c = this.#http.config;
    return {
      baseUrl: c.baseUrl,
      orgHandle: c.orgHandle,
      productId: c.productId,
      timeoutMs: c.timeoutMs,
      totalTimeoutMs: c.totalTimeoutMs,
      maxRetries: c.retry.maxRetries,
      headers: Object.keys(c.headers),
      apiToken: "[redacted]",
    };
  }

  /**
   * What `util.inspect` and `console.log` show: {@link UnpodClient.toJSON}.
   *
   * @param _depth - Remaining depth (from `util.inspect`).
   * @param options - Inspect options (from `util.inspect`).
   * @param inspect - Node's `util.inspect` (passed by it, so this file needs no `node:util`).
   * @returns A credential-free description.
   */
  [INSPECT](
    _depth: number,
    options: object,
    inspect?: (value: unknown, options: object) => string,
  ): string {
    const shown = inspect ? inspect(this.toJSON(), options) : JSON.stringify(this.toJSON());
    return `UnpodClient ${shown}`;
  }
}
