import type { Timestamp } from "./common.js";
import type { TaskStatus } from "./tasks.js";

/** A published agent (`GET agents/`). */
export interface Agent {
  /** The agent's handle: its identifier in paths and the `pilot` of new tasks. */
  handle: string;
  /** Display name. */
  name: string;
  /** e.g. `voice`. */
  type: string;
  /** e.g. `published`. */
  state: string;
  /** Free text. */
  description: string | null;
  /** What the agent is for. */
  purpose: string | null;
}

/** One run executed by an agent (`GET agents/{agent_handle}/executions/`). */
export interface AgentExecution {
  /** The run's identifier. */
  run_id: string;
  /** Where the run is in its life. */
  status: TaskStatus;
  /** Tasks in the run. */
  total_tasks: number;
  /** Tasks finished so far. */
  completed_tasks: number;
  /** Creation time. */
  created: Timestamp;
}
