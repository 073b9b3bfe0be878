import type { OpenString, Timestamp } from "./common.js";

/** One line of a call transcript. */
export interface TranscriptLine {
  /** Who spoke, e.g. `assistant` or `user`. */
  role: OpenString<"assistant" | "user" | "system">;
  /** What was said. */
  content: string;
}

/** What a voice task produced. */
export interface TaskOutput {
  /** The call's identifier. */
  call_id?: string | null;
  /** When the call started. */
  start_time?: Timestamp | null;
  /** When the call ended. */
  end_time?: Timestamp | null;
  /** Call length in seconds. */
  duration?: number | null;
  /** Where the recording can be downloaded. */
  recording_url?: string | null;
  /** The conversation, in order. */
  transcript?: TranscriptLine[] | null;
  /** Data extracted after the call (free-form). */
  post_call_data?: Record<string, unknown> | null;
  /** `inbound` or `outbound`. */
  call_type?: OpenString<"inbound" | "outbound"> | null;
  /** e.g. `completed`, `failed`, `no_answer`. */
  call_status?: string | null;
}

/** The status of a task or run. */
export type TaskStatus = OpenString<
  "pending" | "scheduled" | "in_progress" | "completed" | "failed"
>;

/** A task (`GET spaces/{space_token}/tasks/`, run tasks, agent tasks). */
export interface Task {
  /** The task's identifier. */
  task_id: string;
  /** The run it belongs to. */
  run_id: string;
  /** The conversation thread. */
  thread_id: string | null;
  /** What the agent is asked to do. */
  task: TaskObjective;
  /** The document (contact) the task works on. */
  input: Record<string, unknown>;
  /** What the task produced, once it ran. */
  output: TaskOutput | null;
  /** The agent handle assigned to it. */
  assignee: string | null;
  /** Where it is in its life. */
  status: TaskStatus;
  /** How it is executed, e.g. `call`. */
  execution_type: string;
  /** e.g. `dev` or `prod`. */
  run_mode: string;
  /** Creation time. */
  created: Timestamp;
  /** Last change. */
  modified: Timestamp;
}

/** What a {@link Task} asks the agent to do. */
export interface TaskObjective {
  /** The instructions (the `context` the task was created with). */
  objective: string;
}

/** When tasks run (`schedule` of {@link CreateTasksParams}). */
export interface TaskSchedule {
  /** `now` to start at once (the platform also knows `custom`). */
  type: OpenString<"now" | "custom">;
}

/** One document (usually a contact) to create a task for. */
export interface TaskDocument {
  /** Contact name. */
  name?: string | undefined;
  /** Phone number to call (E.164). */
  contact_number?: string | undefined;
  /** E-mail address. */
  email?: string | undefined;
  /** Any other field the agent may use. */
  [field: string]: unknown;
}

/** Body of `POST spaces/{space_token}/tasks/`. */
export interface CreateTasksParams {
  /** The agent handle that runs the tasks. */
  pilot: string;
  /** One task is created per document. */
  documents: TaskDocument[];
  /** Extra instructions for the agent. */
  context?: string | undefined;
  /** When to run. */
  schedule?: TaskSchedule | undefined;
}

/** What `POST spaces/{space_token}/tasks/` returns. */
export interface CreateTasksResult {
  /** The run that groups the new tasks. */
  run_id: string;
  /** One id per document, in order. */
  task_ids: string[];
  /** `pending` right after creation. */
  status: TaskStatus;
  /** The space's numeric id. */
  space_id?: string | undefined;
  /** Creation time. */
  created?: Timestamp | undefined;
}
