// The orchestrator's side of one call's bridge: the pairing with its job, the hello →
// hello.ack → call.started handshake (4003/4009 refusals), user turns queued until the bridge
// is ready, the runner's verbs turned into real-time frames and speech, and the record
// `server.workers.calls()` shows. Over 400 lines on purpose: one call's state machine, read
// in one place; turn bookkeeping is turns.ts, the session's side sessionAgent.ts.
import type { Clock, Logger } from "@unpod/core";
import {
  BRIDGE_EVENTS,
  BRIDGE_PAIRING_WINDOW_MS,
  BRIDGE_VERBS,
  type BridgeAgentState,
  type BridgeEvent,
  type BridgeVerb,
  CLOSE_CODES,
  encodeRunnerFrame,
  parseBridgeVerb,
  RUNNER_CLOSE_CODES,
  RUNNER_PROTOCOL_VERSION,
  UnpodSessionError,
} from "@unpod/core";
import type { RawData, WebSocket } from "ws";
import { constantTimeEqual } from "../internal/secure.js";
import { TurnBook, type TurnBookHost } from "./turns.js";
import type { RunnerCallInfo, SessionPort } from "./types.js";
import type { Worker } from "./worker.js";

/** A runner has this long after the bridge opens to send `hello`. */
export const HELLO_TIMEOUT_MS = 10_000;
/** User turns waiting for the bridge, at most; older ones are answered with an error. */
const MAX_PENDING_TURNS = 16;
/** Malformed verbs a bridge may send before it is closed with 1008. */
const MAX_VIOLATIONS = 5;
/** Verbs (other than text) a call remembers for `server.workers.calls()`. */
const VERB_LOG = 100;
/** How long a hang-up or hand-over waits for the replies still streaming. */
const AFTER_TURNS_MS = 10_000;

/** What a call needs from the orchestrator. */
export interface CallHost {
  readonly clock: Clock;
  readonly logger: Logger;
  /** The call ended: forget it. */
  ended(call: RunnerCall): void;
}

/** What a call is made of. */
export interface CallInit {
  callId: string;
  /** The bridge's secret (`?token=`). */
  token: string;
  agentId: string;
  metadata: Record<string, unknown>;
  voiceProfileId?: string | undefined;
  /** The session it serves; none for a call made by `server.workers.assign()`. */
  port?: SessionPort | undefined;
  /** The call ended; `reason` says why (`end_call`, `bridge_closed`, `unassigned`…). */
  onEnd?(reason: string): void;
  /** The runner handed the call to another agent (`agent.dispatch`, or a transfer to an agent). */
  onDispatch?(agentId: string, metadata: Record<string, unknown>): void;
}

type Phase = RunnerCallInfo["phase"];

/**
 * The dev server's side of one call served by a runner: the job (assigned, accepted), its
 * bridge socket (`hello` → `hello.ack` → `call.started`), the user's turns going in and the
 * runner's verbs coming out. Turns that arrive before the bridge is up wait (at most 16).
 */
export class RunnerCall implements TurnBookHost {
  readonly id: string;
  readonly token: string;
  readonly agentId: string;
  readonly metadata: Record<string, unknown>;
  readonly clock: Clock;
  #phase: Phase = "assigning";
  #endReason: string | undefined;
  #worker: Worker | undefined;
  #jobId: string | undefined;
  #assignedAt: number;
  #pairTimer: unknown;
  #bridge: WebSocket | undefined;
  #violations = 0;
  #verbs = new Set<string>();
  #says = 0;
  readonly #init: CallInit;
  readonly #host: CallHost;
  readonly #turns: TurnBook;
  readonly #pending: { turnId: string; text: string }[] = [];
  readonly #verbLog: Record<string, unknown>[] = [];
  #dials = 0;
  readonly #refusals: number[] = [];
  /** What waits for the open turns' `agent.text.end` (a hang-up, a hand-over). */
  readonly #afterTurns: (() => void)[] = [];
  #afterTurnsTimer: unknown;

  constructor(init: CallInit, host: CallHost) {
    this.id = init.callId;
    this.token = init.token;
    this.agentId = init.agentId;
    this.metadata = init.metadata;
    this.clock = host.clock;
    this.#init = init;
    this.#host = host;
    this.#assignedAt = host.clock.now();
    this.#turns = new TurnBook(this);
  }

