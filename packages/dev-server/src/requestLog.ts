// What `server.requests` records of each REST request: enough to count retries and see what
// the client sent, never a credential, a query string or a body.
import { REPLAYED_HEADER } from "./rest/idempotency.js";

/** A scope header a request may carry. */
export type ScopeHeaderName = "Org-Handle" | "Product-ID";

/**
 * One REST request, as `server.requests` records it. Never a credential's value (no
 * `Authorization`), a query string or a body.
 */
export interface DevServerRequest {
  /** HTTP method. */
  method: string;
  /** Path, without the query string. */
  path: string;
  /** Status answered; 0 when a fault dropped the connection. */
  status: number;
  /** The `X-Request-Id` the client sent, if any (its first 255 characters). */
  requestId: string | undefined;
  /** The `Idempotency-Key` the client sent, if any (its first 255 characters). */
  idempotencyKey: string | undefined;
  /** Which scope headers the request carried, in this order: `Org-Handle`, `Product-ID`. */
  scopeHeaders: ScopeHeaderName[];
  /** Whether the answer was replayed from the idempotency store (`Idempotent-Replayed: true`). */
  replayed: boolean;
}

const SCOPE_HEADERS: readonly ScopeHeaderName[] = ["Org-Handle", "Product-ID"];
const MAX_KEPT = 255;

const kept = (value: string | null): string | undefined =>
  value === null ? undefined : value.slice(0, MAX_KEPT);

/**
 * The record of one answered request.
 *
 * @param request - The request as it came in.
 * @param path - Its path (no query string).
 * @param status - The status answered (0 for a dropped connection).
 * @param answer - The answer sent, when there was one.
 */
export function requestRecord(
  request: Request,
  path: string,
  status: number,
  answer: Response | undefined,
): DevServerRequest {
  const { headers } = request;
  return {
    method: request.method,
    path,
    status,
    requestId: kept(headers.get("x-request-id")),
    idempotencyKey: kept(headers.get("idempotency-key")),
    scopeHeaders: SCOPE_HEADERS.filter((name) => headers.has(name)),
    replayed: status !== 0 && answer?.headers.get(REPLAYED_HEADER) === "true",
  };
}
