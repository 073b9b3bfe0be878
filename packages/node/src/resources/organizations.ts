import type { HttpTransport } from "../internal/http.js";
import { paginate } from "../internal/httpPaging.js";
import type { PageParams, PagePromise } from "../page.js";
import type { RequestOptions } from "../types/options.js";
import type { Organization } from "../types/organizations.js";

/** `client.organizations`: the organizations the API token's user belongs to. */
export class Organizations {
  readonly #http: HttpTransport;

  /** @internal */
  constructor(http: HttpTransport) {
    this.#http = http;
  }

  /**
   * Lists the user's organizations (`GET organizations/`). Needs only the API token, so
   * it is the way to discover the `domain_handle` to use as `orgHandle`.
   *
   * @param params - Paging.
   * @param options - Per-call options.
   * @returns A page of organizations; `for await` over it to walk every page.
   * @throws {@link UnpodApiError} `unauthorized` for a missing or unknown token.
   * @example
   * ```ts
   * import { UnpodClient } from "@unpod/node";
   * const client = new UnpodClient();
   * const { data } = await client.organizations.list();
   * console.log(data.map((org) => org.domain_handle));
   * ```
   */
  list(params?: PageParams, options?: RequestOptions): PagePromise<Organization> {
    return paginate(this.#http, () => ({ path: "organizations/" }), params, options);
  }
}
