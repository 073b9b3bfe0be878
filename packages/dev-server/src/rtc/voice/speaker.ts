import type { AgentState, Clock, InterruptReason } from "@unpod/core";
import type { UnsequencedFrame } from "../session.js";
import { ToneReader, type ToneSegment } from "./synth.js";

/** What the {@link Speaker} needs from its session. */
export interface SpeakerHost {
  /** Sends a control frame: it gets a `seq` and is buffered for replay like any other. */
  send(frame: UnsequencedFrame): void;
  /** Sends binary audio on the session's current socket if it carries audio; else drops it. */
  sendAudio(pcm: Uint8Array): void;
  /** Reports the agent's new state (the host sends `agent_state`). */
  agentState(state: AgentState, turnId?: string): void;
  /** The clock that paces the audio. */
  readonly clock: Clock;
}

/** Timings and limits of a {@link Speaker}. */
export interface SpeakerOptions {
  /** Output sample rate. */
  sampleRate: number;
  /** Audio per binary frame, in ms. */
  frameMs: number;
  /** Audio sent at once when a turn starts, ahead of real time, so the client's prebuffer fills. */
  prebufferMs: number;
  /** After `audio_end`, how long to wait for the client's `playback` before `listening`. */
  playbackWaitMs: number;
  /** Turns waiting behind the one being spoken, at most. */
  maxQueuedTurns: number;
}

/** The defaults: 20 ms frames, 80 ms sent at once, 1.5 s for `playback`, 8 queued turns. */
export const DEFAULT_SPEAKER_OPTIONS: Omit<SpeakerOptions, "sampleRate"> = {
  frameMs: 20,
  prebufferMs: 80,
  playbackWaitMs: 1500,
  maxQueuedTurns: 8,
};

/** How a spoken turn went, as `server.rtc.sessions()[i].voice.turns` lists it (newest last). */
export interface RtcSpokenTurn {
  /** The turn id. */
  turnId: string;
  /** Audio length of the whole turn, in ms. */
  durationMs: number;
  /** Audio sent (or, with no socket, paced past) so far, in ms. */
  sentMs: number;
  /** `played_ms` from the client's `playback` or `interrupt`, once it reported one. */
  playedMs?: number;
  /** Where the turn is. */
  status: "speaking" | "sent" | "played" | "interrupted";
}

/** How many finished turns {@link Speaker.turns} remembers. */
const TURN_LOG = 32;

interface QueuedTurn {
  id: string;
  reader: ToneReader;
  log: RtcSpokenTurn;
  /** A streaming turn: more audio may be appended until it is closed. */
  open: boolean;
}

type Phase =
  | { kind: "idle" }
  /**
   * Sending in real time from `startedAt` (moved forward after a stall, so that the audio
   * position and the clock agree again). `stalled`: an open turn whose audio ran out,
   * waiting for more.
   */
  | { kind: "sending"; turn: QueuedTurn; startedAt: number; timer: unknown; stalled: boolean }
  /** The turn's audio is all sent; the client may still be playing it. */
  | { kind: "playing"; turn: QueuedTurn; startedAt: number; timer: unknown };

/**
 * Speaks turns one after another, in real time on the host's clock.
 *
 * Wire order of a turn that plays out: `agent_state {speaking, turn_id}`, `audio_start`,
 * binary frames of {@link SpeakerOptions.frameMs} (the last one may be shorter; the first
 * {@link SpeakerOptions.prebufferMs} at once, then one per frame length), `audio_end`, and —
 * when the client's `playback` for the turn arrives, or {@link SpeakerOptions.playbackWaitMs}
 * after `audio_end` if it never does — `agent_state {listening}`. The agent counts as
 * speaking until then (the client may still be playing), so a barge-in in that window still
 * interrupts the turn. A queued turn starts right after the previous `audio_end`, without a
 * `listening` in between.
 *
 * {@link interrupt} stops at once: `interrupt {turn_id, reason}`, no more binary frames and
 * no `audio_end` for that turn, the queue emptied, then `agent_state {listening}`.
 */
