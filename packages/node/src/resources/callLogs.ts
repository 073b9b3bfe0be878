import { UnpodArgumentError } from "@unpod/core";
import { invalidArgument } from "@unpod/core/internal";
import type { HttpTransport } from "../internal/http.js";
import { paginate } from "../internal/httpPaging.js";
import type { PageParams, PagePromise } from "../page.js";
import type { CallLog } from "../types/callLogs.js";
import type { OpenString } from "../types/common.js";
import type { RequestOptions } from "../types/options.js";

/** Filters of {@link CallLogs.list}, in addition to paging. */
export interface CallLogListParams extends PageParams {
  /** Only `inbound` or only `outbound` calls (`call_type`). */
  callType?: OpenString<"inbound" | "outbound"> | undefined;
  /** Only calls with this status, e.g. `completed` (`call_status`). */
  callStatus?: string | undefined;
  /** Calls from this day or time on (`start_date`; a `Date` is sent as ISO 8601). */
  startDate?: string | Date | undefined;
  /** Calls up to this day or time (`end_date`). */
  endDate?: string | Date | undefined;
  /** Sort order as the platform reads it, e.g. `-creation_time` (`sort`). */
  sort?: string | undefined;
}

function dateParam(value: string | Date | undefined, option: string): string | undefined {
  if (value === undefined || typeof value === "string") return value;
  if (!(value instanceof Date) || Number.isNaN(value.getTime())) {
    throw invalidArgument(option, "must be a date string or a valid Date");
  }
  return value.toISOString();
}

/** `client.callLogs`: the organization's calls. Needs `orgHandle` and `productId`. */
export class CallLogs {
  readonly #http: HttpTransport;

  /** @internal */
  constructor(http: HttpTransport) {
    this.#http = http;
  }

  /**
   * Lists calls (`GET call-logs/`), filtered and paged.
   *
   * @param params - Paging and filters.
   * @param options - Per-call options.
   * @returns A page of call logs; `for await` over it to walk every page.
   * @throws {@link UnpodArgumentError} `missing_header` when `orgHandle` or `productId` is not set.
   * @example
   * ```ts
   * import { UnpodClient } from "@unpod/node";
   * const client = new UnpodClient({ orgHandle: "acme", productId: "voice" });
   * for await (const call of client.callLogs.list({ callType: "inbound", pageSize: 100 })) {
   *   console.log(call.source_number, call.call_duration);
   * }
   * ```
   */
  list(params?: CallLogListParams, options?: RequestOptions): PagePromise<CallLog> {
    return paginate(
      this.#http,
      () => ({
        path: "call-logs/",
        require: ["orgHandle", "productId"],
        filters: {
          call_type: params?.callType,
          call_status: params?.callStatus,
          start_date: dateParam(params?.startDate, "startDate"),
          end_date: dateParam(params?.endDate, "endDate"),
          sort: params?.sort,
        },
      }),
      params,
      options,
    );
  }
}
