import { MAX_TURN_MS, type WordTones, wordTones } from "./synth.js";

/** Turns whose words are remembered (for `heard`), at most; the oldest are forgotten. */
const REMEMBERED_TURNS = 16;

interface SpokenTurn {
  /** Words queued for speech, with the end of each burst in ms from the turn's start. */
  words: { word: string; endMs: number }[];
  /** Samples queued so far. */
  samples: number;
  /** No more words will be queued (the text is final, or the turn was interrupted). */
  closed: boolean;
}

/**
 * The words of the agent's spoken turns and when each ends in the turn's audio: what a
 * streaming reply has queued so far, and what the caller heard of a turn cut off at some
 * position (`heard_prefix` for the agent runner).
 */
export class SpokenTurns {
  readonly #turns = new Map<string, SpokenTurn>();
  readonly #sampleRate: number;

  constructor(sampleRate: number) {
    this.#sampleRate = sampleRate;
  }

  /**
   * The words of `text` not queued yet for `turnId`: complete ones only (followed by
   * whitespace), or all of them when `final`.
   *
   * @returns Their tones and whether they open the turn; `undefined` when the turn is closed.
   */
  next(
    turnId: string,
    text: string,
    final: boolean,
  ): { tones: WordTones; first: boolean } | undefined {
    let turn = this.#turns.get(turnId);
    if (turn?.closed) return undefined;
    if (!turn) turn = this.#remember(turnId);
    const parts = text.split(/\s+/);
    const words = (final ? parts : parts.slice(0, -1)).filter((w) => w !== "");
    const budget = Math.round((MAX_TURN_MS * this.#sampleRate) / 1000) - turn.samples;
    const first = turn.words.length === 0;
    const tones = wordTones(words.slice(turn.words.length), first, this.#sampleRate, budget);
    const offsetMs = (turn.samples * 1000) / this.#sampleRate;
    for (const w of tones.words) turn.words.push({ word: w.word, endMs: offsetMs + w.endMs });
    turn.samples += tones.samples;
    if (final) turn.closed = true;
    return { tones, first };
  }

  /** Closes a turn: nothing more of it is spoken (it was interrupted). */
  close(turnId: string): void {
    const turn = this.#turns.get(turnId);
    if (turn) turn.closed = true;
  }

  /**
   * What the caller heard of a turn played up to `playedMs`: the words whose bursts had
   * ended by then.
   *
   * @returns The words joined by spaces, or `undefined` for a turn without words (a tone).
   */
  heard(turnId: string, playedMs: number): string | undefined {
    const turn = this.#turns.get(turnId);
    if (!turn) return undefined;
    return turn.words
      .filter((w) => w.endMs <= playedMs + 0.5)
      .map((w) => w.word)
      .join(" ");
  }

  #remember(turnId: string): SpokenTurn {
    const turn: SpokenTurn = { words: [], samples: 0, closed: false };
    this.#turns.set(turnId, turn);
    if (this.#turns.size > REMEMBERED_TURNS) {
      this.#turns.delete(this.#turns.keys().next().value as string);
    }
    return turn;
  }
}
