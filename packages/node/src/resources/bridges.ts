import type { ApiPromise } from "../apiPromise.js";
import type { HttpTransport } from "../internal/http.js";
import { paginate } from "../internal/httpPaging.js";
import { apiCall, segment } from "../internal/httpResource.js";
import type { PageParams, PagePromise } from "../page.js";
import type { RequestOptions } from "../types/options.js";
import type {
  Bridge,
  BridgeNumber,
  BridgeSummary,
  ConnectProviderParams,
  CreateBridgeParams,
  DisconnectProviderParams,
  PhoneNumber,
  UpdateBridgeParams,
} from "../types/telephony.js";

/**
 * `client.telephony.bridges`: bridges route calls between provider numbers and agents.
 * Every call needs `orgHandle`; listing and creating also need `productId`.
 */
export class Bridges {
  readonly #http: HttpTransport;

  /** @internal */
  constructor(http: HttpTransport) {
    this.#http = http;
  }

  /**
   * Lists bridges (`GET telephony/bridges/`).
   *
   * @param params - Paging.
   * @param options - Per-call options.
   * @returns A page of bridge summaries; `for await` over it to walk every page.
   * @throws {@link UnpodArgumentError} `missing_header` when `orgHandle` or `productId` is not set.
   */
  list(params?: PageParams, options?: RequestOptions): PagePromise<BridgeSummary> {
    return paginate(
      this.#http,
      () => ({ path: "telephony/bridges/", require: ["orgHandle", "productId"] }),
      params,
      options,
    );
  }

  /**
   * Creates a bridge (`POST telephony/bridges/`, HTTP 201). Not retried without `idempotencyKey`.
   *
   * @param body - Name, description and region.
   * @param options - Per-call options.
   * @returns The new bridge.
   * @throws {@link UnpodArgumentError} `missing_header` when `orgHandle` or `productId` is not set.
   * @throws {@link UnpodApiError} `business_error` (206) when the server refuses it.
   * @example
   * ```ts
   * import { UnpodClient } from "@unpod/node";
   * const client = new UnpodClient({ orgHandle: "acme", productId: "voice" });
   * const bridge = await client.telephony.bridges.create({ name: "Support line", region: "US" });
   * await client.telephony.bridges.update(bridge.slug, { name: "Support" });
   * ```
   */
  create(body: CreateBridgeParams, options?: RequestOptions): ApiPromise<Bridge> {
    return apiCall<Bridge>(this.#http, () => ({
      method: "POST",
      path: "telephony/bridges/",
      body,
      require: ["orgHandle", "productId"],
      options,
    }));
  }

  /**
   * Gets one bridge (`GET telephony/bridges/{slug}/`).
   *
   * @param slug - The bridge's `slug`.
   * @param options - Per-call options.
   * @returns The bridge.
   * @throws {@link UnpodApiError} `not_found` for an unknown slug.
   */
  retrieve(slug: string, options?: RequestOptions): ApiPromise<Bridge> {
    return apiCall<Bridge>(this.#http, () => ({
      method: "GET",
      path: `telephony/bridges/${segment(slug, "slug")}/`,
      require: ["orgHandle"],
      options,
    }));
  }

  /**
   * Changes a bridge (`PATCH telephony/bridges/{slug}/`). Not retried without `idempotencyKey`.
   *
   * @param slug - The bridge's `slug`.
   * @param body - Fields to change.
   * @param options - Per-call options.
   * @returns The updated bridge.
   * @throws {@link UnpodApiError} `not_found` for an unknown slug.
   */
  update(slug: string, body: UpdateBridgeParams, options?: RequestOptions): ApiPromise<Bridge> {
    return apiCall<Bridge>(this.#http, () => ({
      method: "PATCH",
      path: `telephony/bridges/${segment(slug, "slug")}/`,
      body,
      require: ["orgHandle"],
      options,
    }));
  }

  /**
   * Deletes a bridge (`DELETE telephony/bridges/{slug}/`, HTTP 204).
   *
   * @param slug - The bridge's `slug`.
   * @param options - Per-call options.
   * @returns Nothing, once deleted.
   * @throws {@link UnpodApiError} `not_found` for an unknown slug.
   */
  delete(slug: string, options?: RequestOptions): ApiPromise<void> {
    return apiCall<void>(this.#http, () => ({
      method: "DELETE",
      path: `telephony/bridges/${segment(slug, "slug")}/`,
      require: ["orgHandle"],
      options,
    }));
  }

  /**
   * Routes one of the bridge's numbers through a provider configuration
   * (`POST telephony/bridges/{slug}/connect-provider/`, HTTP 201).
   *
   * @param slug - The bridge's `slug`.
   * @param body - The number (already on the bridge) and the provider configuration.
   * @param options - Per-call options.
   * @returns The bridge's number with its provider.
   * @throws {@link UnpodApiError} `business_error` (206) when the number is not assigned or
   *   the configuration does not exist; `bad_request` when a field is missing.
   */
  connectProvider(
    slug: string,
    body: ConnectProviderParams,
    options?: RequestOptions,
  ): ApiPromise<BridgeNumber> {
    return apiCall<BridgeNumber>(this.#http, () => ({
      method: "POST",
      path: `telephony/bridges/${segment(slug, "slug")}/connect-provider/`,
      body,
      require: ["orgHandle"],
      options,
    }));
  }

  /**
   * Detaches the provider from one of the bridge's numbers
   * (`POST telephony/bridges/{slug}/disconnect-provider/`).
   *
   * @param slug - The bridge's `slug`.
   * @param body - The number to detach.
   * @param options - Per-call options.
   * @returns The number.
   * @throws {@link UnpodApiError} `business_error` (206) when no provider is linked to it;
   *   `not_found` for an unknown number.
   */
  disconnectProvider(
    slug: string,
    body: DisconnectProviderParams,
    options?: RequestOptions,
  ): ApiPromise<PhoneNumber> {
    return apiCall<PhoneNumber>(this.#http, () => ({
      method: "POST",
      path: `telephony/bridges/${segment(slug, "slug")}/disconnect-provider/`,
      body,
      require: ["orgHandle"],
      options,
    }));
  }
}
