import { buildHeaders, type HttpMethod, UnpodArgumentError } from "@unpod/core";
import { durationMs, invalidArgument, readEnv } from "@unpod/core/internal";
import type { ApiPromise } from "./apiPromise.js";
import { HttpTransport, MAX_TIMEOUT_MS, MAX_TOTAL_TIMEOUT_MS } from "./internal/http.js";
import { DEFAULT_MAX_RESPONSE_SIZE } from "./internal/httpBody.js";
import {
  checkHeader,
  maxResponseSizeOption,
  maxRetriesOption,
  normaliseBaseUrl,
  requestPath,
} from "./internal/httpConfig.js";
import { paginate } from "./internal/httpPaging.js";
import { apiCall } from "./internal/httpResource.js";
import { assertServerRuntime } from "./internal/runtime.js";
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
import type { ClientRequestOptions, UnpodClientOptions } from "./types/clientOptions.js";

/**
 * `allowInsecure`, or its deprecated spelling `allowInsecureHttp` (the new name wins when
 * both are given).
 */
function insecureOption(options: UnpodClientOptions): boolean {
  const name = options.allowInsecure === undefined ? "allowInsecureHttp" : "allowInsecure";
  const value = options.allowInsecure ?? options.allowInsecureHttp ?? false;
  if (typeof value !== "boolean") throw invalidArgument(name, "must be a boolean");
  return value;
}

/** Where the platform's REST API lives. */
export const DEFAULT_BASE_URL = "https://unpod.ai/api/v2/platform/";

const INSPECT = Symbol.for("nodejs.util.inspect.custom");
const METHODS: ReadonlySet<string> = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"]);

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
      throw invalidArgument("options", "must be an object");
    }
    assertServerRuntime("dangerouslyAllowBrowser", options.dangerouslyAllowBrowser, "UnpodClient");
    const apiToken = options.apiToken ?? readEnv("UNPOD_API_TOKEN");
    if (apiToken === undefined || apiToken === "") {
      throw invalidArgument(
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
      throw invalidArgument("fetch", "must be a fetch-compatible function");
    }
    const logger = options.logger;
    if (logger !== undefined && (logger === null || typeof logger !== "object")) {
      throw invalidArgument("logger", "must be an object with debug/info/warn/error methods");
    }
    const retry = options.retry ?? {};
    const baseDelayMs =
      retry.initialDelay === undefined
        ? 500
        : durationMs(retry.initialDelay, { option: "retry.initialDelay", min: 0, max: 60_000 });
    const maxDelayMs =
      retry.maxDelay === undefined
        ? Math.max(8_000, baseDelayMs)
        : durationMs(retry.maxDelay, { option: "retry.maxDelay", min: 0, max: 10 * 60_000 });
    const timeoutMs =
      options.timeout === undefined
        ? 30_000
        : durationMs(options.timeout, { option: "timeout", min: 1, max: MAX_TIMEOUT_MS });
    const totalTimeoutMs =
      options.totalTimeout === undefined
        ? Math.max(120_000, timeoutMs)
        : durationMs(options.totalTimeout, {
            option: "totalTimeout",
            min: 1,
            max: MAX_TOTAL_TIMEOUT_MS,
          });

    this.#http = new HttpTransport(
      apiToken,
      {
        baseUrl: normaliseBaseUrl(
          options.baseUrl ?? readEnv("UNPOD_BASE_URL") ?? DEFAULT_BASE_URL,
          insecureOption(options),
        ),
        orgHandle,
        productId,
        timeoutMs,
        totalTimeoutMs,
        maxResponseSize: maxResponseSizeOption(options.maxResponseSize, DEFAULT_MAX_RESPONSE_SIZE),
        retry: {
          maxRetries: maxRetriesOption(options.maxRetries, 2),
          baseDelayMs,
          maxDelayMs,
          maxRetryAfterMs:
            retry.maxRetryAfter === undefined
              ? 60_000
              : durationMs(retry.maxRetryAfter, {
                  option: "retry.maxRetryAfter",
                  min: 0,
                  max: 3_600_000,
                }),
        },
        headers,
        logger,
        sdk,
      },
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
   * @returns The envelope's `data` (`undefined` for 204); `withResponse()` adds the
   *   request id, status and headers.
   * @throws {@link UnpodApiError} for every non-success, including HTTP 206, and
   *   `response_too_large` for a body over `maxResponseSize`.
   * @throws {@link UnpodConnectionError} `network_error`, `timeout` or `aborted`.
   * @throws {@link UnpodArgumentError} for a bad method, a missing required header, or a
   *   path that is not under the base URL (a scheme or host, `?`/`#`, a backslash, or a `.`
   *   or `..` segment in any encoding, such as `%2e%2e/`).
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
  request<T = unknown>(
    method: HttpMethod | Lowercase<HttpMethod>,
    path: string,
    options: ClientRequestOptions = {},
  ): ApiPromise<T> {
    return apiCall<T>(this.#http, () => {
      const m = typeof method === "string" ? method.toUpperCase() : "";
      if (!METHODS.has(m)) {
        throw invalidArgument("method", `must be one of ${[...METHODS].join(", ")}`);
      }
      return {
        method: m as HttpMethod,
        path: requestPath(path, this.#http.config.baseUrl),
        query: options.query,
        body: options.body,
        require: options.require,
        options,
      };
    });
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
      () => ({
        path: requestPath(path, this.#http.config.baseUrl),
        require: options.require,
        filters: options.query,
      }),
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
      maxResponseSize: c.maxResponseSize,
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
