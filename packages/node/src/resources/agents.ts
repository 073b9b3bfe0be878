import type { HttpTransport } from "../internal/http.js";
import { paginate } from "../internal/httpPaging.js";
import { segment } from "../internal/httpResource.js";
import type { PageParams, PagePromise } from "../page.js";
import type { Agent, AgentExecution } from "../types/agents.js";
import type { RequestOptions } from "../types/options.js";
import type { Task } from "../types/tasks.js";

/** `client.agents`: published agents, their tasks and executions. */
export class Agents {
  readonly #http: HttpTransport;

  /** @internal */
  constructor(http: HttpTransport) {
    this.#http = http;
  }

  /**
   * Lists the organization's published agents (`GET agents/`). Needs `orgHandle`.
   *
   * @param params - Paging.
   * @param options - Per-call options.
   * @returns A page of agents; `for await` over it to walk every page.
   * @throws {@link UnpodArgumentError} `missing_header` when no `orgHandle` is set.
   */
  list(params?: PageParams, options?: RequestOptions): PagePromise<Agent> {
    return paginate(
      this.#http,
      () => ({ path: "agents/", require: ["orgHandle"] }),
      params,
      options,
    );
  }

  /**
   * Lists the tasks an agent ran (`GET agents/{agent_handle}/tasks/`; server page size 20).
   *
   * @param agentHandle - The agent's `handle`.
   * @param params - Paging.
   * @param options - Per-call options.
   * @returns A page of tasks; `for await` over it to walk every page.
   * @throws {@link UnpodApiError} `not_found` for an unknown agent.
   */
  listTasks(agentHandle: string, params?: PageParams, options?: RequestOptions): PagePromise<Task> {
    return paginate(
      this.#http,
      () => ({ path: `agents/${segment(agentHandle, "agentHandle")}/tasks/` }),
      params,
      options,
    );
  }

  /**
   * Lists an agent's executions: one row per run (`GET agents/{agent_handle}/executions/`).
   * Needs `orgHandle`.
   *
   * @param agentHandle - The agent's `handle`.
   * @param params - Paging.
   * @param options - Per-call options.
   * @returns A page of executions; `for await` over it to walk every page.
   * @throws {@link UnpodApiError} `not_found` for an unknown agent.
   */
  listExecutions(
    agentHandle: string,
    params?: PageParams,
    options?: RequestOptions,
  ): PagePromise<AgentExecution> {
    return paginate(
      this.#http,
      () => ({
        path: `agents/${segment(agentHandle, "agentHandle")}/executions/`,
        require: ["orgHandle"],
      }),
      params,
      options,
    );
  }
}