export class Speaker {
  readonly #host: SpeakerHost;
  readonly #o: SpeakerOptions;
  readonly #frameSamples: number;
  readonly #queue: QueuedTurn[] = [];
  readonly #log: RtcSpokenTurn[] = [];
  #phase: Phase = { kind: "idle" };

  /**
   * @param host - Where frames go, and the clock.
   * @param options - Rate, frame length, prebuffer, playback wait, queue limit.
   */
  constructor(host: SpeakerHost, options: SpeakerOptions) {
    this.#host = host;
    this.#o = options;
    this.#frameSamples = Math.round((options.sampleRate * options.frameMs) / 1000);
  }

  /** The turn being sent, or sent but not yet reported played; `undefined` when silent. */
  get currentTurn(): string | undefined {
    return this.#phase.kind === "idle" ? undefined : this.#phase.turn.id;
  }

  /** Whether another {@link speak} would be queued rather than refused. */
  get canQueue(): boolean {
    return this.#queue.length < this.#o.maxQueuedTurns;
  }

  /** The latest turns, oldest first (at most 32). */
  get turns(): RtcSpokenTurn[] {
    return this.#log.map((t) => ({ ...t }));
  }

  /**
   * Speaks a turn now, or after the turns before it.
   *
   * @param turnId - The turn's id (`audio_start`/`audio_end` carry it).
   * @param segments - What to say (from `speechTones` or `toneSegments`).
   * @param open - A streaming turn: {@link append} adds to it until it closes it; while its
   *   audio runs out the turn waits (no `audio_end`), and the agent stays `speaking`.
   * @returns `false` when the queue is full (the turn is not spoken), else `true`.
   */
  speak(turnId: string, segments: readonly ToneSegment[], open = false): boolean {
    if (!this.canQueue) return false;
    const reader = new ToneReader(segments, this.#o.sampleRate);
    const log: RtcSpokenTurn = {
      turnId,
      durationMs: this.#ms(reader.totalSamples),
      sentMs: 0,
      status: "speaking",
    };
    this.#queue.push({ id: turnId, reader, log, open });
    if (this.#phase.kind !== "sending") this.#startNext();
    return true;
  }

  /**
   * Adds audio to an open (streaming) turn, being spoken or queued.
   *
   * @param turnId - The turn.
   * @param segments - Its next words.
   * @param close - Whether this is its last audio.
   * @returns `false` when no open turn has that id (it was interrupted or has ended).
   */
  append(turnId: string, segments: readonly ToneSegment[], close: boolean): boolean {
    const phase = this.#phase;
    const turn =
      phase.kind === "sending" && phase.turn.id === turnId
        ? phase.turn
        : this.#queue.find((t) => t.id === turnId);
    if (!turn?.open) return false;
    turn.reader.append(segments);
    turn.log.durationMs = this.#ms(turn.reader.totalSamples);
    if (close) turn.open = false;
    if (phase.kind === "sending" && phase.turn === turn && phase.stalled) {
      phase.stalled = false;
      // The client has played what it had: pace from here, prebuffer first.
      phase.startedAt = this.#host.clock.now() - this.#ms(turn.reader.position);
      this.#pump();
    }
    return true;
  }

  /**
   * How much of the current turn the client has probably played, in ms: the audio sent,
   * less what is still ahead of real time (the prebuffer). An estimate for a barge-in,
   * which the client does not report a position for.
   *
   * @returns The estimate, or `undefined` when the agent is silent.
   */
  playedEstimateMs(): number | undefined {
    const phase = this.#phase;
    if (phase.kind === "idle") return undefined;
    const elapsed = this.#host.clock.now() - phase.startedAt;
    return Math.max(0, Math.min(phase.turn.log.sentMs, elapsed));
  }

  /**
   * Stops the current turn (see the class notes for the frames) and drops the queue.
   *
   * @param reason - Sent in the `interrupt` frame.
   * @param playedMs - The client's `played_ms`, when it asked.
   * @returns The interrupted turn's id, or `undefined` when the agent was silent.
   */
  interrupt(reason: InterruptReason, playedMs?: number): string | undefined {
    const phase = this.#phase;
    this.#queue.length = 0;
    if (phase.kind === "idle") return undefined;
    this.#host.clock.clearTimeout(phase.timer);
    this.#phase = { kind: "idle" };
    phase.turn.log.status = "interrupted";
    if (playedMs !== undefined) phase.turn.log.playedMs = playedMs;
    this.#host.send({ type: "interrupt", turn_id: phase.turn.id, reason });
    this.#host.agentState("listening");
    return phase.turn.id;
  }

  /**
   * Records the client's `playback`; when it is for the turn that just finished sending,
   * the agent is done speaking (`agent_state {listening}`) without waiting any longer.
   *
   * @param turnId - From the frame.
   * @param playedMs - From the frame.
   */
  playback(turnId: string, playedMs: number): void {
    const logged = this.#log.find((t) => t.turnId === turnId && t.status !== "interrupted");
    if (logged) {
      logged.playedMs = playedMs;
      if (logged.status === "sent") logged.status = "played";
    }
    const phase = this.#phase;
    if (phase.kind === "playing" && phase.turn.id === turnId) {
      this.#host.clock.clearTimeout(phase.timer);
      this.#done();
    }
  }

  /** Stops every timer and forgets the queue, without sending anything (the session ended). */
  dispose(): void {
    if (this.#phase.kind !== "idle") this.#host.clock.clearTimeout(this.#phase.timer);
    this.#phase = { kind: "idle" };
    this.#queue.length = 0;
  }

  #ms(samples: number): number {
    return Math.round((samples * 1000) / this.#o.sampleRate);
  }

  #startNext(): void {
    const turn = this.#queue.shift();
    if (!turn) return;
    if (this.#phase.kind === "playing") this.#host.clock.clearTimeout(this.#phase.timer);
    this.#log.push(turn.log);
    if (this.#log.length > TURN_LOG) this.#log.shift();
    this.#phase = {
      kind: "sending",
      turn,
      startedAt: this.#host.clock.now(),
      timer: undefined,
      stalled: false,
    };
    this.#host.agentState("speaking", turn.id);
    this.#host.send({ type: "audio_start", turn_id: turn.id });
    this.#pump();
  }

  /** Sends every frame that is due, then sleeps until the next one is. */
  #pump(): void {
    const phase = this.#phase;
    if (phase.kind !== "sending") return;
    const { reader } = phase.turn;
    const rate = this.#o.sampleRate;
    const elapsed = this.#host.clock.now() - phase.startedAt;
    // (The epsilon keeps float rounding from making a frame that is exactly due wait 1 ms.)
    const due = Math.floor(((elapsed + this.#o.prebufferMs) * rate) / 1000 + 1e-6);
    for (;;) {
      const next = Math.min(this.#frameSamples, reader.totalSamples - reader.position);
      if (next === 0) {
        if (phase.turn.open) {
          phase.stalled = true;
          phase.timer = undefined;
          return;
        }
        this.#finish(phase);
        return;
      }
      if (reader.position + next > due) {
        // Wake when this frame's last sample is due.
        const at = ((reader.position + next) * 1000) / rate - this.#o.prebufferMs;
        phase.timer = this.#host.clock.setTimeout(
          () => this.#pump(),
          Math.max(1, Math.ceil(phase.startedAt + at - this.#host.clock.now())),
        );
        return;
      }
      this.#host.sendAudio(reader.read(next));
      phase.turn.log.sentMs = this.#ms(reader.position);
    }
  }

  #finish(sending: Extract<Phase, { kind: "sending" }>): void {
    const { turn, startedAt } = sending;
    turn.log.status = "sent";
    this.#host.send({ type: "audio_end", turn_id: turn.id });
    if (this.#queue.length > 0) {
      this.#phase = { kind: "playing", turn, startedAt, timer: undefined };
      this.#startNext();
      return;
    }
    const timer = this.#host.clock.setTimeout(() => this.#done(), this.#o.playbackWaitMs);
    this.#phase = { kind: "playing", turn, startedAt, timer };
  }

  #done(): void {
    this.#phase = { kind: "idle" };
    this.#host.agentState("listening");
  }
}
