import { randomHex } from "../internal/random.js";
import { publicFields, type RunRecord, type SpaceRecord, type TaskRecord } from "../store.js";
import { asObject, type FieldErrors, readJson, stringField, typeName } from "./body.js";
import { fail, ok } from "./envelope.js";
import { param, requireOrgHandle } from "./headers.js";
import { paginate } from "./paging.js";
import type { RestDeps, RouteDef } from "./types.js";

const byCreatedDesc = (a: { created: string }, b: { created: string }) =>
  a.created < b.created ? 1 : a.created > b.created ? -1 : 0;

function spaceJson(deps: RestDeps, s: SpaceRecord) {
  const org = deps.store.organization(s._org);
  return {
    ...publicFields(s),
    organization: { name: org?.name ?? "", domain_handle: s._org },
  };
}

/** Task rows as the platform lists them. */
export function taskJson(t: TaskRecord) {
  return publicFields(t);
}

function runJson(r: RunRecord) {
  return publicFields(r);
}

/** The space named by `:token`, or the platform's 206 `Invalid Space Token`. */
function spaceFromToken(deps: RestDeps, token: string): SpaceRecord | Response {
  const space = deps.store.space(token);
  return space ?? fail(206, "Invalid Space Token");
}

const SCHEDULE_TYPES = new Set(["now", "custom"]);

/** Validates the body of `POST spaces/{token}/tasks/` the way the platform's serializer does. */
function validateTaskRun(deps: RestDeps, space: SpaceRecord, raw: unknown) {
  const errors: FieldErrors = {};
  const body = asObject(raw);
  if (!body) {
    return {
      errors: {
        non_field_errors: [`Invalid data. Expected a dictionary, but got ${typeName(raw)}.`],
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
      if (!asObject(d)) bad[i] = [`Invalid data. Expected a dictionary, but got ${typeName(d)}.`];
    });
    if (Object.keys(bad).length) errors.documents = bad;
    else documents = docs as Record<string, unknown>[];
  }
  if (body.schedule !== undefined && body.schedule !== null) {
    const schedule = asObject(body.schedule);
    if (!schedule) {
      errors.schedule = [
        `Invalid data. Expected a dictionary, but got ${typeName(body.schedule)}.`,
      ];
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
          const handle = requireOrgHandle(c);
          if (typeof handle !== "string") return handle;
          if (!deps.store.organization(handle)) return fail(404, "Organization not found");
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
          const handle = requireOrgHandle(c);
          if (typeof handle !== "string") return handle;
          const space = spaceFromToken(deps, param(c, "token"));
          if (space instanceof Response) return space;
          const tasks = deps.store.data.tasks
            .filter((t) => t._space === space.token)
            .sort(byCreatedDesc);
          const paged = paginate(c, tasks);
          if (paged instanceof Response) return paged;
          return ok(paged.page.map(taskJson), {
            message: "Tasks Fetched Successfully",
            count: paged.count,
          });
        },
        POST: async (c, deps) => {
          const handle = requireOrgHandle(c);
          if (typeof handle !== "string") return handle;
          const space = spaceFromToken(deps, param(c, "token"));
          if (space instanceof Response) return space;
          const read = await readJson(c, deps.maxBodySize);
          if (read instanceof Response) return read;
          const v = validateTaskRun(deps, space, read.body);
          if (Object.keys(v.errors).length > 0 || !v.pilot) {
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
          const space = spaceFromToken(deps, param(c, "token"));
          if (space instanceof Response) return space;
          const runs = deps.store.data.runs
            .filter((r) => r._space === space.token)
            .sort(byCreatedDesc);
          const paged = paginate(c, runs);
          if (paged instanceof Response) return paged;
          return ok(paged.page.map(runJson), {
            message: "Runs Fetched Successfully",
            count: paged.count,
          });
        },
      },
    },
    {
      path: "/spaces/:token/runs/:runId/tasks/",
      methods: {
        GET: (c, deps) => {
          const space = spaceFromToken(deps, param(c, "token"));
          if (space instanceof Response) return space;
          const run = deps.store.run(param(c, "runId"));
          if (!run || run._space !== space.token) {
            return fail(206, "Runs Fetch Failed", { errors: "Run not found" });
          }
          const tasks = deps.store.data.tasks
            .filter((t) => t.run_id === run.run_id)
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
  ];
}
