import type { ApiPromise } from "../apiPromise.js";
import type { HttpTransport } from "../internal/http.js";
import { paginate } from "../internal/httpPaging.js";
import { apiCall, segment } from "../internal/httpResource.js";
import type { PageParams, PagePromise } from "../page.js";
import type { RequestOptions } from "../types/options.js";
import type { Space } from "../types/spaces.js";

/** `client.spaces`: the organization's spaces. Needs `orgHandle`. */
export class Spaces {
  readonly #http: HttpTransport;

  /** @internal */
  constructor(http: HttpTransport) {
    this.#http = http;
  }

  /**
   * Lists spaces (`GET spaces/`).
   *
   * @param params - Paging.
   * @param options - Per-call options.
   * @returns A page of spaces; `for await` over it to walk every page.
   * @throws {@link UnpodArgumentError} `missing_header` when no `orgHandle` is set (nothing is sent).
   * @throws {@link UnpodApiError} for any failure the server reports.
   * @example
   * ```ts
   * import { UnpodClient } from "@unpod/node";
   * const client = new UnpodClient({ orgHandle: "acme" });
   * for await (const space of client.spaces.list()) console.log(space.token, space.name);
   * ```
   */
  list(params?: PageParams, options?: RequestOptions): PagePromise<Space> {
    return paginate(
      this.#http,
      () => ({ path: "spaces/", require: ["orgHandle"] }),
      params,
      options,
    );
  }

  /**
   * Gets one space (`GET spaces/{space_token}/`).
   *
   * @param spaceToken - The space's `token`.
   * @param options - Per-call options.
   * @returns The space.
   * @throws {@link UnpodApiError} `not_found` for an unknown space token.
   */
  retrieve(spaceToken: string, options?: RequestOptions): ApiPromise<Space> {
    return apiCall<Space>(this.#http, () => ({
      method: "GET",
      path: `spaces/${segment(spaceToken, "spaceToken")}/`,
      require: ["orgHandle"],
      options,
    }));
  }
}
