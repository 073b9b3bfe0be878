/** Turns remembered as closed (ended or interrupted), at most; older ones are forgotten. */
const MAX_CLOSED = 32;

/**
 * Which agent turn binary audio belongs to (PROTOCOL.md): every binary frame belongs to the
 * turn of the latest `audio_start`; one that arrives after that turn's `audio_end` or
 * `interrupt`, or before any `audio_start`, is dropped.
 */
export class Turns {
  #current: string | undefined;
  readonly #closed = new Set<string>();

  /** The turn of the latest `audio_start`. */
  get current(): string | undefined {
    return this.#current;
  }

  /**
   * `audio_start`: a new turn.
   *
   * @returns The turn it replaces while that one was still open (it is over now), if any.
   */
  start(turnId: string): string | undefined {
    const previous = this.#current;
    this.#current = turnId;
    return previous !== undefined && previous !== turnId && !this.#closed.has(previous)
      ? previous
      : undefined;
  }

  /** `audio_end` or `interrupt`: no more audio for the turn. */
  close(turnId: string): void {
    this.#closed.add(turnId);
    if (this.#closed.size > MAX_CLOSED) {
      this.#closed.delete(this.#closed.values().next().value as string);
    }
  }

  /** The turn a binary frame that arrives now belongs to, or `undefined` to drop it. */
  audioTurn(): string | undefined {
    const turn = this.#current;
    return turn !== undefined && !this.#closed.has(turn) ? turn : undefined;
  }

  /** Whether the turn was interrupted or ended. */
  isClosed(turnId: string): boolean {
    return this.#closed.has(turnId);
  }
}
