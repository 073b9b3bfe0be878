// AgentCall: one call on its bridge socket — the handshake's result, the turns it serves
// (each an AgentTurn with its AbortSignal), the verbs (say, transfer, end, dispatch, …), its
// history and typed events. Over 400 lines on purpose: a call's whole life (started, turns,
// interruptions, verbs, ended) is one state machine; the socket and framing are
// internal/bridge.ts, a turn's reply streaming is turn.ts and internal/replies.ts.
import type { Clock, Logger } from "@unpod/core";
import {
  type BridgeAgentState,
  type BridgeErrorSeverity,
  type BridgeErrorSource,
  type BridgeEvent,
  type BridgeHelloAckEvent,
  type CallStartedEvent,
  CLOSE_CODES,
  type EndCallReason,
  MAX_REPLY_TEXT,
  type TransferMode,
  UnpodArgumentError,
} from "@unpod/core";
import { invalidArgument } from "@unpod/core/internal";
import type { BridgeLink } from "./internal/bridge.js";
import { Emitter } from "./internal/emitter.js";
import { AgentTurn, type TurnAbortReason, type TurnResult, type TurnSink } from "./turn.js";

/** Entries of {@link AgentCall.history} kept, at most (the oldest go first). */
export const MAX_HISTORY = 200;
/** After `end()`, how long the runner waits for the orchestrator to close the bridge before it does. */
const END_GRACE_MS = 5_000;

/** One line of a call's conversation, as {@link AgentCall.history} keeps it. */
export interface CallHistoryEntry {
  /** Who spoke. */
  role: "user" | "agent";
  /**
   * What was said — for an interrupted agent turn, what the caller heard of it
   * (`heard_prefix`) when the orchestrator said.
   */
  text: string;
  /** The turn, for user turns and replies (a `say` has none). */
  turnId?: string | undefined;
  /** An agent reply the user cut short. */
  interrupted?: boolean | undefined;
}

/** Where {@link AgentCall.transfer} sends the call. */
export type TransferTarget = (
  | {
      /** A phone number. */
      to: "number";
      /** E.164, e.g. `+14155550100`. */
      number: string;
    }
  | {
      /** Another agent. */
      to: "agent";
      /** Its id. */
      agentId: string;
    }
  | {
      /** A human queue. */
      to: "human";
      /** The queue's name. */
      queue: string;
    }
) & {
  /** Cold hands the call over; warm keeps the agent on until the target joins. @defaultValue "cold" */
  mode?: TransferMode | undefined;
  /** Said to the caller first. */
  announcement?: string | undefined;
};

/** Why a call ended. */
export type CallEndReason =
  /** The orchestrator closed the bridge: the caller hung up, or `end()`, `dispatch()` or a transfer took effect. */
  | "ended"
  /** The orchestrator cancelled the job (`job.cancel`). */
  | "cancelled"
  /** The bridge dropped. */
  | "bridge_lost"
  /** The runner closed and its drain timeout passed. */
  | "runner_closed";

/** How a call ended: the `end` event, and what {@link AgentCall.done} resolves to. */
export interface CallEnd {
  /** Why. */
  reason: CallEndReason;
  /** The bridge's close code, when it closed. */
  code?: number | undefined;
  /** The close reason the orchestrator gave (e.g. `session_ended`, `dispatched`). */
  detail?: string | undefined;
}

/** The call's running figures (`metric`). */
export interface CallMetric {
  /** Time to first audio of the last turn, ms. */
  ttfaMs?: number | undefined;
  /** Speech recognition latency, 95th percentile, ms. */
  asrP95Ms?: number | undefined;
  /** Speech synthesis latency, 95th percentile, ms. */
  ttsP95Ms?: number | undefined;
  /** Turns so far. */
  turns: number;
  /** Cost so far, US dollars. */
  costUsdSoFar?: number | undefined;
}

/** One turn's figures (`turn.metrics`). */
export interface TurnMetrics {
  /** The turn. */
  turnId: string;
  /** User stopped speaking → first agent audio, ms. */
  ttfaMs?: number | undefined;
  /** Speech recognition, ms. */
  asrMs?: number | undefined;
  /** `user.text` → first delta, ms (your reply's time to first token, as the orchestrator saw it). */
  llmTtftMs?: number | undefined;
  /** First text → first audio, ms. */
  ttsTtfbMs?: number | undefined;
  /** Replies the turn took. */
  llmCallCount: number;
  /** `user.text` → `agent.text.end`, ms. */
  llmTotalMs?: number | undefined;
  /** Flow node left, for flow agents. */
  fromNode?: string | undefined;
  /** Flow node entered, for flow agents. */
  toNode?: string | undefined;
}

