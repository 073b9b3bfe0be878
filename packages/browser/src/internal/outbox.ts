import { encodeFrame, type SequencedClientFrame, UnpodSessionError } from "@unpod/core";

/** Most client frames kept unconfirmed; one more makes `sendText` throw `buffer_full`. */
export const MAX_UNCONFIRMED_FRAMES = 256;
/** Most bytes (UTF-8, as sent) of unconfirmed client frames. */
export const MAX_UNCONFIRMED_BYTES = 1024 * 1024;

/** A client frame as sent: the frame, its wire text and that text's size. */
export interface Outgoing {
  readonly frame: SequencedClientFrame;
  readonly data: string;
  readonly bytes: number;
}

/** A client frame without its `seq`, which the outbox assigns. */
export type UnsequencedClientFrame = SequencedClientFrame extends infer F
  ? F extends SequencedClientFrame
    ? Omit<F, "seq">
    : never
  : never;

/**
 * The client's sequenced frames: it numbers them (1, 2, 3… per session, kept across
 * resumes) and keeps each until the server confirms it — by a v1.1 `ack {client_seq}`, or by
 * `joined.client_seq` on a resume — so that a resume resends exactly what the server lacks.
 * Bounded by {@link MAX_UNCONFIRMED_FRAMES} and {@link MAX_UNCONFIRMED_BYTES}: past either
 * limit a new frame is refused with `buffer_full` instead of growing without end.
 */
export class Outbox {
  #seq = 0;
  #frames: Outgoing[] = [];
  #bytes = 0;

  /** The last client `seq` used. */
  get seq(): number {
    return this.#seq;
  }

  /** How many frames are unconfirmed. */
  get size(): number {
    return this.#frames.length;
  }

  /** UTF-8 bytes of the unconfirmed frames. */
  get bytes(): number {
    return this.#bytes;
  }

  /** The unconfirmed frames, oldest first. */
  unconfirmed(): readonly Outgoing[] {
    return this.#frames;
  }

  /**
   * Numbers a frame and keeps it until confirmed.
   *
   * @throws {@link UnpodSessionError} `buffer_full` when it would pass a limit (nothing is
   *   kept and no `seq` is used then).
   */
  add(unsequenced: UnsequencedClientFrame): Outgoing {
    const frame = { ...unsequenced, seq: this.#seq + 1 } as SequencedClientFrame;
    const data = encodeFrame(frame);
    const bytes = new TextEncoder().encode(data).length;
    if (
      this.#frames.length >= MAX_UNCONFIRMED_FRAMES ||
      this.#bytes + bytes > MAX_UNCONFIRMED_BYTES
    ) {
      throw new UnpodSessionError(
        "buffer_full",
        `The server has not confirmed ${this.#frames.length} frames (${this.#bytes} bytes); wait for the connection to recover.`,
      );
    }
    this.#seq = frame.seq;
    const outgoing = { frame, data, bytes };
    this.#frames.push(outgoing);
    this.#bytes += bytes;
    return outgoing;
  }

  /**
   * Numbers a frame that is sent once and never resent (`leave`).
   *
   * @returns The frame's `seq`.
   */
  next(): number {
    this.#seq += 1;
    return this.#seq;
  }

  /** Forgets the frames up to `clientSeq`: the server has processed them. */
  confirm(clientSeq: number): void {
    let n = 0;
    while (n < this.#frames.length && (this.#frames[n] as Outgoing).frame.seq <= clientSeq) {
      this.#bytes -= (this.#frames[n] as Outgoing).bytes;
      n++;
    }
    if (n > 0) this.#frames = this.#frames.slice(n);
  }

  /** Starts a new session: numbering from 1, nothing kept. */
  reset(): void {
    this.#seq = 0;
    this.#frames = [];
    this.#bytes = 0;
  }
}
