import type { Context } from "hono";
import { randomHex } from "../internal/random.js";
import { publicFields, type RunRecord, type SpaceRecord, type TaskRecord } from "../store.js";
import {
  asObject,
  type FieldErrors,
  hasErrors,
  notADictionary,
  readJson,
  stringField,
  typeName,
} from "./body.js";
import { fail, ok } from "./envelope.js";
import { param, requireOrganization, requireOrgHandle } from "./headers.js";
import { byCreatedDesc, pagedList } from "./paging.js";
import type { RestDeps, RouteDef } from "./types.js";

function spaceJson(deps: RestDeps, s: SpaceRecord) {
  const org = deps.store.organization(s._org);
  return {
    ...publicFields(s),
    organization: { name: org?.name ?? "", domain_handle: s._org },
  };
}

function taskJson(t: TaskRecord) {
  return publicFields(t);
}

function runJson(r: RunRecord) {
  return publicFields(r);
}

/**
 * A page of tasks as the platform lists them, newest first (a space's, a run's or an
 * agent's tasks). Sorts `tasks` in place: pass a fresh array.
 */
export function taskPage(c: Context, tasks: TaskRecord[]): Response {
  return pagedList(c, tasks.sort(byCreatedDesc), taskJson, "Tasks Fetched Successfully");
}

/** The space named by `:token`, or the platform's 206 `Invalid Space Token`. */
function spaceFromToken(c: Context, deps: RestDeps): SpaceRecord | Response {
  const space = deps.store.space(param(c, "token"));
  return space ?? fail(206, "Invalid Space Token");
}

/** `spaceFromToken` behind the `Org-Handle` check (the routes that require the header). */
function spaceWithOrgHandle(c: Context, deps: RestDeps): SpaceRecord | Response {
  const handle = requireOrgHandle(c);
  if (typeof handle !== "string") return handle;
  return spaceFromToken(c, deps);
}

const SCHEDULE_TYPES = new Set(["now", "custom"]);

/** Validates the body of `POST spaces/{token}/tasks/` the way the platform's serializer does. */
function validateTaskRun(deps: RestDeps, space: SpaceRecord, raw: unknown) {
  const errors: FieldErrors = {};
  const body = asObject(raw);
  if (!body) {
    return {
      errors: {
        non_field_errors: [notADictionary(raw)],
      },
    };
  }
  const pilot = stringField(body, "pilot", errors, { required: true, max: 200 });
  const context = stringField(body, "context", errors, { allowBlank: true, max: 10_000 });
  const docs = body.documents;
  let documents: Record<string, unknown>[] = [];
  if (docs === undefined || docs === null) errors.documents = ["This field is required."];
  else if (!Array.isArray(docs)) {
    errors.documents = [`Expected a list of items but got type "${typeName(docs)}".`];
  } else if (docs.length === 0) errors.documents = ["This list may not be empty."];
  else if (docs.length > 1000)
    errors.documents = ["Ensure this field has no more than 1000 elements."];
  else {
    const bad: Record<string, string[]> = {};
    docs.forEach((d, i) => {
      if (!asObject(d)) bad[i] = [notADictionary(d)];
    });
    if (hasErrors(bad)) errors.documents = bad;
    else documents = docs as Record<string, unknown>[];
  }
  if (body.schedule !== undefined && body.schedule !== null) {
    const schedule = asObject(body.schedule);
    if (!schedule) {
      errors.schedule = [notADictionary(body.schedule)];
    } else if (schedule.type !== undefined && !SCHEDULE_TYPES.has(String(schedule.type))) {
      errors.schedule = { type: [`"${String(schedule.type)}" is not a valid choice.`] };
    }
  }
  if (pilot !== undefined && !errors.pilot) {
    const agent = deps.store.agent(pilot);
    if (!agent || agent._org !== space._org) errors.pilot = [`Agent "${pilot}" not found.`];
  }
  return { errors, pilot, context, documents };
}

