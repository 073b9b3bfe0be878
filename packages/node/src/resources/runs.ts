import type { HttpTransport } from "../internal/http.js";
import { paginate } from "../internal/httpPaging.js";
import { segment } from "../internal/httpResource.js";
import type { PageParams, PagePromise } from "../page.js";
import type { RequestOptions } from "../types/options.js";
import type { Run } from "../types/runs.js";
import type { Task } from "../types/tasks.js";

/** `client.runs`: runs (batches of tasks) of a space. */
export class Runs {
  readonly #http: HttpTransport;

  /** @internal */
  constructor(http: HttpTransport) {
    this.#http = http;
  }

  /**
   * Lists a space's runs (`GET spaces/{space_token}/runs/`).
   *
   * @param spaceToken - The space's `token`.
   * @param params - Paging.
   * @param options - Per-call options.
   * @returns A page of runs; `for await` over it to walk every page.
   * @throws {@link UnpodApiError} for any failure the server reports.
   */
  list(spaceToken: string, params?: PageParams, options?: RequestOptions): PagePromise<Run> {
    return paginate(
      this.#http,
      () => ({ path: `spaces/${segment(spaceToken, "spaceToken")}/runs/` }),
      params,
      options,
    );
  }

  /**
   * Lists the tasks of one run (`GET spaces/{space_token}/runs/{run_id}/tasks/`).
   *
   * @param spaceToken - The space's `token`.
   * @param runId - The run's `run_id`.
   * @param params - Paging.
   * @param options - Per-call options.
   * @returns A page of tasks; `for await` over it to walk every page.
   * @throws {@link UnpodApiError} for any failure the server reports.
   */
  listTasks(
    spaceToken: string,
    runId: string,
    params?: PageParams,
    options?: RequestOptions,
  ): PagePromise<Task> {
    return paginate(
      this.#http,
      () => ({
        path: `spaces/${segment(spaceToken, "spaceToken")}/runs/${segment(runId, "runId")}/tasks/`,
      }),
      params,
      options,
    );
  }
}
