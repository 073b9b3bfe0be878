import type { Timestamp } from "./common.js";
import type { TaskStatus } from "./tasks.js";

/** A run: a batch of tasks created together (`GET spaces/{space_token}/runs/`). */
export interface Run {
  /** The run's identifier. */
  run_id: string;
  /** e.g. `dev` or `prod`. */
  run_mode: string;
  /** Where the run is in its life. */
  status: TaskStatus;
  /** Number of tasks in the run. */
  batch_count: number;
  /** Creation time. */
  created: Timestamp;
  /** Last change. */
  modified: Timestamp;
}
