import type { HttpTransport } from "../internal/http.js";
import { paginate } from "../internal/httpPaging.js";
import type { PageParams, PagePromise } from "../page.js";
import type { RequestOptions } from "../types/options.js";
import type { Provider } from "../types/telephony.js";

/** `client.telephony.providers`: the voice-infrastructure providers the platform supports. */
export class Providers {
  readonly #http: HttpTransport;

  /** @internal */
  constructor(http: HttpTransport) {
    this.#http = http;
  }

  /**
   * Lists providers (`GET telephony/providers/`).
   *
   * @param params - Paging.
   * @param options - Per-call options.
   * @returns A page of providers; `for await` over it to walk every page.
   * @throws {@link UnpodApiError} for any failure the server reports.
   */
  list(params?: PageParams, options?: RequestOptions): PagePromise<Provider> {
    return paginate(this.#http, () => ({ path: "telephony/providers/" }), params, options);
  }
}
