// The dev server as the runners' orchestrator: control sockets (auth, register, heartbeat
// deadlines), job assignment by pipe and load with ack deadlines, job.cancel, the per-call
// bridge upgrades, and the test faults of `server.workers`. Over 400 lines on purpose: the
// control socket's protocol is one state machine; one call is call.ts, one runner
// worker.ts, pipes pipes.ts, session tokens sessionTokens.ts, credentials auth.ts.
import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import type { Clock, Logger } from "@unpod/core";
import {
  CLOSE_CODES,
  encodeRunnerFrame,
  parseRunnerFrame,
  type RegisterFrame,
  RUNNER_CLOSE_CODES,
  RUNNER_WORKERS_PATH,
  type RunnerControlFrame,
  UnpodSessionError,
} from "@unpod/core";
import { invalidArgument } from "@unpod/core/internal";
import { type RawData, type WebSocket, WebSocketServer } from "ws";
import { randomHex } from "../internal/random.js";
import { type CallInit, RunnerCall } from "./call.js";
import type { AssignOptions, AssignResult, RunnerCallInfo, RunnerWorkerInfo } from "./types.js";
import { Worker } from "./worker.js";

/** Path prefix of the per-call bridge sockets: `/v1/internal/bridge/<call_id>?token=…`. */
export const BRIDGE_PATH = "/v1/internal/bridge/";
/** A control socket must `register` this soon after it opens, or it is closed with 1008. */
export const REGISTER_TIMEOUT_MS = 10_000;
/** Runners (by `worker_id`) the dev server keeps at once. */
const MAX_WORKERS = 256;
/** Ended calls kept for `server.workers.calls()`. */
const ENDED_CALLS = 100;
/** Largest runner-protocol message, in bytes (frames are at most 64 Ki characters). */
const MAX_PAYLOAD = 256 * 1024;
/** A `worker_id` is `<agent_id>#<8 hex>`. */
const WORKER_ID = /^(.+)#[0-9a-f]{8}$/;

/** What the orchestrator needs from the server. */
export interface OrchestratorOptions {
  clock: Clock;
  logger: Logger;
  /** Whether a control socket's `Authorization` (and `Org-Handle`) are dev credentials. */
  authorize(authorization: string | undefined, orgHandle: string | undefined): boolean;
  /** `registered.heartbeat_interval_s`. */
  heartbeatIntervalS: number;
  /** `job.assign.deadline_ms`. */
  assignDeadlineMs: number;
  /** The server's `ws://host:port`, known once it listens. */
  wsBase(): string;
}

/** What a session asks for when it needs a runner. */
export type CallRequest = Omit<CallInit, "callId" | "token">;

/**
 * The dev server as Unpod's orchestrator for agent runners: the control socket
 * (`/v1/internal/workers`: register, heartbeat, job.assign → job.ack, job.cancel) and the
 * per-call bridges (`/v1/internal/bridge/<call_id>`). Sessions get a runner of their pipe's
 * agent through {@link Orchestrator.startCall}: the least-loaded connected runner with a free
 * slot, then the next one if it refuses or misses the ack deadline.
 */
