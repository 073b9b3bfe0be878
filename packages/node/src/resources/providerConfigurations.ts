import type { ApiPromise } from "../apiPromise.js";
import type { HttpTransport } from "../internal/http.js";
import { paginate } from "../internal/httpPaging.js";
import { apiCall, segment } from "../internal/httpResource.js";
import type { PageParams, PagePromise } from "../page.js";
import type { RequestOptions } from "../types/options.js";
import type {
  CreateProviderConfigurationParams,
  ProviderConfiguration,
  UpdateProviderConfigurationParams,
} from "../types/telephony.js";

/**
 * `client.telephony.providerConfigurations`: credentials of provider accounts. Needs
 * `orgHandle`. Bodies hold secrets; the client never logs bodies.
 */
export class ProviderConfigurations {
  readonly #http: HttpTransport;

  /** @internal */
  constructor(http: HttpTransport) {
    this.#http = http;
  }

  /**
   * Lists provider configurations (`GET telephony/provider-configurations/`).
   *
   * @param params - Paging.
   * @param options - Per-call options.
   * @returns A page of configurations; `for await` over it to walk every page.
   * @throws {@link UnpodArgumentError} `missing_header` when no `orgHandle` is set.
   */
  list(params?: PageParams, options?: RequestOptions): PagePromise<ProviderConfiguration> {
    return paginate(
      this.#http,
      () => ({ path: "telephony/provider-configurations/", require: ["orgHandle"] }),
      params,
      options,
    );
  }

  /**
   * Stores credentials for a provider (`POST telephony/provider-configurations/`).
   *
   * @param body - The provider and its credentials.
   * @param options - Per-call options.
   * @returns The new configuration.
   * @throws {@link UnpodApiError} `business_error` or `bad_request` when the server refuses it.
   */
  create(
    body: CreateProviderConfigurationParams,
    options?: RequestOptions,
  ): ApiPromise<ProviderConfiguration> {
    return apiCall<ProviderConfiguration>(this.#http, () => ({
      method: "POST",
      path: "telephony/provider-configurations/",
      body,
      require: ["orgHandle"],
      options,
    }));
  }

  /**
   * Gets one configuration (`GET telephony/provider-configurations/{id}/`).
   *
   * @param id - The configuration's `id`.
   * @param options - Per-call options.
   * @returns The configuration.
   * @throws {@link UnpodApiError} `not_found` for an unknown id.
   */
  retrieve(id: string | number, options?: RequestOptions): ApiPromise<ProviderConfiguration> {
    return apiCall<ProviderConfiguration>(this.#http, () => ({
      method: "GET",
      path: `telephony/provider-configurations/${segment(id, "id")}/`,
      require: ["orgHandle"],
      options,
    }));
  }

  /**
   * Changes a configuration (`PATCH telephony/provider-configurations/{id}/`).
   *
   * @param id - The configuration's `id`.
   * @param body - Fields to change.
   * @param options - Per-call options.
   * @returns The updated configuration.
   * @throws {@link UnpodApiError} `not_found` for an unknown id.
   */
  update(
    id: string | number,
    body: UpdateProviderConfigurationParams,
    options?: RequestOptions,
  ): ApiPromise<ProviderConfiguration> {
    return apiCall<ProviderConfiguration>(this.#http, () => ({
      method: "PATCH",
      path: `telephony/provider-configurations/${segment(id, "id")}/`,
      body,
      require: ["orgHandle"],
      options,
    }));
  }

  /**
   * Deletes a configuration (`DELETE telephony/provider-configurations/{id}/`, HTTP 204).
   *
   * @param id - The configuration's `id`.
   * @param options - Per-call options.
   * @returns Nothing, once deleted.
   * @throws {@link UnpodApiError} `not_found` for an unknown id.
   */
  delete(id: string | number, options?: RequestOptions): ApiPromise<void> {
    return apiCall<void>(this.#http, () => ({
      method: "DELETE",
      path: `telephony/provider-configurations/${segment(id, "id")}/`,
      require: ["orgHandle"],
      options,
    }));
  }
}
