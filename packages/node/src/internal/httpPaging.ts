// Turns a list endpoint into a lazy PagePromise whose pages know how to fetch the next one.

import { UnpodApiError } from "@unpod/core";
import { invalidArgument } from "@unpod/core/internal";
import type { ApiResponse } from "../apiPromise.js";
import { Page, type PageParams, PagePromise } from "../page.js";
import type { RequestOptions } from "../types/options.js";
import type { CallSpec, HttpTransport, QueryValue } from "./http.js";

/** Checks paging parameters. */
export function checkPageParams(params: PageParams | undefined): {
  page: number;
  pageSize: number | undefined;
} {
  const page = params?.page ?? 1;
  const pageSize = params?.pageSize;
  if (typeof page !== "number" || !Number.isInteger(page) || page < 1) {
    throw invalidArgument("page", "must be an integer ≥ 1");
  }
  if (
    pageSize !== undefined &&
    (typeof pageSize !== "number" || !Number.isInteger(pageSize) || pageSize < 1 || pageSize > 1000)
  ) {
    throw invalidArgument("pageSize", "must be an integer between 1 and 1000");
  }
  return { page, pageSize };
}

/** A GET list endpoint: path, scope headers, and the filters already in wire names. */
export interface ListSpec {
  path: string;
  require?: CallSpec["require"];
  filters?: Readonly<Record<string, QueryValue>> | undefined;
}

/**
 * A lazy PagePromise over a list endpoint. Every page is one GET with `page` and
 * `page_size`; the envelope's `data` (an array) and `count` become the {@link Page}.
 */
export function paginate<T>(
  http: HttpTransport,
  makeSpec: () => ListSpec,
  params: PageParams | undefined,
  options: RequestOptions | undefined,
): PagePromise<T> {
  let spec: ListSpec;
  const load = async (
    page: number,
    pageSize: number | undefined,
    offset: number | undefined,
  ): Promise<ApiResponse<Page<T>>> => {
    const { envelope, status, requestId, url, headers } = await http.send({
      method: "GET",
      path: spec.path,
      query: { ...spec.filters, page, page_size: pageSize },
      require: spec.require,
      options,
    });
    const data = envelope?.data ?? [];
    const count = envelope?.count;
    if (!Array.isArray(data)) {
      throw new UnpodApiError("http_error", "Expected the envelope's data to be a list", {
        status,
        request: { method: "GET", url, requestId },
        headers,
      });
    }
    // Exact when walking on from an earlier page (it follows the server's real page size,
    // which may cap page_size); estimated for the first page asked for.
    const start = offset ?? (page - 1) * (pageSize ?? data.length);
    const next = async () => (await load(page + 1, pageSize, start + data.length)).data;
    const loaded = new Page<T>(
      {
        data: data as T[],
        count: typeof count === "number" ? count : undefined,
        page,
        pageSize,
        offset: start,
        requestId,
      },
      next,
    );
    return { data: loaded, requestId, status, headers };
  };
  // Arguments are checked when the list is first awaited or iterated, so a bad one
  // rejects like any other failure instead of throwing synchronously.
  return new PagePromise<T>(async () => {
    spec = makeSpec();
    const { page, pageSize } = checkPageParams(params);
    return load(page, pageSize, undefined);
  });
}
