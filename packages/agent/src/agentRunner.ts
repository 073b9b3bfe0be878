// AgentRunner: the runner's public API and its control socket's state machine (connecting,
// registered, reconnecting, draining, closed): register and heartbeat, job.assign → job.ack,
// job.cancel, backoff with the same worker_id, fatal closes, drain. Over 400 lines on
// purpose: every transition of the control socket is here, to be read top to bottom; what
// stands alone lives beside it — options (options.ts), one call (call.ts), the bridge socket
// (internal/bridge.ts), backoff (internal/backoff.ts), replies (internal/replies.ts).
import {
  DEFAULT_HEARTBEAT_INTERVAL_S,
  type Duration,
  encodeRunnerFrame,
  type JobAssignFrame,
  type JobRefusalReason,
  type OrchestratorControlFrame,
  parseOrchestratorFrame,
  RUNNER_CLOSE_CODES,
  type RunnerControlFrame,
  UnpodConnectionError,
  UnpodSessionError,
} from "@unpod/core";
import { polyfillAsyncDispose } from "@unpod/core/internal";
import type { WebSocket as WsSocket } from "ws";
import { AgentCall } from "./call.js";
import { backoffDelay } from "./internal/backoff.js";
import { bridgeUrl, dialBridge } from "./internal/bridge.js";
import { sleep } from "./internal/clock.js";
import { Emitter } from "./internal/emitter.js";
import { loadWs, MAX_PAYLOAD } from "./internal/ws.js";
import {
  type AgentRunnerOptions,
  drainTimeoutMs,
  type ResolvedRunnerOptions,
  resolveRunnerOptions,
} from "./options.js";
import type { AgentReply } from "./turn.js";

/** The orchestrator must answer `register` within this long, or the runner reconnects. */
export const REGISTER_TIMEOUT_MS = 10_000;

/**
 * Where a runner is:
 * `idle` (made, not running) → `connecting` → `registered` ⇄ `reconnecting` →
 * `draining` (after `close()`: no new calls, live ones finish) → `closed`.
 */
export type RunnerState =
  | "idle"
  | "connecting"
  | "registered"
  | "reconnecting"
  | "draining"
  | "closed";

/** Events of an {@link AgentRunner}, by name. */
export interface RunnerEvents {
  /** The runner's state changed. */
  state: {
    /** The new state. */
    state: RunnerState;
    /** The state before. */
    previous: RunnerState;
  };
  /** The orchestrator accepted `register` (after every reconnect too). */
  registered: {
    /** The runner's `worker_id`. */
    workerId: string;
    /** Seconds between heartbeats, as the orchestrator asked. */
    heartbeatIntervalS: number;
  };
  /** The control socket closed and the runner will reconnect after `delayMs`. */
  disconnected: {
    /** The close code (1006 for a drop), or the HTTP status of a refused upgrade. */
    code: number;
    /** The close reason, if any. */
    reason: string;
    /** 1 for the first reconnect in a row, 2 for the next… */
    attempt: number;
    /** The backoff before it, in ms. */
    delayMs: number;
  };
  /** A `job.assign` was answered. */
  job: {
    /** The job. */
    jobId: string;
    /** Its call. */
    callId: string;
    /** Whether the runner took it. */
    accepted: boolean;
    /** Why not: `agent_id_mismatch`, `at_capacity`, `bad_bridge_url`, `duplicate_job`. */
    reason?: JobRefusalReason | (string & {}) | undefined;
  };
  /** A call started (its bridge is up, `call.started` arrived); your handler runs on it. */
  call: {
    /** The call. */
    call: AgentCall;
  };
  /**
   * Something failed without stopping the runner: a bridge refused or lost before its call
   * started, or your code (a turn handler, a reply, an entrypoint) threw. `error` is an
   * `UnpodError` for the former and your own error for the latter.
   */
  error: {
    /** What was thrown or reported. */
    error: unknown;
    /** The call it concerns, if any. */
    callId?: string | undefined;
    /** The turn it concerns, if any. */
    turnId?: string | undefined;
  };
}

/** Why this runner refuses a job: the reference's two reasons, and two of its own. */
type Refusal = JobRefusalReason | "bad_bridge_url" | "duplicate_job";