/** A problem the orchestrator reports on the speech side (`error` event of the bridge). */
export interface BridgeProblem {
  /** How bad. */
  severity: BridgeErrorSeverity;
  /** Where. */
  source: BridgeErrorSource;
  /** A short machine code. */
  code: string;
  /** A human-readable message. */
  message: string;
}

/** Events of an {@link AgentCall}, by name. */
export interface CallEvents {
  /** A partial transcript (`user.text` with `is_final: false`); turns come from final ones. */
  partial: {
    /** The words so far. */
    text: string;
  };
  /** The user interrupted a turn; its `signal` has fired. */
  interrupted: {
    /** The turn. */
    turnId: string;
    /** What the caller heard of its reply, when the orchestrator said. */
    heardPrefix: string | undefined;
  };
  /** The agent's state on the speech side. */
  state: {
    /** `idle`, `listening`, `thinking`, `speaking` or `interrupted`. */
    state: BridgeAgentState;
    /** The turn it concerns, if any. */
    turnId: string | undefined;
  };
  /** Running figures. */
  metric: CallMetric;
  /** A turn's figures. */
  turn_metrics: TurnMetrics;
  /** The orchestrator reported a problem. */
  bridge_error: BridgeProblem;
  /** Your code failed: a turn handler or reply threw, an entrypoint rejected. */
  error: {
    /** What your code threw. */
    error: unknown;
    /** The turn it was answering, if any. */
    turnId: string | undefined;
  };
  /** The call ended. */
  end: CallEnd;
}

/** What a call is made of. @internal */
export interface CallInit {
  agentId: string;
  jobId: string;
  ack: BridgeHelloAckEvent;
  started: CallStartedEvent;
  link: BridgeLink;
  clock: Clock;
  logger: Logger;
  /** Called once, when the call has ended. */
  onEnd(call: AgentCall, end: CallEnd): void;
  /** Called for the `error` event too, so the runner can report it. */
  onError(error: unknown, call: AgentCall, turnId: string | undefined): void;
}

function checkedText(option: string, value: unknown): string {
  if (typeof value !== "string" || value.trim() === "" || value.length > MAX_REPLY_TEXT) {
    throw invalidArgument(
      option,
      `must be a non-empty string of at most ${MAX_REPLY_TEXT} characters`,
    );
  }
  return value;
}

/** A name people choose (a human queue): any text without control characters, 1–256 long. */
function displayName(option: string, value: unknown): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing them is the point
  if (typeof value !== "string" || !/^[^\x00-\x1f\x7f]{1,256}$/.test(value) || !value.trim()) {
    throw invalidArgument(
      option,
      "must be a non-empty name of at most 256 characters, without control characters",
    );
  }
  return value;
}

function id(option: string, value: unknown): string {
  if (typeof value !== "string" || !/^[\x21-\x7e]{1,256}$/.test(value)) {
    throw invalidArgument(option, "must be a non-empty string of visible ASCII characters");
  }
  return value;
}

/**
 * One call, from `call.started` to the end of its bridge: who and what it is (ids,
 * metadata, the conversation so far), the caller's turns, and the agent's verbs. Each call
 * has its own bridge socket; calls never share state unless you make them.
 */
export class AgentCall {
  /** The call's id. */
  readonly callId: string;
  /** The real-time session behind the call. */
  readonly sessionId: string;
  /** The job the runner accepted for it. */
  readonly jobId: string;
  /** The room. */
  readonly roomId: string;
  /** The agent serving it. */
  readonly agentId: string;
  /** The call's metadata (e.g. from the session token the caller's backend minted). */
  readonly metadata: Readonly<Record<string, unknown>>;
  /** The voice profile the caller hears, if the pipe chose one. */
  readonly voiceProfileId: string | undefined;
  readonly #link: BridgeLink;
  readonly #clock: Clock;
  readonly #logger: Logger;
  readonly #init: CallInit;
  readonly #controller = new AbortController();
  readonly #events: Emitter<CallEvents>;
  readonly #history: CallHistoryEntry[] = [];
  readonly #open: AgentTurn[] = [];
  readonly #queue: AgentTurn[] = [];
  #waiting: ((turn: AgentTurn | undefined) => void) | undefined;
  #iterating = false;
  #order: Promise<void> = Promise.resolve();
  #turns = 0;
  #end: CallEnd | undefined;
  #endTimer: unknown;
  readonly #done: Promise<CallEnd>;
  #resolveDone!: (end: CallEnd) => void;