/** Spaces, their tasks and runs, and the organization list. */
export function spaceRoutes(): RouteDef[] {
  return [
    {
      path: "/organizations/",
      methods: {
        GET: (_c, deps) => {
          const orgs = deps.store.data.organizations.map(({ id: _id, ...o }) => o);
          return ok(orgs, { message: "Organizations fetched successfully", count: orgs.length });
        },
      },
    },
    {
      path: "/spaces/",
      methods: {
        GET: (c, deps) => {
          const handle = requireOrganization(c, deps);
          if (typeof handle !== "string") return handle;
          const spaces = deps.store.data.spaces
            .filter((s) => s._org === handle)
            .sort((a, b) => b.id - a.id)
            .map((s) => spaceJson(deps, s));
          return ok(spaces, { message: "Spaces fetched successfully", count: spaces.length });
        },
      },
    },
    {
      path: "/spaces/:token/",
      methods: {
        GET: (c, deps) => {
          const handle = requireOrgHandle(c);
          if (typeof handle !== "string") return handle;
          const space = deps.store.space(param(c, "token"));
          if (!space || space._org !== handle) return fail(404, "Space not found");
          return ok(spaceJson(deps, space), { message: "Space fetched successfully" });
        },
      },
    },
    {
      path: "/spaces/:token/tasks/",
      methods: {
        GET: (c, deps) => {
          const space = spaceWithOrgHandle(c, deps);
          if (space instanceof Response) return space;
          return taskPage(
            c,
            deps.store.data.tasks.filter((t) => t._space === space.token),
          );
        },
        POST: async (c, deps) => {
          const space = spaceWithOrgHandle(c, deps);
          if (space instanceof Response) return space;
          const read = await readJson(c, deps.maxBodySize);
          if (read instanceof Response) return read;
          const v = validateTaskRun(deps, space, read.body);
          if (hasErrors(v.errors) || !v.pilot) {
            return fail(206, "There is some Validation error", { errors: v.errors });
          }
          const now = new Date(deps.clock.now()).toISOString();
          const runId = `R${randomHex(16)}`;
          const objective = v.context ?? "";
          const run: RunRecord = {
            run_id: runId,
            run_mode: "automatic",
            status: "pending",
            batch_count: v.documents.length,
            created: now,
            modified: now,
            _space: space.token,
            _agent: v.pilot,
          };
          const created: TaskRecord[] = v.documents.map((doc, i) => ({
            task_id: `T${randomHex(16)}`,
            run_id: runId,
            thread_id: String(1_800_000 + deps.store.data.tasks.length + i),
            task: { objective },
            input: { ...doc },
            output: {},
            assignee: v.pilot as string,
            status: "pending",
            execution_type: "call",
            run_mode: "automatic",
            created: now,
            modified: now,
            _space: space.token,
          }));
          deps.store.data.runs.push(run);
          deps.store.data.tasks.push(...created);
          return ok(
            {
              run_id: runId,
              space_id: String(space.id),
              task_ids: created.map((t) => t.task_id),
              status: "pending",
              created: now,
            },
            { message: "Task Created Successfully" },
          );
        },
      },
    },
    {
      path: "/spaces/:token/runs/",
      methods: {
        GET: (c, deps) => {
          const space = spaceFromToken(c, deps);
          if (space instanceof Response) return space;
          const runs = deps.store.data.runs
            .filter((r) => r._space === space.token)
            .sort(byCreatedDesc);
          return pagedList(c, runs, runJson, "Runs Fetched Successfully");
        },
      },
    },
    {
      path: "/spaces/:token/runs/:runId/tasks/",
      methods: {
        GET: (c, deps) => {
          const space = spaceFromToken(c, deps);
          if (space instanceof Response) return space;
          const run = deps.store.run(param(c, "runId"));
          if (!run || run._space !== space.token) {
            return fail(206, "Runs Fetch Failed", { errors: "Run not found" });
          }
          return taskPage(
            c,
            deps.store.data.tasks.filter((t) => t.run_id === run.run_id),
          );
        },
      },
    },
  ];
}