interface Job {
  callId: string;
  /** Fires to stop dialling (job.cancel, or the runner closing). */
  abort: AbortController;
  call?: AgentCall;
}

const INSPECT = Symbol.for("nodejs.util.inspect.custom");

/**
 * Runs your agent: connects to Unpod's orchestrator (the control socket), takes the calls
 * it assigns (up to `maxSessions` at once), dials each call's bridge, and answers every
 * user turn with your `onTurn` handler — or hands the whole call to your `entrypoint`.
 * Reconnects with backoff when the orchestrator goes away (calls go on meanwhile); a
 * refused credential (4001) or policy close (1008) stops it with a typed error.
 *
 * The credential lives in a private field: it never appears in errors, log lines,
 * `JSON.stringify(runner)` or `util.inspect(runner)`.
 *
 * @example
 * ```ts
 * import { AgentRunner } from "@unpod/agent";
 *
 * // UNPOD_API_TOKEN and UNPOD_ORG_HANDLE (or a secretKey), and UNPOD_BASE_URL or
 * // UNPOD_ORCHESTRATOR_URL come from the environment when not passed.
 * const runner = new AgentRunner({
 *   agentId: "support",
 *   async *onTurn(turn, call) {
 *     yield `You said: ${turn.text}. `;
 *     if (!turn.signal.aborted) yield `That was turn ${turn.index} of call ${call.callId}.`;
 *   },
 * });
 * process.once("SIGTERM", () => void runner.close()); // drain, then exit
 * await runner.run();
 * ```
 */
export class AgentRunner {
  readonly #o: ResolvedRunnerOptions;
  readonly #events: Emitter<RunnerEvents>;
  readonly #jobs = new Map<string, Job>();
  #state: RunnerState = "idle";
  #ws: WsSocket | undefined;
  #attempt = 0;
  #reconnectTimer: unknown;
  #heartbeatTimer: unknown;
  #registerTimer: unknown;
  #awaitingPong = false;
  #run: { promise: Promise<void>; resolve(): void; reject(error: unknown): void } | undefined;
  #closing: Promise<void> | undefined;
  #drained: (() => void) | undefined;
  /**
   * `await using runner = new AgentRunner(…)`: {@link AgentRunner.close} (with its drain) on
   * scope exit. Where the runtime lacks `Symbol.asyncDispose`, the SDK defines it first.
   */
  declare readonly [Symbol.asyncDispose]: () => Promise<void>;

