import type { BridgeEvent, Clock } from "@unpod/core";
import { MAX_REPLY_TEXT } from "@unpod/core";
import type { RunnerTurnInfo, SessionPort } from "./types.js";

/**
 * After a turn's first `agent_reply`, later deltas are sent at most this often (the newest
 * text each time): a reply streamed a token at a time would otherwise send the whole text
 * so far once per token, quadratic in the reply's length, into the session's replay buffer.
 */
export const REPLY_FLUSH_MS = 40;
/** Turns a call remembers for `server.workers.calls()`. */
const TURN_LOG = 64;

/** What the turn book needs from its call. */
export interface TurnBookHost {
  /** The session the replies go to (none for a call made by `server.workers.assign()`). */
  port(): SessionPort | undefined;
  /** The call's id, for `turn.metrics`. */
  readonly callId: string;
  readonly clock: Clock;
  /** Sends an event on the call's bridge. */
  send(event: BridgeEvent): void;
  /** Tells the runner about a verb it should not have sent (an `error` event, severity warn). */
  warn(code: string, message: string): void;
}

interface OpenTurn {
  info: RunnerTurnInfo;
  sentAt: number;
  /** The reply text last sent as `agent_reply` (non-final). */
  shown: string | undefined;
  flushTimer: unknown;
}

/**
 * The turns of one runner call. A turn opens when `user.text` goes to the runner and
 * closes on the runner's `agent.text.end`; deltas belong to the oldest open turn (the
 * runner answers turns in order, closing each before it starts the next). The agent's
 * text reaches the session as `agent_reply` frames — the text so far, non-final, then
 * final — and, in a voice session, is spoken as it streams. Once a turn is interrupted,
 * nothing more of it reaches the session; its late deltas are counted.
 */
export class TurnBook {
  readonly #host: TurnBookHost;
  readonly #open: OpenTurn[] = [];
  readonly #log: RunnerTurnInfo[] = [];
  #completed = 0;

  constructor(host: TurnBookHost) {
    this.#host = host;
  }

  /** The latest turns, oldest first. */
  get turns(): RunnerTurnInfo[] {
    return this.#log.map((t) => ({ ...t }));
  }

  /** The newest open turn the user has not interrupted: the one the agent is answering. */
  get current(): RunnerTurnInfo | undefined {
    const last = this.#open.at(-1);
    return last && !last.info.interrupted ? last.info : undefined;
  }

  /** Turns whose `agent.text.end` has not arrived. */
  get openCount(): number {
    return this.#open.length;
  }

  /** Turns the runner has ended. */
  get completed(): number {
    return this.#completed;
  }

  /** Opens a turn and sends its `user.text` (with `turn_id`, an extra field). */
  open(turnId: string, text: string): void {
    const info: RunnerTurnInfo = {
      turnId,
      userText: text,
      reply: "",
      deltas: 0,
      deltasAfterInterrupt: 0,
      interrupted: false,
      ended: false,
      deltasAfterEnd: 0,
    };
    this.#log.push(info);
    if (this.#log.length > TURN_LOG) this.#log.shift();
    this.#open.push({
      info,
      sentAt: this.#host.clock.now(),
      shown: undefined,
      flushTimer: undefined,
    });
    // A voice session reports its states itself (the voice agent's agent_state).
    if (!this.#host.port()?.hasVoice()) {
      this.#host.send({ event: "state", state: "thinking", turn_id: turnId });
    }
    this.#host.send({ event: "user.text", text, is_final: true, turn_id: turnId });
  }

  /**
   * The user interrupted `turnId`: sends `user.interrupted` for it (if it is open and not
   * interrupted yet). Its `agent_reply` text stops where it is.
   *
   * @returns Whether an open turn was interrupted.
   */
  interrupt(turnId: string, heardPrefix: string | undefined): boolean {
    const turn = this.#open.find((t) => t.info.turnId === turnId);
    if (!turn || turn.info.interrupted) return false;
    turn.info.interrupted = true;
    turn.info.heardPrefix = heardPrefix;
    this.#host.clock.clearTimeout(turn.flushTimer);
    turn.flushTimer = undefined;
    this.#host.send(
      heardPrefix === undefined
        ? { event: "user.interrupted", turn_id: turnId }
        : { event: "user.interrupted", turn_id: turnId, heard_prefix: heardPrefix },
    );
    this.#host.send({ event: "state", state: "interrupted", turn_id: turnId });
    return true;
  }

  /** An `agent.text.delta`. */
  delta(text: string): void {
    const turn = this.#open[0];
    if (!turn) {
      const last = this.#log.at(-1);
      if (last?.ended) last.deltasAfterEnd += 1;
      this.#host.warn("no_open_turn", "agent.text.delta with no open turn: it was dropped.");
      return;
    }
    const info = turn.info;
    info.deltas += 1;
    if (info.deltas === 1) info.firstDeltaMs = this.#host.clock.now() - turn.sentAt;
    if (info.interrupted) {
      info.deltasAfterInterrupt += 1;
      return;
    }
    if (info.reply.length + text.length > MAX_REPLY_TEXT) {
      this.#host.warn("reply_too_long", `A reply is cut at ${MAX_REPLY_TEXT} characters.`);
      text = text.slice(0, Math.max(0, MAX_REPLY_TEXT - info.reply.length));
    }
    info.reply += text;
    this.#host.port()?.speak(info.turnId, info.reply, false);
    if (turn.shown === undefined) this.#show(turn);
    else if (turn.flushTimer === undefined) {
      turn.flushTimer = this.#host.clock.setTimeout(() => {
        turn.flushTimer = undefined;
        this.#show(turn);
      }, REPLY_FLUSH_MS);
    }
  }

  /** An `agent.text.end`: the oldest open turn is complete. */
  end(): void {
    const turn = this.#open.shift();
    if (!turn) {
      this.#host.warn("no_open_turn", "agent.text.end with no open turn: it was ignored.");
      return;
    }
    this.#finish(turn);
    this.#completed += 1;
    const now = this.#host.clock.now();
    const info = turn.info;
    this.#host.send({
      event: "turn.metrics",
      call_id: this.#host.callId,
      turn_id: info.turnId,
      llm_call_count: 1,
      llm_total_ms: now - turn.sentAt,
      ...(info.firstDeltaMs === undefined ? {} : { llm_ttft_ms: info.firstDeltaMs }),
    });
    this.#host.send({ event: "metric", turns: this.#completed });
    if (!this.#host.port()?.hasVoice()) this.#host.send({ event: "state", state: "listening" });
  }

  /** The call ended: every open turn is finalised for the session, nothing more is sent. */
  closeAll(): void {
    for (const turn of this.#open.splice(0)) this.#finish(turn, false);
  }

  #show(turn: OpenTurn): void {
    if (turn.info.interrupted || turn.shown === turn.info.reply) return;
    turn.shown = turn.info.reply;
    this.#host.port()?.reply(turn.info.turnId, turn.info.reply, false);
  }

  #finish(turn: OpenTurn, ended = true): void {
    this.#host.clock.clearTimeout(turn.flushTimer);
    turn.flushTimer = undefined;
    const info = turn.info;
    info.ended = ended;
    const port = this.#host.port();
    if (!info.interrupted) port?.speak(info.turnId, info.reply, true);
    // A silent turn (no text at all) leaves no line in the transcript.
    if (info.reply !== "" || turn.shown !== undefined) port?.reply(info.turnId, info.reply, true);
  }
}
