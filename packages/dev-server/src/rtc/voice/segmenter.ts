/** What {@link SpeechSegmenter.push} reports. */
export type SegmentEvent =
  | { type: "start" }
  | {
      type: "end";
      /** From the utterance's first voiced frame to its last, in ms. */
      durationMs: number;
    };

/** Timings of the segmenter's hysteresis, in ms (multiples of the frame length). */
export interface SegmenterTimings {
  /** Frame length. */
  frameMs: number;
  /** Speech starts when at least {@link startVoicedMs} of the last `startWindowMs` were voiced. */
  startWindowMs: number;
  /** See {@link startWindowMs}. */
  startVoicedMs: number;
  /** Speech ends when at most {@link endVoicedMs} of the last `endWindowMs` were voiced. */
  endWindowMs: number;
  /** See {@link endWindowMs}. */
  endVoicedMs: number;
  /** An utterance longer than this ends anyway (and a new one may start at once). */
  maxUtteranceMs: number;
}

/**
 * The defaults: speech starts after 120 ms voiced within 200 ms (a VAD's lone guesses and
 * clicks do not start it), and ends after 600 ms with at most 60 ms voiced (so pauses
 * between words, and the troughs of a modulated tone, stay inside one utterance). The end
 * is therefore reported about 0.55–0.6 s after the voice stops.
 */
export const DEFAULT_SEGMENTER_TIMINGS: SegmenterTimings = {
  frameMs: 20,
  startWindowMs: 200,
  startVoicedMs: 120,
  endWindowMs: 600,
  endVoicedMs: 60,
  maxUtteranceMs: 60_000,
};

/**
 * Turns per-frame voice decisions into utterances, with hysteresis: a start needs enough
 * voice in a short window, an end needs near-silence over a longer one. Counts frames, not
 * wall time, so network jitter in the uplink does not change what it hears. Memory is one
 * fixed window of booleans.
 */
export class SpeechSegmenter {
  readonly #t: SegmenterTimings;
  readonly #history: boolean[];
  #frames = 0;
  #speaking = false;
  #firstVoiced = 0;
  #lastVoiced = 0;

  /** @param timings - The hysteresis; {@link DEFAULT_SEGMENTER_TIMINGS} when left out. */
  constructor(timings: SegmenterTimings = DEFAULT_SEGMENTER_TIMINGS) {
    this.#t = timings;
    const frames = Math.max(timings.startWindowMs, timings.endWindowMs) / timings.frameMs;
    this.#history = new Array<boolean>(Math.ceil(frames)).fill(false);
  }

  /** Whether an utterance is in progress. */
  get speaking(): boolean {
    return this.#speaking;
  }

  /**
   * Takes the next frame's decision.
   *
   * @param voiced - Whether the VAD heard voice in it.
   * @returns `start` or `end` when the utterance state changes, otherwise `undefined`.
   */
  push(voiced: boolean): SegmentEvent | undefined {
    const index = this.#frames;
    this.#history[index % this.#history.length] = voiced;
    this.#frames += 1;
    const { frameMs } = this.#t;
    if (!this.#speaking) {
      const window = this.#t.startWindowMs / frameMs;
      if (this.#voicedIn(window) * frameMs < this.#t.startVoicedMs) return undefined;
      this.#speaking = true;
      this.#firstVoiced = this.#firstVoicedIn(window);
      this.#lastVoiced = index;
      return { type: "start" };
    }
    if (voiced) this.#lastVoiced = index;
    const window = this.#t.endWindowMs / frameMs;
    const quiet = this.#voicedIn(window) * frameMs <= this.#t.endVoicedMs;
    const tooLong = (index - this.#firstVoiced + 1) * frameMs >= this.#t.maxUtteranceMs;
    return quiet || tooLong ? this.#end() : undefined;
  }

  /**
   * Ends an utterance in progress now (the stream stopped: mute, drop, stall).
   *
   * @returns The `end` event, or `undefined` when nobody was speaking.
   */
  flush(): SegmentEvent | undefined {
    return this.#speaking ? this.#end() : undefined;
  }

  /** Forgets the history (after {@link flush}), as if the stream started anew. */
  reset(): void {
    this.#history.fill(false);
    this.#speaking = false;
  }

  #end(): SegmentEvent {
    this.#speaking = false;
    // The next utterance must earn its start from frames after this one.
    this.#history.fill(false);
    return {
      type: "end",
      durationMs: (this.#lastVoiced - this.#firstVoiced + 1) * this.#t.frameMs,
    };
  }

  /** Voiced frames among the last `n` (fewer at the stream's start). */
  #voicedIn(n: number): number {
    let count = 0;
    for (let i = 1; i <= Math.min(n, this.#frames); i++) {
      if (this.#history[(this.#frames - i) % this.#history.length]) count += 1;
    }
    return count;
  }

  /** Index of the earliest voiced frame among the last `n`. */
  #firstVoicedIn(n: number): number {
    let first = this.#frames - 1;
    for (let i = 1; i <= Math.min(n, this.#frames); i++) {
      if (this.#history[(this.#frames - i) % this.#history.length]) first = this.#frames - i;
    }
    return first;
  }
}
