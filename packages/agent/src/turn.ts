import {
  type AgentTextDeltaVerb,
  type AgentTextEndVerb,
  MAX_REPLY_TEXT,
  UnpodArgumentError,
  UnpodConnectionError,
} from "@unpod/core";
import { invalidArgument } from "@unpod/core/internal";
import {
  ABORTED,
  type ChunkSource,
  chunksOf,
  notAReply,
  unlessAborted,
} from "./internal/replies.js";

/**
 * A reply to a turn: a string, or chunks as they come (`AsyncIterable<string>` — an LLM SDK's
 * token stream, an `async function*` — or a `ReadableStream<string>`). Nothing (`undefined`,
 * `null`, `void`) means silence. Chunks are sent as `agent.text.delta`s, the caller hears
 * them as they stream, and exactly one `agent.text.end` closes the turn.
 */
export type AgentReply =
  | string
  | AsyncIterable<string>
  | ReadableStream<string>
  | null
  | undefined
  // biome-ignore lint/suspicious/noConfusingVoidType: a handler that returns nothing replies with silence
  | void;

/** Why a turn's `signal` fired. */
export type TurnAbortReason =
  /** The user spoke over the agent (`user.interrupted`); `heardPrefix` says what they heard. */
  | "interrupted"
  /** A newer user turn arrived before this one's reply ended. */
  | "superseded"
  /** The call ended (the caller hung up, the job was cancelled, the bridge was lost). */
  | "call_ended"
  /** The runner closed and its drain timeout passed. */
  | "runner_closed";

/** What {@link AgentTurn.reply} sent. */
export interface TurnResult {
  /** The text sent as deltas (all of it, whether or not the caller heard it). */
  text: string;
  /** Whether the turn was interrupted (or superseded) before its reply ended. */
  interrupted: boolean;
}

/** What a turn needs from its call. @internal */
export interface TurnSink {
  /** Sends a verb on the bridge; resolves once the socket can take more (backpressure). */
  send(verb: AgentTextDeltaVerb | AgentTextEndVerb): Promise<void>;
  /** Runs `task` after every earlier turn's reply has ended: turns end in order. */
  inOrder(task: () => Promise<void>): Promise<void>;
  /** The agent's code failed answering this turn (not after an interruption). */
  failed(error: unknown, turn: AgentTurn): void;
  /** The turn's reply ended. */
  ended(turn: AgentTurn, result: TurnResult): void;
}

/** Initial fields of a turn. @internal */
export interface TurnInit {
  id: string;
  text: string;
  index: number;
  extra: Record<string, unknown>;
}

/**
 * One user turn of a call: what the user said, and the `signal` that fires when the user
 * interrupts (pass it to your LLM call so it stops generating). Answer it once, with
 * {@link AgentTurn.reply} (the `onTurn` handler's return value does that for you).
 */
export class AgentTurn {
  /** The turn's id, as the orchestrator names it (`user.interrupted` and `state` refer to it). */
  readonly id: string;
  /** What the user said (the final transcript). */
  readonly text: string;
  /** 1 for the call's first turn, 2 for the next… */
  readonly index: number;
  /** Any other field of the `user.text` event (e.g. `language`). */
  readonly extra: Readonly<Record<string, unknown>>;
  readonly #controller = new AbortController();
  readonly #sink: TurnSink;
  #abortReason: TurnAbortReason | undefined;
  #heardPrefix: string | undefined;
  #reply: Promise<TurnResult> | undefined;
  #sent = "";

  /** @internal Turns are made by their call. */
  constructor(init: TurnInit, sink: TurnSink) {
    this.id = init.id;
    this.text = init.text;
    this.index = init.index;
    this.extra = Object.freeze({ ...init.extra });
    this.#sink = sink;
  }

  /**
   * Fires when the user interrupts this turn, a newer turn supersedes it, or the call ends
   * ({@link AgentTurn.abortReason} says which). Its `reason` is an `UnpodConnectionError`
   * with code `aborted`.
   */
  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /** Why {@link AgentTurn.signal} fired, once it has. */
  get abortReason(): TurnAbortReason | undefined {
    return this.#abortReason;
  }

  /** Whether the user cut this turn's reply short (interrupted it, or spoke again). */
  get interrupted(): boolean {
    return this.#abortReason === "interrupted" || this.#abortReason === "superseded";
  }

  /**
   * Once interrupted: what the caller actually heard of this turn's reply (`heard_prefix`),
   * when the orchestrator knows. Keep it, not the whole reply, as the agent's words in
   * your conversation history.
   */
  get heardPrefix(): string | undefined {
    return this.#heardPrefix;
  }