  /** {@inheritDoc TurnBookHost.callId} */
  get callId(): string {
    return this.id;
  }

  /** Where the call is. */
  get phase(): Phase {
    return this.#phase;
  }

  /** The session it serves. */
  port(): SessionPort | undefined {
    return this.#init.port;
  }

  /** The runner serving it. */
  get worker(): Worker | undefined {
    return this.#worker;
  }

  /** The accepted job. */
  get jobId(): string | undefined {
    return this.#jobId;
  }

  /** A `job.assign` went out for this call: the bridge may be dialled from now on. */
  assigning(): void {
    this.#assignedAt = this.clock.now();
  }

  /**
   * A runner accepted the job: the bridge must be dialled within
   * {@link BRIDGE_PAIRING_WINDOW_MS} of the assignment.
   */
  accepted(worker: Worker, jobId: string): void {
    if (this.#phase === "ended") {
      // Ended while the assignment was out (the session left): the runner must not dial.
      worker.send({ type: "job.cancel", job_id: jobId });
      return;
    }
    this.#worker = worker;
    this.#jobId = jobId;
    worker.calls.add(this);
    if (this.#phase === "live") return; // the bridge beat the ack
    this.#phase = "awaiting_bridge";
    const left = BRIDGE_PAIRING_WINDOW_MS - (this.clock.now() - this.#assignedAt);
    this.#pairTimer = this.clock.setTimeout(
      () => {
        if (this.#phase === "awaiting_bridge") this.end("bridge_not_dialled");
      },
      Math.max(0, left),
    );
  }

  /**
   * A bridge dialled for this call. Refused with 4003 (ended call, wrong token, pairing
   * window passed) or 4009 (a bridge is live); otherwise the handshake starts.
   */
  attachBridge(ws: WebSocket, token: string): void {
    this.#dials += 1;
    const refusal = this.#refusal(token);
    if (refusal) {
      this.#refusals.push(refusal.code);
      this.#host.logger.info?.("runner bridge refused", { callId: this.id, ...refusal });
      ws.close(refusal.code, refusal.reason);
      return;
    }
    this.#bridge = ws;
    ws.on("error", () => {});
    ws.on("close", () => {
      if (this.#bridge !== ws) return;
      this.#bridge = undefined;
      this.end("bridge_closed");
    });
    const helloTimer = this.clock.setTimeout(() => {
      if (ws.readyState === ws.OPEN) ws.close(RUNNER_CLOSE_CODES.policy, "hello expected");
    }, HELLO_TIMEOUT_MS);
    let greeted = false;
    ws.on("message", (data: RawData, isBinary: boolean) => {
      if (this.#bridge !== ws || this.#phase === "ended") return;
      let verb: BridgeVerb;
      try {
        verb = parseBridgeVerb(isBinary ? undefined : String(data));
      } catch (error) {
        const reason = error instanceof UnpodSessionError ? error.reason : undefined;
        this.#violation(reason === "unknown_type" ? "unknown_verb" : "bad_verb", String(error));
        return;
      }
      if (!greeted) {
        if (verb.event !== "hello") {
          ws.close(RUNNER_CLOSE_CODES.policy, "hello expected first");
          return;
        }
        greeted = true;
        this.clock.clearTimeout(helloTimer);
        this.#hello(verb);
        return;
      }
      this.#verb(verb);
    });
  }

  /** Why a bridge dial is refused (4003, 4009), or `undefined`. */
  #refusal(token: string): { code: number; reason: string } | undefined {
    const refused = RUNNER_CLOSE_CODES.bridgeRefused;
    if (!constantTimeEqual(token, this.token)) return { code: refused, reason: "bad call token" };
    if (this.#phase === "ended") return { code: refused, reason: "unknown call" };
    if (this.#bridge)
      return { code: RUNNER_CLOSE_CODES.bridgeInUse, reason: "bridge already live" };
    if (this.clock.now() - this.#assignedAt > BRIDGE_PAIRING_WINDOW_MS) {
      return { code: refused, reason: "pairing expired" };
    }
    return undefined;
  }

  #hello(hello: Extract<BridgeVerb, { event: "hello" }>): void {
    const ws = this.#bridge as WebSocket;
    if (hello.protocol_version !== RUNNER_PROTOCOL_VERSION) {
      ws.close(RUNNER_CLOSE_CODES.policy, `protocol_version ${RUNNER_PROTOCOL_VERSION} only`);
      return;
    }
    const events = BRIDGE_EVENTS.filter((e) => hello.supported_events.includes(e));
    const verbs = BRIDGE_VERBS.filter((v) => hello.supported_verbs.includes(v));
    this.#verbs = new Set(verbs);
    this.clock.clearTimeout(this.#pairTimer);
    this.#phase = "live";
    const port = this.#init.port;
    this.send({
      event: "hello.ack",
      protocol_version: RUNNER_PROTOCOL_VERSION,
      negotiated_events: [...events],
      negotiated_verbs: [...verbs],
      call_id: this.id,
      session_id: port?.sessionId ?? `none-${this.id}`,
      job_id: this.#jobId ?? "unknown",
      room_id: port?.room ?? "none",
    });
    this.send({
      event: "call.started",
      session_id: port?.sessionId ?? `none-${this.id}`,
      job_id: this.#jobId ?? "unknown",
      room_id: port?.room ?? "none",
      metadata: this.metadata,
      agent_id: this.agentId,
      ...(this.#init.voiceProfileId ? { voice_profile_id: this.#init.voiceProfileId } : {}),
    });
    this.#host.logger.info?.("runner call live", { callId: this.id, jobId: this.#jobId });
    for (const turn of this.#pending.splice(0)) this.userTurn(turn.turnId, turn.text);
  }

  #verb(verb: BridgeVerb): void {
    if (verb.event === "hello") {
      this.warn("bad_verb", "hello was already received.");
      return;
    }
    if (!this.#verbs.has(verb.event)) {
      this.warn("not_negotiated", `${verb.event} was not in the runner's hello.`);
      return;
    }
    switch (verb.event) {
      case "agent.text.delta":
        this.#turns.delta(verb.text);
        return;
      case "agent.text.end":
        this.#turns.end();
        if (this.#turns.openCount === 0) this.#runAfterTurns();
        return;
      default:
        break;
    }
    const { event, ...fields } = verb;
    this.#verbLog.push({ event, ...fields });
    if (this.#verbLog.length > VERB_LOG) this.#verbLog.shift();
    const port = this.#init.port;
    switch (verb.event) {
      case "agent.say":
        this.#says += 1;
        port?.say(`${this.id}-say-${this.#says}`, verb.text);
        return;
      case "agent.end_call":
        this.#host.logger.info?.("runner ended the call", { callId: this.id, reason: verb.reason });
        this.#whenTurnsEnd(() => {
          if (port) port.end();
          else this.end("end_call");
        });
        return;
      case "agent.dispatch":
        this.#whenTurnsEnd(() => this.#init.onDispatch?.(verb.agent_id, verb.metadata));
        return;
      case "agent.transfer":
        if (verb.announcement.trim() !== "") {
          this.#says += 1;
          port?.say(`${this.id}-say-${this.#says}`, verb.announcement);
        }
        if (verb.transfer_type === "agent") {
          const to = verb.target;
          this.#whenTurnsEnd(() => this.#init.onDispatch?.(to, { transferred_from: this.agentId }));
        } else {
          this.warn(
            "not_supported",
            `The dev server has no telephony: the ${verb.transfer_type} transfer was recorded (server.workers.calls()), not carried out.`,
          );
        }
        return;
      default:
        this.warn(
          "not_supported",
          `The dev server records ${verb.event} but does not carry it out.`,
        );
    }
  }

  /**
   * Runs `action` once the replies still streaming have ended (or after
   * {@link AFTER_TURNS_MS}): an agent that says "goodbye" and hangs up in the same turn is
   * heard saying it.
   */
  #whenTurnsEnd(action: () => void): void {
    if (this.#turns.openCount === 0) {
      action();
      return;
    }
    this.#afterTurns.push(action);
    this.#afterTurnsTimer ??= this.clock.setTimeout(() => this.#runAfterTurns(), AFTER_TURNS_MS);
  }

  #runAfterTurns(): void {
    this.clock.clearTimeout(this.#afterTurnsTimer);
    this.#afterTurnsTimer = undefined;
    for (const action of this.#afterTurns.splice(0)) {
      if (this.#phase !== "ended") action();
    }
  }

  #violation(code: string, message: string): void {
    this.warn(code, message);
    if (code === "unknown_verb") return; // a newer runner is not a broken one
    this.#violations += 1;
    if (this.#violations >= MAX_VIOLATIONS) {
      this.#bridge?.close(RUNNER_CLOSE_CODES.policy, "protocol violations");
    }
  }

  /** {@inheritDoc TurnBookHost.send} */
  send(event: BridgeEvent): void {
    const ws = this.#bridge;
    if (ws && ws.readyState === ws.OPEN) ws.send(encodeRunnerFrame(event));
  }

  /** {@inheritDoc TurnBookHost.warn} */
  warn(code: string, message: string): void {
    this.send({ event: "error", severity: "warn", source: "internal", code, message });
  }

  /**
   * A final user turn: goes to the runner as `user.text` (once the call is live). A turn the
   * agent is still answering is interrupted first, with what the session has shown of it.
   */
  userTurn(turnId: string, text: string): void {
    if (this.#phase === "ended") return;
    if (this.#phase !== "live") {
      if (this.#pending.length >= MAX_PENDING_TURNS) {
        this.#pending.shift();
        this.#init.port?.error("agent_busy", "Too many turns wait for the agent; one was dropped.");
      }
      this.#pending.push({ turnId, text });
      return;
    }
    const current = this.#turns.current;
    if (current) this.#turns.interrupt(current.turnId, current.reply);
    this.#turns.open(turnId, text);
  }

  /** The user interrupted the agent's turn `turnId` (a barge-in, or the client's interrupt). */
  interrupted(turnId: string, heardPrefix: string | undefined): void {
    if (this.#phase === "live") this.#turns.interrupt(turnId, heardPrefix);
  }

  /** The voice agent's state changed: a `state` event. */
  agentState(state: BridgeAgentState, turnId: string | undefined): void {
    if (this.#phase !== "live") return;
    this.send(
      turnId === undefined ? { event: "state", state } : { event: "state", state, turn_id: turnId },
    );
  }

  /**
   * Ends the call: open turns are finalised for the session, the bridge is closed (1000),
   * the runner's slot is freed. Idempotent.
   */
  end(reason: string): void {
    if (this.#phase === "ended") return;
    const wasLive = this.#phase === "live";
    this.#phase = "ended";
    this.#endReason = reason;
    this.clock.clearTimeout(this.#pairTimer);
    this.clock.clearTimeout(this.#afterTurnsTimer);
    this.#afterTurns.length = 0;
    this.#turns.closeAll();
    const ws = this.#bridge;
    this.#bridge = undefined;
    if (ws && ws.readyState === ws.OPEN) ws.close(CLOSE_CODES.normal, reason);
    if (!wasLive && this.#worker && this.#jobId) {
      // Accepted but never bridged: the runner must not dial any more.
      this.#worker.send({ type: "job.cancel", job_id: this.#jobId });
    }
    this.#worker?.calls.delete(this);
    for (const turn of this.#pending.splice(0)) {
      this.#init.port?.error(
        "agent_unavailable",
        `No runner of agent "${this.agentId}" answered turn ${turn.turnId} (${reason}).`,
      );
    }
    this.#host.logger.info?.("runner call ended", { callId: this.id, reason });
    this.#host.ended(this);
    this.#init.onEnd?.(reason);
  }

  /** @returns What `server.workers.calls()` shows. */
  info(): RunnerCallInfo {
    return {
      callId: this.id,
      jobId: this.#jobId,
      workerId: this.#worker?.workerId,
      agentId: this.agentId,
      sessionId: this.#init.port?.sessionId,
      phase: this.#phase,
      endReason: this.#endReason,
      bridgeDials: this.#dials,
      bridgeRefusals: [...this.#refusals],
      turns: this.#turns.turns,
      verbs: this.#verbLog.map((v) => ({ ...v })),
    };
  }
}
