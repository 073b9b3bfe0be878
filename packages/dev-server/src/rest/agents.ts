import type { AgentRecord } from "../store.js";
import { fail, ok } from "./envelope.js";
import { param, requireOrgHandle } from "./headers.js";
import { paginate } from "./paging.js";
import { taskJson } from "./spaces.js";
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

const byCreatedDesc = (a: { created: string }, b: { created: string }) =>
  a.created < b.created ? 1 : a.created > b.created ? -1 : 0;

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
          const handle = requireOrgHandle(c);
          if (typeof handle !== "string") return handle;
          if (!deps.store.organization(handle)) return fail(404, "Organization not found");
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
          const tasks = deps.store.data.tasks
            .filter((t) => t.assignee === agent.handle)
            .sort(byCreatedDesc);
          const paged = paginate(c, tasks);
          if (paged instanceof Response) return paged;
          return ok(paged.page.map(taskJson), {
            message: "Tasks Fetched Successfully",
            count: paged.count,
          });
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
            .sort(byCreatedDesc)
            .map((r) => {
              const tasks = deps.store.data.tasks.filter((t) => t.run_id === r.run_id);
              return {
                run_id: r.run_id,
                status: r.status,
                total_tasks: tasks.length,
                completed_tasks: tasks.filter((t) => t.status === "completed").length,
                created: r.created,
              };
            });
          const paged = paginate(c, runs);
          if (paged instanceof Response) return paged;
          return ok(paged.page, { message: "Executions fetched successfully", count: paged.count });
        },
      },
    },
  ];
}