  /** The reply text sent so far. */
  get sentText(): string {
    return this.#sent;
  }

  /** Whether a reply was started (by `reply()` or the `onTurn` handler). */
  get replied(): boolean {
    return this.#reply !== undefined;
  }

  /**
   * Answers the turn: sends the reply's chunks as they come, then one `agent.text.end`.
   * Stops at once when {@link AgentTurn.signal} fires (the stream is cancelled; nothing
   * more of this turn is sent). Errors of the reply (a rejected promise, a throwing stream)
   * are reported to the call's and runner's `error` listeners, not thrown, unless they come
   * after an interruption (the aborted LLM call's own error), which are expected.
   *
   * @param reply - A string, a promise of one, an `AsyncIterable<string>`, a
   *   `ReadableStream<string>`, or nothing.
   * @returns What was sent, once the turn's `agent.text.end` is.
   * @throws {@link UnpodArgumentError} `reply` when the turn was already answered.
   * @example
   * ```ts
   * import type { AgentCall } from "@unpod/agent";
   * declare const call: AgentCall;
   * for await (const turn of call.turns()) {
   *   await turn.reply(`You said ${turn.text}.`);
   * }
   * ```
   */
  reply(reply: AgentReply | PromiseLike<AgentReply>): Promise<TurnResult> {
    if (this.#reply) {
      return Promise.reject(invalidArgument("reply", `turn ${this.id} was already answered`));
    }
    let result: TurnResult = { text: "", interrupted: false };
    this.#reply = this.#sink
      .inOrder(async () => {
        result = await this.#pump(reply);
      })
      .then(() => result);
    return this.#reply;
  }

  async #pump(reply: AgentReply | PromiseLike<AgentReply>): Promise<TurnResult> {
    const signal = this.signal;
    let sent = "";
    const send = async (chunk: unknown): Promise<boolean> => {
      if (typeof chunk !== "string") {
        throw invalidArgument("reply", `yielded a ${typeof chunk}, not a string`);
      }
      if (chunk === "" || signal.aborted) return !signal.aborted;
      const room = MAX_REPLY_TEXT - sent.length;
      const text = chunk.length > room ? chunk.slice(0, room) : chunk;
      sent += text;
      this.#sent = sent;
      await this.#sink.send({ event: "agent.text.delta", text });
      if (chunk.length > room) {
        throw invalidArgument(
          "reply",
          `is longer than ${MAX_REPLY_TEXT} characters; the rest was not sent`,
        );
      }
      return !signal.aborted;
    };
    try {
      const value = await unlessAborted(reply as PromiseLike<AgentReply>, signal);
      if (value !== ABORTED && value !== undefined && value !== null) {
        if (typeof value === "string") await send(value);
        else {
          const source = typeof value === "object" ? chunksOf(value) : undefined;
          if (!source) throw notAReply();
          await this.#drain(source, send);
        }
      }
    } catch (error) {
      if (!signal.aborted) this.#sink.failed(error, this);
    }
    await this.#sink.send({ event: "agent.text.end" });
    const result = { text: sent, interrupted: this.interrupted };
    this.#sink.ended(this, result);
    return result;
  }

  async #drain(source: ChunkSource, send: (chunk: unknown) => Promise<boolean>): Promise<void> {
    const signal = this.signal;
    try {
      for (;;) {
        const next = source.next();
        // After an abort nobody awaits it: keep its rejection from going unhandled.
        next.catch(() => {});
        const step = await unlessAborted(next, signal);
        if (step === ABORTED || step.done) break;
        if (!(await send(step.value))) break;
      }
    } finally {
      if (signal.aborted) source.stop();
    }
  }

  /** @internal Fires the turn's signal (the call does, on `user.interrupted` and the like). */
  abort(reason: TurnAbortReason, heardPrefix?: string): void {
    if (this.#controller.signal.aborted) return;
    this.#abortReason = reason;
    if (heardPrefix !== undefined) this.#heardPrefix = heardPrefix;
    const why: Record<TurnAbortReason, string> = {
      interrupted: "the user interrupted it",
      superseded: "a newer user turn arrived",
      call_ended: "the call ended",
      runner_closed: "the runner closed",
    };
    this.#controller.abort(
      new UnpodConnectionError("aborted", `Turn ${this.id} was aborted: ${why[reason]}.`),
    );
  }

  /** @internal Ends a turn nobody answered: one `agent.text.end`, in order. */
  async close(): Promise<void> {
    if (!this.#reply) await this.reply(undefined);
  }
}
