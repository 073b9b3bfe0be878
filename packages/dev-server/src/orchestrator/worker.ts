import type { Clock } from "@unpod/core";
import {
  encodeRunnerFrame,
  type JobAckFrame,
  type JobAssignFrame,
  type OrchestratorControlFrame,
  type RegisterFrame,
} from "@unpod/core";
import type { WebSocket } from "ws";
import type { RunnerCall } from "./call.js";
import type { AssignResult, RunnerWorkerInfo } from "./types.js";

/** Assignments waiting for their `job.ack`, per worker, at most. */
const MAX_PENDING_ASSIGNS = 256;

interface PendingAssign {
  assignId: string;
  callId: string;
  sentAt: number;
  timer: unknown;
  resolve(result: AssignResult): void;
}

/**
 * One registered runner, by `worker_id`: it outlives its control socket, so a runner that
 * reconnects and registers again under the same id keeps its calls (they continue on their
 * bridges meanwhile).
 */
export class Worker {
  readonly workerId: string;
  agentId: string;
  pool: string;
  maxConcurrent: number;
  /** The control socket, while one is open. */
  ws: WebSocket | undefined;
  registrations = 0;
  heartbeats = 0;
  reportedActiveJobs = 0;
  /** When the last frame (of any kind) arrived on the control socket. */
  lastFrameAt = 0;
  /** Calls assigned to this runner that have not ended. */
  readonly calls = new Set<RunnerCall>();
  readonly #pending = new Map<string, PendingAssign>();
  readonly #clock: Clock;

  constructor(register: RegisterFrame, clock: Clock) {
    this.workerId = register.worker_id;
    this.agentId = register.capabilities.agent_id;
    this.pool = register.pool;
    this.maxConcurrent = register.capabilities.max_concurrent;
    this.#clock = clock;
  }

  /** A (re-)registration on `ws`. */
  registered(register: RegisterFrame, ws: WebSocket): void {
    this.agentId = register.capabilities.agent_id;
    this.pool = register.pool;
    this.maxConcurrent = register.capabilities.max_concurrent;
    this.ws = ws;
    this.registrations += 1;
    this.lastFrameAt = this.#clock.now();
  }

  /** Whether its control socket is open. */
  get connected(): boolean {
    return this.ws !== undefined && this.ws.readyState === this.ws.OPEN;
  }

  /** Calls it can still take, by the dev server's own count. */
  get freeSlots(): number {
    return this.maxConcurrent - this.calls.size;
  }

  /** Sends a frame on the control socket, if open. */
  send(frame: OrchestratorControlFrame): boolean {
    if (!this.connected) return false;
    (this.ws as WebSocket).send(encodeRunnerFrame(frame));
    return true;
  }

  /**
   * Sends `job.assign` and waits for its `job.ack` until `deadline_ms` has passed.
   *
   * @returns The answer; `timeout` or `disconnected` when none came.
   */
  assign(frame: JobAssignFrame, deadlineMs: number): Promise<AssignResult> {
    const base = { jobId: frame.job_id, callId: frame.call_id };
    if (this.#pending.size >= MAX_PENDING_ASSIGNS || !this.send(frame)) {
      return Promise.resolve({ ...base, accepted: false, reason: "disconnected" });
    }
    return new Promise((resolve) => {
      const timer = this.#clock.setTimeout(() => {
        this.#pending.delete(frame.job_id);
        resolve({ ...base, accepted: false, reason: "timeout" });
      }, deadlineMs);
      this.#pending.set(frame.job_id, {
        assignId: frame.assign_id,
        callId: frame.call_id,
        sentAt: this.#clock.now(),
        timer,
        resolve,
      });
    });
  }

  /**
   * A `job.ack`: settles its assignment.
   *
   * @returns `false` for an ack of no pending assignment (late, or made up).
   */
  ack(frame: JobAckFrame): boolean {
    const pending = this.#pending.get(frame.job_id);
    if (!pending || pending.assignId !== frame.assign_id) return false;
    this.#pending.delete(frame.job_id);
    this.#clock.clearTimeout(pending.timer);
    pending.resolve({
      jobId: frame.job_id,
      callId: pending.callId,
      accepted: frame.accepted,
      reason: frame.accepted ? undefined : (frame.reason ?? "refused"),
      ackMs: this.#clock.now() - pending.sentAt,
    });
    return true;
  }

  /** Its control socket closed: assignments waiting for an ack fail as `disconnected`. */
  disconnected(): void {
    this.ws = undefined;
    for (const [jobId, p] of this.#pending) {
      this.#clock.clearTimeout(p.timer);
      p.resolve({ jobId, callId: p.callId, accepted: false, reason: "disconnected" });
    }
    this.#pending.clear();
  }

  /** @returns What `server.workers.list()` shows. */
  info(): RunnerWorkerInfo {
    return {
      workerId: this.workerId,
      agentId: this.agentId,
      pool: this.pool,
      maxConcurrent: this.maxConcurrent,
      connected: this.connected,
      registrations: this.registrations,
      heartbeats: this.heartbeats,
      reportedActiveJobs: this.reportedActiveJobs,
      activeCalls: this.calls.size,
    };
  }
}