export class Orchestrator {
  readonly #o: OrchestratorOptions;
  readonly #wss = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_PAYLOAD,
    perMessageDeflate: false,
    clientTracking: false,
  });
  readonly #workers = new Map<string, Worker>();
  readonly #calls = new Map<string, RunnerCall>();
  readonly #ended: RunnerCall[] = [];
  readonly #sockets = new Set<WebSocket>();
  #closing = false;

  constructor(options: OrchestratorOptions) {
    this.#o = options;
  }

  /** Whether an upgrade to `pathname` is the orchestrator's. */
  handles(pathname: string): boolean {
    return pathname === RUNNER_WORKERS_PATH || pathname.startsWith(BRIDGE_PATH);
  }

  /** Upgrades a control or bridge socket (refusals are close codes, as the reference says). */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on("error", () => {});
    const url = new URL(req.url ?? "/", "http://localhost");
    this.#wss.handleUpgrade(req, socket, head, (ws) => {
      this.#sockets.add(ws);
      ws.on("error", () => {});
      ws.on("close", () => this.#sockets.delete(ws));
      if (this.#closing) {
        ws.close(CLOSE_CODES.goingAway, "server shutting down");
        return;
      }
      if (url.pathname === RUNNER_WORKERS_PATH) this.#control(ws, req);
      else this.#bridge(ws, url);
    });
  }

  #bridge(ws: WebSocket, url: URL): void {
    const callId = decodeURIComponent(url.pathname.slice(BRIDGE_PATH.length));
    const call = this.#calls.get(callId);
    if (!call) {
      ws.close(RUNNER_CLOSE_CODES.bridgeRefused, "unknown call");
      return;
    }
    call.attachBridge(ws, url.searchParams.get("token") ?? "");
  }

  #control(ws: WebSocket, req: IncomingMessage): void {
    const org = req.headers["org-handle"];
    if (!this.#o.authorize(req.headers.authorization, typeof org === "string" ? org : undefined)) {
      this.#o.logger.warn?.("runner refused: credential not accepted");
      ws.close(RUNNER_CLOSE_CODES.credentialRefused, "credential refused");
      return;
    }
    const clock = this.#o.clock;
    let worker: Worker | undefined;
    const registerTimer = clock.setTimeout(() => {
      if (!worker) ws.close(RUNNER_CLOSE_CODES.policy, "register expected");
    }, REGISTER_TIMEOUT_MS);
    let watchdog: unknown;
    const intervalMs = this.#o.heartbeatIntervalS * 1000;
    const watch = () => {
      watchdog = clock.setTimeout(() => {
        if (!worker || worker.ws !== ws) return;
        if (clock.now() - worker.lastFrameAt > 3 * intervalMs) {
          this.#o.logger.warn?.("runner missed its heartbeats", { workerId: worker.workerId });
          ws.close(CLOSE_CODES.goingAway, "no heartbeat");
          return;
        }
        watch();
      }, intervalMs);
    };
    ws.on("close", () => {
      clock.clearTimeout(registerTimer);
      clock.clearTimeout(watchdog);
      if (!worker || worker.ws !== ws) return;
      worker.disconnected();
      this.#o.logger.info?.("runner disconnected", { workerId: worker.workerId });
      if (worker.calls.size === 0) this.#workers.delete(worker.workerId);
    });
    ws.on("message", (data: RawData, isBinary: boolean) => {
      let frame: RunnerControlFrame;
      try {
        frame = parseRunnerFrame(isBinary ? undefined : String(data));
      } catch (error) {
        if (error instanceof UnpodSessionError && error.reason === "unknown_type") return;
        ws.close(RUNNER_CLOSE_CODES.policy, "malformed frame");
        return;
      }
      if (!worker) {
        const refused = frame.type === "register" ? this.#refuseRegister(frame) : "register first";
        if (refused) {
          ws.close(RUNNER_CLOSE_CODES.policy, refused);
          return;
        }
        clock.clearTimeout(registerTimer);
        worker = this.#register(frame as RegisterFrame, ws);
        ws.send(
          encodeRunnerFrame({
            type: "registered",
            heartbeat_interval_s: this.#o.heartbeatIntervalS,
            transport_ack: "dial_out",
          }),
        );
        watch();
        return;
      }
      worker.lastFrameAt = clock.now();
      switch (frame.type) {
        case "register":
          ws.close(RUNNER_CLOSE_CODES.policy, "registered twice");
          return;
        case "heartbeat":
          if (frame.worker_id !== worker.workerId) {
            ws.close(RUNNER_CLOSE_CODES.policy, "heartbeat for another worker_id");
            return;
          }
          worker.heartbeats += 1;
          worker.reportedActiveJobs = frame.active_jobs;
          return;
        case "job.ack":
          if (!worker.ack(frame)) {
            this.#o.logger.debug?.("late or unknown job.ack ignored", { jobId: frame.job_id });
          }
          return;
      }
    });
  }

  /** Why a `register` is refused (1008), or `undefined`. */
  #refuseRegister(frame: RegisterFrame): string | undefined {
    const agentId = frame.capabilities.agent_id;
    const match = WORKER_ID.exec(frame.worker_id);
    if (!match || match[1] !== agentId) return "worker_id must be <agent_id>#<8 hex>";
    if (frame.pool !== agentId && frame.pool !== `${agentId}@dev`) {
      return "pool must be the agent_id (or agent_id@dev)";
    }
    if (!this.#workers.has(frame.worker_id) && this.#workers.size >= MAX_WORKERS) {
      return "too many runners";
    }
    return undefined;
  }

  #register(frame: RegisterFrame, ws: WebSocket): Worker {
    let worker = this.#workers.get(frame.worker_id);
    const old = worker?.ws;
    if (!worker) {
      worker = new Worker(frame, this.#o.clock);
      this.#workers.set(worker.workerId, worker);
    }
    worker.registered(frame, ws);
    // A runner that reconnected before its old socket died: the new registration wins.
    if (old && old !== ws) old.close(CLOSE_CODES.goingAway, "replaced by a new registration");
    this.#o.logger.info?.("runner registered", {
      workerId: worker.workerId,
      agentId: worker.agentId,
      registrations: worker.registrations,
    });
    return worker;
  }

  /** Whether a runner of `agentId` is connected now. */
  hasRunner(agentId: string): boolean {
    for (const w of this.#workers.values()) if (w.agentId === agentId && w.connected) return true;
    return false;
  }

  /**
   * Assigns a new call to a runner of `request.agentId`.
   *
   * @returns The call (assigning; it ends with reason `unassigned` if every runner refuses),
   *   or `undefined` when no runner of that agent is connected.
   */
  startCall(request: CallRequest): RunnerCall | undefined {
    if (this.#closing || !this.hasRunner(request.agentId)) return undefined;
    const call = this.#newCall(request);
    void this.#dispatch(call);
    return call;
  }

  #newCall(request: CallRequest): RunnerCall {
    const call = new RunnerCall(
      { ...request, callId: `CA_${randomHex(12)}`, token: randomHex(24) },
      {
        clock: this.#o.clock,
        logger: this.#o.logger,
        ended: (c) => {
          this.#calls.delete(c.id);
          this.#ended.push(c);
          if (this.#ended.length > ENDED_CALLS) this.#ended.shift();
        },
      },
    );
    this.#calls.set(call.id, call);
    return call;
  }

  async #dispatch(call: RunnerCall): Promise<void> {
    // Never ends the call before startCall() has returned it.
    await Promise.resolve();
    const tried = new Set<Worker>();
    for (;;) {
      if (call.phase === "ended") return;
      const worker = [...this.#workers.values()]
        .filter((w) => w.agentId === call.agentId && w.connected && w.freeSlots > 0)
        .filter((w) => !tried.has(w))
        .sort((a, b) => b.freeSlots - a.freeSlots)[0];
      if (!worker) {
        call.end(tried.size > 0 ? "unassigned" : "at_capacity");
        return;
      }
      tried.add(worker);
      const result = await this.#assign(worker, call, call.agentId, call.token);
      if (result.accepted) {
        call.accepted(worker, result.jobId);
        return;
      }
      this.#o.logger.info?.("runner did not take the call", {
        workerId: worker.workerId,
        callId: call.id,
        reason: result.reason,
      });
    }
  }

  async #assign(
    worker: Worker,
    call: RunnerCall,
    agentId: string,
    token: string,
    deadlineMs = this.#o.assignDeadlineMs,
  ): Promise<AssignResult> {
    const jobId = `JB_${randomHex(8)}`;
    if (call.phase === "assigning") call.assigning();
    const result = await worker.assign(
      {
        type: "job.assign",
        job_id: jobId,
        call_id: call.id,
        agent_id: agentId,
        bridge_url: `${this.#o.wsBase()}${BRIDGE_PATH}${encodeURIComponent(call.id)}`,
        call_token: token,
        assign_id: `AS_${randomHex(8)}`,
        deadline_ms: deadlineMs,
        metadata: call.metadata,
      },
      deadlineMs,
    );
    // A late ack must not start a call nobody waits for.
    if (result.reason === "timeout") worker.send({ type: "job.cancel", job_id: jobId });
    return result;
  }

  // ---- control surface (server.workers) ----

  /** See `DevServerWorkers.list`. */
  list(): RunnerWorkerInfo[] {
    return [...this.#workers.values()].map((w) => w.info());
  }

  /** See `DevServerWorkers.calls`. */
  calls(): RunnerCallInfo[] {
    return [...this.#ended, ...this.#calls.values()].map((c) => c.info());
  }

  #worker(workerId: string): Worker {
    const w = typeof workerId === "string" ? this.#workers.get(workerId) : undefined;
    if (!w?.connected) {
      throw invalidArgument("workerId", `no connected runner ${JSON.stringify(String(workerId))}`);
    }
    return w;
  }

  /** See `DevServerWorkers.assign`. */
  async assign(workerId: string, options: AssignOptions = {}): Promise<AssignResult> {
    const worker = this.#worker(workerId);
    if (typeof options !== "object" || options === null) {
      throw invalidArgument("options", "must be an object");
    }
    const { agentId, callId, callToken, deadlineMs, metadata } = options;
    for (const [name, value] of Object.entries({ agentId, callId, callToken })) {
      if (value !== undefined && (typeof value !== "string" || value === "")) {
        throw invalidArgument(name, "must be a non-empty string");
      }
    }
    if (
      deadlineMs !== undefined &&
      (!Number.isSafeInteger(deadlineMs) || deadlineMs < 1 || deadlineMs > 60_000)
    ) {
      throw invalidArgument("deadlineMs", "must be an integer from 1 to 60000");
    }
    if (metadata !== undefined && (typeof metadata !== "object" || metadata === null)) {
      throw invalidArgument("metadata", "must be an object");
    }
    let call: RunnerCall;
    if (callId !== undefined) {
      const existing = this.#calls.get(callId);
      if (!existing) throw invalidArgument("callId", `no live call ${JSON.stringify(callId)}`);
      call = existing;
    } else {
      call = this.#newCall({ agentId: agentId ?? worker.agentId, metadata: metadata ?? {} });
    }
    const result = await this.#assign(
      worker,
      call,
      agentId ?? worker.agentId,
      callToken ?? call.token,
      deadlineMs,
    );
    if (callId === undefined) {
      if (result.accepted) call.accepted(worker, result.jobId);
      else call.end(String(result.reason ?? "refused"));
    }
    return result;
  }

  /** See `DevServerWorkers.cancel`. */
  cancel(jobId: string): void {
    const call = [...this.#calls.values()].find((c) => c.jobId === jobId);
    if (!call?.worker) {
      throw invalidArgument("jobId", `no live job ${JSON.stringify(String(jobId))}`);
    }
    call.worker.send({ type: "job.cancel", job_id: jobId });
    call.end("cancelled");
  }

  /** See `DevServerWorkers.drop`. */
  drop(workerId: string): void {
    this.#worker(workerId).ws?.terminate();
  }

  /** See `DevServerWorkers.close`. */
  close(workerId: string, code: number, reason = ""): void {
    const ws = this.#worker(workerId).ws as WebSocket;
    const valid =
      Number.isSafeInteger(code) &&
      (code === 1000 ||
        (code >= 1001 && code <= 1014 && code !== 1004 && code !== 1005 && code !== 1006) ||
        (code >= 3000 && code <= 4999));
    if (!valid) throw invalidArgument("code", "must be a WebSocket close code a server may send");
    if (typeof reason !== "string" || Buffer.byteLength(reason) > 123) {
      throw invalidArgument("reason", "must be a string of at most 123 bytes");
    }
    ws.close(code, reason);
  }

  /**
   * `server.reset()`: ends every live call (reason `server_reset`: its bridge closes, or
   * the runner gets `job.cancel` for a job it accepted but never bridged), forgets ended
   * calls, and forgets runners that are no longer connected. Connected runners are
   * processes outside the server: they stay registered, so a runner started once per test
   * file serves every test.
   */
  reset(): void {
    for (const call of [...this.#calls.values()]) call.end("server_reset");
    this.#ended.length = 0;
    for (const [workerId, worker] of this.#workers) {
      if (!worker.connected) this.#workers.delete(workerId);
    }
  }

  /** Closes every socket (1001) and ends every call. */
  async shutdown(): Promise<void> {
    this.#closing = true;
    for (const call of [...this.#calls.values()]) call.end("server_shutdown");
    const sockets = [...this.#sockets];
    await Promise.all(
      sockets.map(
        (ws) =>
          new Promise<void>((resolve) => {
            if (ws.readyState === ws.CLOSED) return resolve();
            const t = setTimeout(() => ws.terminate(), 1000);
            ws.once("close", () => {
              clearTimeout(t);
              resolve();
            });
            if (ws.readyState === ws.OPEN) ws.close(CLOSE_CODES.goingAway, "server shutting down");
          }),
      ),
    );
    this.#wss.close();
  }
}