  /** @internal Calls are made by the runner. */
  constructor(init: CallInit) {
    this.#init = init;
    this.callId = init.ack.call_id;
    this.sessionId = init.started.session_id;
    this.jobId = init.jobId;
    this.roomId = init.started.room_id;
    this.agentId = init.started.agent_id ?? init.agentId;
    this.metadata = Object.freeze({ ...init.started.metadata });
    this.voiceProfileId = init.started.voice_profile_id;
    this.#link = init.link;
    this.#clock = init.clock;
    this.#logger = init.logger;
    this.#events = new Emitter((error) =>
      this.#logger.warn?.("a call listener threw", { callId: this.callId, error: String(error) }),
    );
    this.#done = new Promise((resolve) => {
      this.#resolveDone = resolve;
    });
  }

  /** Fires when the call ends. */
  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /** Whether the call has ended. */
  get ended(): boolean {
    return this.#end !== undefined;
  }

  /** Resolves with how the call ended. */
  get done(): Promise<CallEnd> {
    return this.#done;
  }

  /**
   * The conversation so far, oldest first (at most {@link MAX_HISTORY} entries): user turns,
   * and the agent's replies as the caller heard them. Ready to map onto an LLM's messages.
   */
  get history(): readonly CallHistoryEntry[] {
    return this.#history.map((e) => ({ ...e }));
  }

  /**
   * Listens to an event of the call.
   *
   * @param type - `partial`, `interrupted`, `state`, `metric`, `turn_metrics`, `bridge_error`, `error` or `end`.
   * @param listener - Called with the event's payload.
   * @returns A function that removes the listener.
   */
  on<K extends keyof CallEvents>(type: K, listener: (payload: CallEvents[K]) => void): () => void {
    return this.#events.on(type, listener);
  }

  /**
   * The caller's turns as they come, for an `entrypoint`: answer each with `turn.reply()`.
   * A turn superseded before it was taken from here is skipped (and closed for you). Ends
   * when the call does. One iterator per call.
   *
   * @returns An async iterator of turns.
   * @throws {@link UnpodArgumentError} `turns` when called a second time.
   */
  turns(): AsyncIterableIterator<AgentTurn> {
    if (this.#iterating) throw invalidArgument("turns", "can be iterated once per call");
    this.#iterating = true;
    const next = (): Promise<IteratorResult<AgentTurn>> => {
      const turn = this.#queue.shift();
      if (turn) return Promise.resolve({ value: turn, done: false });
      if (this.#end) return Promise.resolve({ value: undefined, done: true });
      return new Promise((resolve) => {
        this.#waiting = (t) =>
          resolve(t ? { value: t, done: false } : { value: undefined, done: true });
      });
    };
    const iterator: AsyncIterableIterator<AgentTurn> = {
      next,
      return: () => {
        this.#waiting = undefined;
        return Promise.resolve({ value: undefined, done: true });
      },
      [Symbol.asyncIterator]: () => iterator,
    };
    return iterator;
  }

  /**
   * Says something now, outside a turn (`agent.say`): a greeting, "one moment…".
   *
   * @param text - What to say.
   * @returns `false` when the call has ended (nothing was sent).
   * @throws {@link UnpodArgumentError} `text` when it is empty or too long.
   */
  say(text: string): boolean {
    const t = checkedText("text", text);
    if (this.ended) return false;
    void this.#link.send({ event: "agent.say", text: t });
    this.#remember({ role: "agent", text: t });
    return true;
  }

  /**
   * Transfers the call to a phone number, another agent or a human queue (`agent.transfer`).
   *
   * @param target - Where, cold or warm, and what to say first.
   * @returns `false` when the call has ended.
   * @throws {@link UnpodArgumentError} naming the bad field.
   * @example
   * ```ts
   * import type { AgentCall } from "@unpod/agent";
   * declare const call: AgentCall;
   * call.transfer({ to: "human", queue: "billing", mode: "warm", announcement: "Connecting you." });
   * ```
   */
  transfer(target: TransferTarget): boolean {
    if (typeof target !== "object" || target === null) {
      throw invalidArgument("target", "must be { to, number | agentId | queue }");
    }
    let destination: string;
    switch (target.to) {
      case "number":
        destination = id("target.number", target.number);
        break;
      case "agent":
        destination = id("target.agentId", target.agentId);
        break;
      case "human":
        destination = displayName("target.queue", target.queue);
        break;
      default:
        throw invalidArgument("target.to", 'must be "number", "agent" or "human"');
    }
    const mode = target.mode ?? "cold";
    if (mode !== "cold" && mode !== "warm") {
      throw invalidArgument("target.mode", 'must be "cold" or "warm"');
    }
    const announcement = target.announcement ?? "";
    if (typeof announcement !== "string" || announcement.length > MAX_REPLY_TEXT) {
      throw invalidArgument(
        "target.announcement",
        `must be a string of at most ${MAX_REPLY_TEXT} characters`,
      );
    }
    if (this.ended) return false;
    void this.#link.send({
      event: "agent.transfer",
      transfer_type: target.to,
      target: destination,
      mode,
      announcement,
    });
    return true;
  }

  /**
   * Hangs up (`agent.end_call`). The call ends when the orchestrator closes the bridge (or
   * 5 s later, closed by the runner).
   *
   * @param reason - Why: `completed` (default), `no_response`, `error`, `transferred`,
   *   `max_duration`, or another short code.
   * @returns `false` when the call has already ended.
   * @throws {@link UnpodArgumentError} `reason`.
   */
  end(reason: EndCallReason = "completed"): boolean {
    const r = id("reason", reason);
    if (this.ended) return false;
    void this.#link.send({ event: "agent.end_call", reason: r });
    this.#clock.clearTimeout(this.#endTimer);
    this.#endTimer = this.#clock.setTimeout(
      () => this.#link.close(CLOSE_CODES.normal, "call ended by the agent"),
      END_GRACE_MS,
    );
    return true;
  }

  /**
   * Hands the call to another agent (`agent.dispatch`); this runner's part of it ends.
   *
   * @param agentId - The agent to take over.
   * @param metadata - For that agent's `call.started`.
   * @returns `false` when the call has already ended.
   * @throws {@link UnpodArgumentError} `agentId` or `metadata`.
   */
  dispatch(agentId: string, metadata: Record<string, unknown> = {}): boolean {
    const to = id("agentId", agentId);
    if (typeof metadata !== "object" || metadata === null || Array.isArray(metadata)) {
      throw invalidArgument("metadata", "must be an object");
    }
    if (this.ended) return false;
    void this.#link.send({ event: "agent.dispatch", agent_id: to, metadata });
    return true;
  }

  /**
   * A credential-free description for logs and `JSON.stringify`.
   *
   * @returns Ids, whether it ended, and how many turns it had.
   */
  toJSON(): Record<string, unknown> {
    return {
      callId: this.callId,
      sessionId: this.sessionId,
      jobId: this.jobId,
      roomId: this.roomId,
      agentId: this.agentId,
      turns: this.#turns,
      ended: this.ended,
    };
  }

  /**
   * @internal Starts delivering the bridge's events, those that came with `call.started`
   * first. The runner calls it once your code has the call (its `call` listeners have run,
   * an entrypoint has started), so the listeners they add hear every event.
   */
  start(): void {
    this.#link.attach(
      (event) => this.#event(event),
      (code, reason) => this.#closed(code, reason),
    );
  }

  /** @internal The runner closes: open turns abort, the bridge closes. */
  shutdown(reason: "runner_closed"): void {
    this.#link.close(CLOSE_CODES.goingAway, "runner closing");
    this.#finish({ reason });
  }

  /** @internal The job was cancelled. */
  cancel(): void {
    this.#link.close(CLOSE_CODES.normal, "job cancelled");
    this.#finish({ reason: "cancelled" });
  }

  /** @internal Reports a failure of the agent's code. */
  fail(error: unknown, turnId: string | undefined): void {
    this.#logger.warn?.("agent code failed", { callId: this.callId, turnId, error: String(error) });
    this.#events.emit("error", { error, turnId });
    this.#init.onError(error, this, turnId);
  }

  #sink: TurnSink = {
    send: (verb) => this.#link.send(verb),
    inOrder: (task) => {
      const run = this.#order.then(task);
      this.#order = run.catch(() => {});
      return run;
    },
    failed: (error, turn) => this.fail(error, turn.id),
    ended: (turn, result) => this.#replied(turn, result),
  };

  #replied(turn: AgentTurn, result: TurnResult): void {
    const i = this.#open.indexOf(turn);
    if (i >= 0) this.#open.splice(i, 1);
    this.#rememberReply(turn, result.text);
  }

  /**
   * The agent's line for `turn` in the history, in its place (before the user's next turn,
   * even though an interrupted reply ends after it arrives): what the caller heard when the
   * orchestrator said, else what was sent.
   */
  #rememberReply(turn: AgentTurn, sent: string): void {
    const said = (turn.interrupted ? turn.heardPrefix : undefined) ?? sent;
    const entry = this.#history.find((e) => e.role === "agent" && e.turnId === turn.id);
    if (entry) {
      entry.text = said;
      return;
    }
    if (said === "") return;
    this.#remember({
      role: "agent",
      text: said,
      turnId: turn.id,
      ...(turn.interrupted ? { interrupted: true } : {}),
    });
  }

  #remember(entry: CallHistoryEntry): void {
    this.#history.push(entry);
    if (this.#history.length > MAX_HISTORY) this.#history.shift();
  }

  #abortOpen(reason: TurnAbortReason): void {
    for (const turn of [...this.#open]) {
      turn.abort(reason);
      this.#rememberReply(turn, turn.sentText);
      void turn.close();
    }
  }

  #event(event: BridgeEvent): void {
    if (this.ended) return;
    switch (event.event) {
      case "user.text": {
        const { event: _, text: said, is_final, turn_id, ...extra } = event;
        if (is_final === false) {
          this.#events.emit("partial", { text: said });
          return;
        }
        // One reply at a time: a new turn supersedes every turn still being answered.
        this.#abortOpen("superseded");
        this.#queue.length = 0;
        this.#turns += 1;
        const turn = new AgentTurn(
          { id: turn_id ?? `turn-${this.#turns}`, text: said, index: this.#turns, extra },
          this.#sink,
        );
        this.#open.push(turn);
        this.#remember({ role: "user", text: said, turnId: turn.id });
        const waiting = this.#waiting;
        this.#waiting = undefined;
        if (waiting) waiting(turn);
        else this.#queue.push(turn);
        return;
      }
      case "user.interrupted":
        this.#interrupted(event.turn_id, event.heard_prefix);
        return;
      case "state":
        this.#events.emit("state", { state: event.state, turnId: event.turn_id });
        return;
      case "metric":
        this.#events.emit("metric", {
          ttfaMs: event.ttfa_ms,
          asrP95Ms: event.asr_p95_ms,
          ttsP95Ms: event.tts_p95_ms,
          turns: event.turns,
          costUsdSoFar: event.cost_usd_so_far,
        });
        return;
      case "turn.metrics":
        this.#events.emit("turn_metrics", {
          turnId: event.turn_id,
          ttfaMs: event.ttfa_ms,
          asrMs: event.asr_ms,
          llmTtftMs: event.llm_ttft_ms,
          ttsTtfbMs: event.tts_ttfb_ms,
          llmCallCount: event.llm_call_count,
          llmTotalMs: event.llm_total_ms,
          fromNode: event.from_node,
          toNode: event.to_node,
        });
        return;
      case "error":
        this.#logger.debug?.("the bridge reported a problem", {
          callId: this.callId,
          code: event.code,
        });
        this.#events.emit("bridge_error", {
          severity: event.severity,
          source: event.source,
          code: event.code,
          message: event.message,
        });
        return;
      default:
        this.#logger.debug?.("bridge event ignored", { callId: this.callId, event: event.event });
    }
  }

  /**
   * The user interrupted `turnId`: its signal fires if it is still being answered. A reply
   * already sent (the caller was still hearing it) is rewritten in the history as what
   * they heard. An id nobody knows (an orchestrator without turn ids) means the latest turn.
   */
  #interrupted(turnId: string, heardPrefix: string | undefined): void {
    const known = this.#history.some((e) => e.turnId === turnId);
    const turn = this.#open.find((t) => t.id === turnId) ?? (known ? undefined : this.#open.at(-1));
    if (turn) {
      turn.abort("interrupted", heardPrefix);
      this.#rememberReply(turn, turn.sentText);
      void turn.close();
    } else if (heardPrefix !== undefined) {
      const reply = this.#history.findLast((e) => e.turnId === turnId && e.role === "agent");
      if (reply) {
        reply.text = heardPrefix;
        reply.interrupted = true;
      }
    }
    this.#events.emit("interrupted", { turnId: turn?.id ?? turnId, heardPrefix });
  }

  #closed(code: number, reason: string): void {
    const normal = code === CLOSE_CODES.normal || code === CLOSE_CODES.goingAway;
    this.#finish({ reason: normal ? "ended" : "bridge_lost", code, detail: reason || undefined });
  }

  #finish(end: CallEnd): void {
    if (this.#end) return;
    this.#end = end;
    this.#clock.clearTimeout(this.#endTimer);
    const reason: TurnAbortReason = end.reason === "runner_closed" ? "runner_closed" : "call_ended";
    for (const turn of this.#open.splice(0)) turn.abort(reason);
    this.#queue.length = 0;
    const waiting = this.#waiting;
    this.#waiting = undefined;
    waiting?.(undefined);
    this.#controller.abort();
    this.#logger.info?.("call ended", { callId: this.callId, reason: end.reason, code: end.code });
    this.#events.emit("end", end);
    this.#resolveDone(end);
    this.#init.onEnd(this, end);
  }
}
