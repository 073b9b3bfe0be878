import type { AgentRecord, RunRecord } from "../store.js";
import { fail, ok } from "./envelope.js";
import { param, requireOrganization, requireOrgHandle } from "./headers.js";
import { byCreatedDesc, pagedList } from "./paging.js";
import { taskPage } from "./spaces.js";
import type { RestDeps, RouteDef } from "./types.js";

function agentJson(a: AgentRecord) {
  return {
    handle: a.handle,
    name: a.name,
    type: a.type,
    state: a.state,
    description: a.description,
    purpose: a.purpose,
  };
}

/** A run as an agent's execution, with its task counts. */
function executionJson(deps: RestDeps, r: RunRecord) {
  const tasks = deps.store.data.tasks.filter((t) => t.run_id === r.run_id);
  return {
    run_id: r.run_id,
    status: r.status,
    total_tasks: tasks.length,
    completed_tasks: tasks.filter((t) => t.status === "completed").length,
    created: r.created,
  };
}

function findAgent(deps: RestDeps, handle: string): AgentRecord | Response {
  return deps.store.agent(handle) ?? fail(404, "Agent not found");
}

/** Agents (the platform's "pilots"), their tasks and executions. */
export function agentRoutes(): RouteDef[] {
  return [
    {
      path: "/agents/",
      methods: {
        GET: (c, deps) => {
          const handle = requireOrganization(c, deps);
          if (typeof handle !== "string") return handle;
          const agents = deps.store.data.agents
            .filter((a) => a._org === handle && a.state === "published")
            .map(agentJson);
          return ok(agents, { message: "Agents fetched successfully", count: agents.length });
        },
      },
    },
    {
      path: "/agents/:handle/tasks/",
      methods: {
        GET: (c, deps) => {
          const agent = findAgent(deps, param(c, "handle"));
          if (agent instanceof Response) return agent;
          return taskPage(
            c,
            deps.store.data.tasks.filter((t) => t.assignee === agent.handle),
          );
        },
      },
    },
    {
      path: "/agents/:handle/executions/",
      methods: {
        GET: (c, deps) => {
          const handle = requireOrgHandle(c);
          if (typeof handle !== "string") return handle;
          const agent = findAgent(deps, param(c, "handle"));
          if (agent instanceof Response) return agent;
          const runs = deps.store.data.runs
            .filter((r) => r._agent === agent.handle)
            .sort(byCreatedDesc);
          return pagedList(
            c,
            runs,
            (r) => executionJson(deps, r),
            "Executions fetched successfully",
          );
        },
      },
    },
  ];
}
