import type { ApiPromise } from "../apiPromise.js";
import type { HttpTransport } from "../internal/http.js";
import { paginate } from "../internal/httpPaging.js";
import { apiCall, segment } from "../internal/httpResource.js";
import type { PageParams, PagePromise } from "../page.js";
import type { RequestOptions } from "../types/options.js";
import type { CreateTasksParams, CreateTasksResult, Task } from "../types/tasks.js";

/** `client.tasks`: tasks of a space. Needs `orgHandle`. */
export class Tasks {
  readonly #http: HttpTransport;

  /** @internal */
  constructor(http: HttpTransport) {
    this.#http = http;
  }

  /**
   * Lists a space's tasks, newest first (`GET spaces/{space_token}/tasks/`).
   *
   * @param spaceToken - The space's `token`.
   * @param params - Paging.
   * @param options - Per-call options.
   * @returns A page of tasks; `for await` over it to walk every page.
   * @throws {@link UnpodApiError} `business_error` (HTTP 206) for an invalid or inaccessible space.
   * @example
   * ```ts
   * import { UnpodClient } from "@unpod/node";
   * const client = new UnpodClient({ orgHandle: "acme" });
   * const page = await client.tasks.list("space-token", { pageSize: 50 });
   * console.log(page.count, page.data[0]?.status);
   * ```
   */
  list(spaceToken: string, params?: PageParams, options?: RequestOptions): PagePromise<Task> {
    return paginate(
      this.#http,
      () => ({
        path: `spaces/${segment(spaceToken, "spaceToken")}/tasks/`,
        require: ["orgHandle"],
      }),
      params,
      options,
    );
  }

  /**
   * Creates one task per document and runs them with an agent
   * (`POST spaces/{space_token}/tasks/`). A POST is not retried unless you pass
   * `idempotencyKey`.
   *
   * @param spaceToken - The space's `token`.
   * @param body - The agent (`pilot`), the documents, and optional context and schedule.
   * @param options - Per-call options; pass `idempotencyKey` to make retries safe.
   * @returns The new run's id, the task ids and the status (`pending`).
   * @throws {@link UnpodApiError} `business_error` (HTTP 206) when validation fails; its
   *   `errors` holds the field messages.
   * @example
   * ```ts
   * import { UnpodClient } from "@unpod/node";
   * const client = new UnpodClient({ orgHandle: "acme" });
   * const run = await client.tasks.create(
   *   "space-token",
   *   { pilot: "sales-agent", documents: [{ name: "Ada", contact_number: "+14155550123" }] },
   *   { idempotencyKey: "campaign-42" },
   * );
   * console.log(run.run_id, run.task_ids);
   * ```
   */
  create(
    spaceToken: string,
    body: CreateTasksParams,
    options?: RequestOptions,
  ): ApiPromise<CreateTasksResult> {
    return apiCall<CreateTasksResult>(this.#http, () => ({
      method: "POST",
      path: `spaces/${segment(spaceToken, "spaceToken")}/tasks/`,
      body,
      require: ["orgHandle"],
      options,
    }));
  }
}