  /**
   * @param options - `agentId`, one of `onTurn` and `entrypoint`, credentials, limits.
   * @throws {@link UnpodArgumentError} naming the option: no credential (neither `apiToken`
   *   + `orgHandle` nor `secretKey`, nor `UNPOD_API_TOKEN` + `UNPOD_ORG_HANDLE`), both or
   *   neither of `onTurn` and `entrypoint`, a plain `ws://` orchestrator that is not
   *   loopback, an out-of-range limit.
   */
  constructor(options: AgentRunnerOptions) {
    this.#o = resolveRunnerOptions(options);
    this.#events = new Emitter((error) =>
      this.#o.logger.warn?.("a runner listener threw", { error: String(error) }),
    );
  }

  /** The agent this runner serves. */
  get agentId(): string {
    return this.#o.agentId;
  }

  /** `"<agentId>#<8 hex>"`: the runner's id, kept across reconnects. */
  get workerId(): string {
    return this.#o.workerId;
  }

  /** Where the runner is. */
  get state(): RunnerState {
    return this.#state;
  }

  /** Calls accepted and not ended (being dialled or live). */
  get activeCalls(): number {
    return this.#jobs.size;
  }

  /**
   * Listens to an event of the runner.
   *
   * @param type - `state`, `registered`, `disconnected`, `job`, `call` or `error`.
   * @param listener - Called with the event's payload.
   * @returns A function that removes the listener.
   */
  on<K extends keyof RunnerEvents>(
    type: K,
    listener: (payload: RunnerEvents[K]) => void,
  ): () => void {
    return this.#events.on(type, listener);
  }

  /**
   * Connects and serves calls until {@link AgentRunner.close} (then resolves) or a fatal
   * error (then rejects). Calling it again returns the same promise.
   *
   * @returns Resolves once closed and drained.
   * @throws {@link UnpodSessionError} `unauthorized` (4001, or HTTP 401: the credential was
   *   refused), `forbidden` (1008 policy close, or HTTP 403), `protocol_error` (an
   *   orchestrator that cannot bridge by dial-out, or another HTTP refusal);
   *   {@link UnpodConnectionError} `network_error` after `maxReconnectAttempts` failed
   *   reconnects.
   */
  run(): Promise<void> {
    if (this.#run) return this.#run.promise;
    let resolve!: () => void;
    let reject!: (error: unknown) => void;
    const promise = new Promise<void>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    this.#run = { promise, resolve, reject };
    if (this.#state === "closed") resolve();
    else void this.#connect();
    return promise;
  }

  /**
   * Stops taking calls and lets the live ones finish, up to the drain timeout; then ends
   * the rest (their turns' signals fire with `runner_closed`) and resolves. `run()`
   * resolves too. SIGTERM handling is yours, one line:
   * `process.once("SIGTERM", () => void runner.close())`.
   *
   * @param options - `drainTimeout` overrides the runner's for this close.
   * @returns Resolves when every call has ended. Calling it again returns the same promise.
   * @throws {@link UnpodArgumentError} `drainTimeout` when it is not a duration.
   */
  close(options: { drainTimeout?: Duration | undefined } = {}): Promise<void> {
    if (this.#closing) return this.#closing;
    const drainMs =
      options.drainTimeout === undefined
        ? this.#o.drainTimeoutMs
        : drainTimeoutMs(options.drainTimeout);
    this.#closing = this.#drain(drainMs);
    return this.#closing;
  }

  /**
   * A credential-free description, for logs and `JSON.stringify`.
   *
   * @returns Agent, worker id, pool, control URL, auth scheme, state, load.
   */
  toJSON(): Record<string, unknown> {
    const { auth } = this.#o;
    return {
      agentId: this.#o.agentId,
      workerId: this.#o.workerId,
      pool: this.#o.pool,
      controlUrl: this.#o.controlUrl,
      auth: `${auth.scheme} [redacted]`,
      ...(auth.scheme === "Token" ? { orgHandle: auth.orgHandle } : {}),
      state: this.#state,
      activeCalls: this.#jobs.size,
      maxSessions: this.#o.maxSessions,
    };
  }

  /**
   * What `util.inspect` and `console.log` show: {@link AgentRunner.toJSON}.
   *
   * @param _depth - Remaining depth (from `util.inspect`).
   * @param options - Inspect options (from `util.inspect`).
   * @param inspect - Node's `util.inspect`.
   * @returns A credential-free description.
   */
  [INSPECT](
    _depth: number,
    options: object,
    inspect?: (value: unknown, options: object) => string,
  ): string {
    const shown = inspect ? inspect(this.toJSON(), options) : JSON.stringify(this.toJSON());
    return `AgentRunner ${shown}`;
  }

  // ---- the control socket ----

  #setState(state: RunnerState): void {
    const previous = this.#state;
    if (previous === state) return;
    this.#state = state;
    this.#events.emit("state", { state, previous });
  }

  #headers(): Record<string, string> {
    const { auth } = this.#o;
    return auth.scheme === "Bearer"
      ? { Authorization: `Bearer ${auth.token}` }
      : { Authorization: `Token ${auth.token}`, "Org-Handle": auth.orgHandle };
  }

  #send(frame: RunnerControlFrame): void {
    const ws = this.#ws;
    if (ws && ws.readyState === ws.OPEN) ws.send(encodeRunnerFrame(frame));
  }

  async #connect(): Promise<void> {
    const WebSocket = await loadWs();
    if (this.#state === "draining" || this.#state === "closed") return;
    if (this.#state === "idle") this.#setState("connecting");
    const clock = this.#o.clock;
    const ws = new WebSocket(this.#o.controlUrl, {
      headers: this.#headers(),
      handshakeTimeout: REGISTER_TIMEOUT_MS,
      maxPayload: MAX_PAYLOAD,
      perMessageDeflate: false,
    });
    this.#ws = ws;
    let httpStatus: number | undefined;
    ws.on("unexpected-response", (_req, res) => {
      httpStatus = res.statusCode;
      res.resume();
      ws.terminate();
    });
    ws.on("error", (error: NodeJS.ErrnoException) => {
      this.#o.logger.debug?.("control socket error", { code: error.code });
    });
    ws.on("open", () => {
      const { region, hostname } = this.#o;
      this.#send({
        type: "register",
        worker_id: this.#o.workerId,
        pool: this.#o.pool,
        capabilities: {
          voice_profiles: this.#o.voiceProfiles,
          max_concurrent: this.#o.maxSessions,
          agent_id: this.#o.agentId,
          transport: "dial_out",
          kind: "brain",
          ...(hostname === undefined ? {} : { hostname }),
          ...(region === undefined ? {} : { region }),
        },
      });
      this.#registerTimer = clock.setTimeout(() => {
        this.#o.logger.warn?.("no answer to register: reconnecting");
        ws.terminate();
      }, REGISTER_TIMEOUT_MS);
    });
    ws.on("pong", () => {
      this.#awaitingPong = false;
    });
    ws.on("message", (data, isBinary) => {
      let frame: OrchestratorControlFrame | null;
      try {
        frame = parseOrchestratorFrame(isBinary ? undefined : String(data));
      } catch (error) {
        this.#o.logger.warn?.("control frame ignored", {
          reason: (error as UnpodSessionError).reason,
        });
        return;
      }
      if (frame) this.#frame(frame);
    });
    ws.on("close", (code, reason) => this.#closed(ws, code, String(reason), httpStatus));
  }

  #frame(frame: OrchestratorControlFrame): void {
    switch (frame.type) {
      case "registered": {
        this.#o.clock.clearTimeout(this.#registerTimer);
        if (frame.transport_ack !== "dial_out") {
          this.#fatal(
            new UnpodSessionError(
              "protocol_error",
              "The orchestrator does not bridge calls by dial-out (no transport_ack): it is too old for this runner.",
              { reason: "transport_unsupported" },
            ),
          );
          return;
        }
        const intervalS = frame.heartbeat_interval_s ?? DEFAULT_HEARTBEAT_INTERVAL_S;
        this.#attempt = 0;
        this.#setState("registered");
        this.#o.logger.info?.("runner registered", {
          workerId: this.#o.workerId,
          heartbeatIntervalS: intervalS,
        });
        this.#events.emit("registered", {
          workerId: this.#o.workerId,
          heartbeatIntervalS: intervalS,
        });
        this.#awaitingPong = false;
        this.#scheduleHeartbeat(intervalS * 1000);
        return;
      }
      case "job.assign":
        this.#assign(frame);
        return;
      case "job.cancel":
        this.#cancel(frame.job_id);
        return;
    }
  }

  #scheduleHeartbeat(intervalMs: number): void {
    this.#o.clock.clearTimeout(this.#heartbeatTimer);
    this.#heartbeatTimer = this.#o.clock.setTimeout(() => {
      const ws = this.#ws;
      if (!ws || ws.readyState !== ws.OPEN) return;
      if (this.#awaitingPong) {
        // No pong for a whole interval: the connection is dead without knowing it.
        this.#o.logger.warn?.("control socket silent: reconnecting");
        ws.terminate();
        return;
      }
      this.#send({ type: "heartbeat", active_jobs: this.#jobs.size, worker_id: this.#o.workerId });
      this.#awaitingPong = true;
      ws.ping();
      this.#scheduleHeartbeat(intervalMs);
    }, intervalMs);
  }

  #closed(ws: WsSocket, code: number, reason: string, httpStatus: number | undefined): void {
    if (this.#ws !== ws) return;
    this.#ws = undefined;
    const clock = this.#o.clock;
    clock.clearTimeout(this.#heartbeatTimer);
    clock.clearTimeout(this.#registerTimer);
    if (this.#state === "draining" || this.#state === "closed") return;
    const why = reason ? `: ${reason}` : "";
    if (code === RUNNER_CLOSE_CODES.credentialRefused || httpStatus === 401) {
      this.#fatal(
        new UnpodSessionError(
          "unauthorized",
          `The orchestrator refused the runner's credential (${httpStatus ? `HTTP ${httpStatus}` : `4001${why}`}): check apiToken and orgHandle, or secretKey.`,
          { closeCode: httpStatus ? undefined : code, reason: "credential_refused" },
        ),
      );
      return;
    }
    if (code === RUNNER_CLOSE_CODES.policy || httpStatus === 403) {
      this.#fatal(
        new UnpodSessionError(
          "forbidden",
          `The orchestrator closed the runner for a policy violation (${httpStatus ? `HTTP ${httpStatus}` : `1008${why}`}).`,
          { closeCode: httpStatus ? undefined : code, reason: "policy" },
        ),
      );
      return;
    }
    if (
      httpStatus !== undefined &&
      httpStatus >= 400 &&
      httpStatus < 500 &&
      httpStatus !== 408 &&
      httpStatus !== 429
    ) {
      this.#fatal(
        new UnpodSessionError(
          "protocol_error",
          `The orchestrator answered HTTP ${httpStatus} instead of a WebSocket: check orchestratorUrl.`,
          { reason: "http_status" },
        ),
      );
      return;
    }
    this.#attempt += 1;
    if (this.#attempt > this.#o.maxReconnectAttempts) {
      this.#fatal(
        new UnpodConnectionError(
          "network_error",
          `The orchestrator could not be reached after ${this.#o.maxReconnectAttempts} reconnects.`,
        ),
      );
      return;
    }
    const delayMs = backoffDelay(this.#attempt, Math.random());
    this.#setState("reconnecting");
    this.#o.logger.info?.("control socket closed: reconnecting", {
      code,
      attempt: this.#attempt,
      delayMs,
    });
    this.#events.emit("disconnected", {
      code: httpStatus ?? code,
      reason,
      attempt: this.#attempt,
      delayMs,
    });
    this.#reconnectTimer = clock.setTimeout(() => void this.#connect(), delayMs);
  }

  // ---- jobs and calls ----

  #ack(job: JobAssignFrame, reason?: Refusal): void {
    const accepted = reason === undefined;
    this.#send({
      type: "job.ack",
      job_id: job.job_id,
      assign_id: job.assign_id,
      accepted,
      ...(accepted ? {} : { reason }),
    });
    if (!accepted) this.#o.logger.info?.("job refused", { jobId: job.job_id, reason });
    this.#events.emit("job", { jobId: job.job_id, callId: job.call_id, accepted, reason });
  }

  #assign(job: JobAssignFrame): void {
    const url = bridgeUrl(job, this.#o.allowInsecure);
    let refusal: Refusal | undefined;
    if (job.agent_id !== this.#o.agentId) refusal = "agent_id_mismatch";
    else if (this.#state !== "registered" || this.#jobs.size >= this.#o.maxSessions) {
      refusal = "at_capacity";
    } else if (this.#jobs.has(job.job_id)) refusal = "duplicate_job";
    else if (!url) {
      refusal = "bad_bridge_url";
      this.#events.emit("error", {
        error: new UnpodSessionError(
          "protocol_error",
          `Call ${job.call_id}'s bridge_url is not ws(s):// (or plain ws:// to a host that is not loopback).`,
          { reason: "bad_bridge_url" },
        ),
        callId: job.call_id,
      });
    }
    if (refusal !== undefined || url === undefined) {
      this.#ack(job, refusal);
      return;
    }
    const entry: Job = { callId: job.call_id, abort: new AbortController() };
    this.#jobs.set(job.job_id, entry);
    this.#ack(job);
    void this.#start(job, url, entry);
  }

  async #start(job: JobAssignFrame, url: string, entry: Job): Promise<void> {
    const { clock, logger } = this.#o;
    let dialled: Awaited<ReturnType<typeof dialBridge>>;
    try {
      dialled = await dialBridge(job, url, { clock, logger, signal: entry.abort.signal });
    } catch (error) {
      this.#jobs.delete(job.job_id);
      if (!entry.abort.signal.aborted) {
        logger.warn?.("bridge failed", { callId: job.call_id, error: String(error) });
        this.#events.emit("error", { error, callId: job.call_id });
      }
      this.#checkDrained();
      return;
    }
    const call = new AgentCall({
      agentId: this.#o.agentId,
      jobId: job.job_id,
      ack: dialled.ack,
      started: dialled.started,
      link: dialled.link,
      clock,
      logger,
      onEnd: () => {
        this.#jobs.delete(job.job_id);
        this.#checkDrained();
      },
      onError: (error, c, turnId) =>
        this.#events.emit("error", { error, callId: c.callId, turnId }),
    });
    entry.call = call;
    if (entry.abort.signal.aborted) {
      call.cancel();
      return;
    }
    logger.info?.("call started", { callId: call.callId, jobId: job.job_id });
    this.#events.emit("call", { call });
    const handler = this.#o.handler;
    if (handler.kind === "call") {
      // The entrypoint's synchronous start (where it adds its listeners) runs before the
      // call's first event is delivered.
      let running: Promise<void>;
      try {
        running = Promise.resolve(handler.entrypoint(call));
      } catch (error) {
        running = Promise.reject(error);
      }
      running.catch((error: unknown) => call.fail(error, undefined));
      call.start();
      return;
    }
    call.start();
    for await (const turn of call.turns()) {
      let reply: AgentReply | Promise<AgentReply>;
      try {
        reply = handler.onTurn(turn, call);
      } catch (error) {
        reply = Promise.reject(error);
      }
      await turn.reply(reply);
    }
  }

  #cancel(jobId: string): void {
    const entry = this.#jobs.get(jobId);
    if (!entry) {
      this.#o.logger.debug?.("job.cancel for an unknown job", { jobId });
      return;
    }
    this.#o.logger.info?.("job cancelled", { jobId, callId: entry.callId });
    if (entry.call) entry.call.cancel();
    else entry.abort.abort();
  }

  #checkDrained(): void {
    if (this.#jobs.size === 0) this.#drained?.();
  }

  async #drain(drainMs: number): Promise<void> {
    if (this.#state === "closed") return;
    const running = this.#state !== "idle";
    this.#setState("draining");
    this.#stopTimers();
    const clock = this.#o.clock;
    const ws = this.#ws;
    this.#ws = undefined;
    // The orchestrator stops assigning once the control socket is gone; bridges go on.
    if (ws && (ws.readyState === ws.OPEN || ws.readyState === ws.CONNECTING))
      ws.close(1000, "draining");
    if (this.#jobs.size > 0) {
      this.#o.logger.info?.("draining", { activeCalls: this.#jobs.size, drainMs });
      const drained = new Promise<void>((resolve) => {
        this.#drained = resolve;
      });
      await Promise.race([drained, sleep(clock, drainMs)]);
    }
    this.#endAll();
    this.#setState("closed");
    if (running) this.#o.logger.info?.("runner closed", { workerId: this.#o.workerId });
    this.#run?.resolve();
  }

  #stopTimers(): void {
    const clock = this.#o.clock;
    clock.clearTimeout(this.#reconnectTimer);
    clock.clearTimeout(this.#heartbeatTimer);
    clock.clearTimeout(this.#registerTimer);
  }

  #endAll(): void {
    for (const entry of [...this.#jobs.values()]) {
      if (entry.call) entry.call.shutdown("runner_closed");
      else entry.abort.abort();
    }
    this.#jobs.clear();
  }

  #fatal(error: UnpodSessionError | UnpodConnectionError): void {
    if (this.#state === "closed") return;
    this.#o.logger.error?.("runner stopped", { code: error.code, message: error.message });
    this.#stopTimers();
    const ws = this.#ws;
    this.#ws = undefined;
    ws?.terminate();
    this.#endAll();
    this.#setState("closed");
    this.#closing ??= Promise.resolve();
    this.#run?.reject(error);
  }
}

// The SDK's one polyfill (core): the native symbol where there is one, else the registered
// `Symbol.for("Symbol.asyncDispose")` every Unpod package and TypeScript's `await using` agree on.
Object.defineProperty(AgentRunner.prototype, polyfillAsyncDispose(), {
  value(this: AgentRunner) {
    return this.close();
  },
  writable: true,
  configurable: true,
});
