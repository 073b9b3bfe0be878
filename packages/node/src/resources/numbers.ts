import type { HttpTransport } from "../internal/http.js";
import { paginate } from "../internal/httpPaging.js";
import type { PageParams, PagePromise } from "../page.js";
import type { RequestOptions } from "../types/options.js";
import type { PhoneNumber } from "../types/telephony.js";

/** `client.telephony.numbers`: the organization's phone numbers. Needs `orgHandle`. */
export class PhoneNumbers {
  readonly #http: HttpTransport;

  /** @internal */
  constructor(http: HttpTransport) {
    this.#http = http;
  }

  /**
   * Lists phone numbers (`GET telephony/numbers/`).
   *
   * @param params - Paging.
   * @param options - Per-call options.
   * @returns A page of numbers; `for await` over it to walk every page.
   * @throws {@link UnpodArgumentError} `missing_header` when no `orgHandle` is set.
   */
  list(params?: PageParams, options?: RequestOptions): PagePromise<PhoneNumber> {
    return paginate(
      this.#http,
      () => ({ path: "telephony/numbers/", require: ["orgHandle"] }),
      params,
      options,
    );
  }
}
