import { UnpodArgumentError } from "./errors.js";
import { invalidArgument } from "./internal/argument.js";

/** Header names the platform reads, with the platform's own spelling. */
export const HEADERS = {
  /** `Authorization: Token <api token>`, on every call. */
  authorization: "Authorization",
  /** The organization's `domain_handle`, on organization-scoped endpoints. */
  orgHandle: "Org-Handle",
  /** The product identifier, on some endpoints (bridges, call logs). */
  productId: "Product-ID",
  /** `application/json` on POST, PUT and PATCH. */
  contentType: "Content-Type",
  /** A per-request id for logs and error reports. */
  requestId: "X-Request-Id",
  /** The SDK's name and version (browsers drop `User-Agent`), e.g. `node/0.1.0`. */
  sdk: "X-Unpod-SDK",
  /** Lets the server recognise a retried POST. */
  idempotencyKey: "Idempotency-Key",
} as const;

/** HTTP methods the SDK sends. */
export type HttpMethod = "GET" | "HEAD" | "POST" | "PUT" | "PATCH" | "DELETE";

/** Scoping headers an endpoint may require. */
export type ScopeHeader = "orgHandle" | "productId";

/** Input of {@link buildHeaders}. */
export interface BuildHeadersOptions {
  /** The API token (`Authorization: Token …`). */
  apiToken: string;
  /** Organization `domain_handle`, sent as `Org-Handle`. */
  orgHandle?: string | undefined;
  /** Product identifier, sent as `Product-ID`. */
  productId?: string | undefined;
  /** HTTP method; POST, PUT and PATCH get `Content-Type: application/json`. */
  method: HttpMethod;
  /** Sent as `X-Request-Id`. */
  requestId?: string | undefined;
  /** Sent as `Idempotency-Key`. */
  idempotencyKey?: string | undefined;
  /** Scoping headers this endpoint needs; a missing one throws before any request. */
  require?: readonly ScopeHeader[] | undefined;
  /** SDK identity for `X-Unpod-SDK`, e.g. `node/0.1.0`. */
  sdk?: string | undefined;
}

// Visible ASCII and inner spaces only: no CR/LF/NUL or other control characters that
// could split or inject a header, and no non-ASCII that fetch would reject.
const SAFE = /^[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?$/;
const TOKEN = /^[\x21-\x7e]+$/;
const METHODS = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"]);

function check(option: string, value: unknown, re: RegExp): string {
  if (typeof value !== "string" || value === "") {
    throw invalidArgument(option, "must be a non-empty string");
  }
  if (value.length > 4096 || !re.test(value)) {
    throw invalidArgument(
      option,
      "contains characters not allowed in an HTTP header (control characters, line breaks, non-ASCII or edge spaces)",
    );
  }
  return value;
}

/**
 * Builds the request headers for one call to the Unpod REST API and validates them, so a
 * missing or malformed header is caught before anything is sent (the platform's 400).
 *
 * @param options - Token, scope, method and request id.
 * @returns A plain header object, ready for `fetch`.
 * @throws {@link UnpodArgumentError} `invalid_argument` naming the option when a value is
 *   empty or would break a header; `missing_header` when a required scope header is absent.
 * @example
 * ```ts
 * import { buildHeaders } from "@unpod/core";
 * const headers = buildHeaders({
 *   apiToken: "0123456789abcdef0123456789abcdef01234567",
 *   orgHandle: "acme",
 *   method: "POST",
 *   require: ["orgHandle"],
 * });
 * headers["Org-Handle"]; // "acme"
 * ```
 */
export function buildHeaders(options: BuildHeadersOptions): Record<string, string> {
  const { method } = options;
  if (!METHODS.has(method)) {
    throw invalidArgument("method", `must be one of ${[...METHODS].join(", ")}`);
  }
  const h: Record<string, string> = {
    [HEADERS.authorization]: `Token ${check("apiToken", options.apiToken, TOKEN)}`,
    Accept: "application/json",
  };
  for (const name of options.require ?? []) {
    if (options[name] === undefined || options[name] === "") {
      throw new UnpodArgumentError(
        "missing_header",
        `this endpoint requires the ${HEADERS[name]} header; pass ${name}`,
        { option: name },
      );
    }
  }
  if (options.orgHandle !== undefined)
    h[HEADERS.orgHandle] = check("orgHandle", options.orgHandle, SAFE);
  if (options.productId !== undefined)
    h[HEADERS.productId] = check("productId", options.productId, SAFE);
  if (method === "POST" || method === "PUT" || method === "PATCH") {
    h[HEADERS.contentType] = "application/json";
  }
  if (options.requestId !== undefined)
    h[HEADERS.requestId] = check("requestId", options.requestId, SAFE);
  if (options.idempotencyKey !== undefined)
    h[HEADERS.idempotencyKey] = check("idempotencyKey", options.idempotencyKey, SAFE);
  if (options.sdk !== undefined) h[HEADERS.sdk] = check("sdk", options.sdk, SAFE);
  return h;
}
