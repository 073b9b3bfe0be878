import {
  CLOSE_CODES,
  type ClientFrame,
  encodeFrame,
  parseServerFrame,
  type SequencedServerFrame,
  type UnpodError,
} from "@unpod/core";
import type { Clock } from "../types.js";
import type { WebSocketLike } from "./runtime.js";
import { noop } from "./socket.js";

/** Ping interval (PROTOCOL.md, Liveness). */
export const PING_INTERVAL_MS = 10_000;
/** Silence (pongs included) after which the socket counts as dropped. */
export const SILENCE_TIMEOUT_MS = 20_000;
/** Acknowledge after this many server frames… */
export const ACK_AFTER_FRAMES = 32;
/** …or this long after the first unacknowledged one. */
export const ACK_AFTER_MS = 250;

/** Close code the connection reports when it gives up on a silent socket: a drop. */
const SILENT_CLOSE = CLOSE_CODES.abnormal;

/** What a {@link Connection} tells the session. */
export interface ConnectionHandlers {
  /** A sequenced server frame not processed before (replays the session has seen are dropped). */
  frame(frame: SequencedServerFrame): void;
  /** The server has processed the client frames up to `clientSeq` (v1.1 `ack`). */
  confirmed(clientSeq: number): void;
  /** A binary frame (audio). */
  binary(data: ArrayBuffer): void;
  /** The socket closed (or went silent: code 1006). Called once; the connection is dead after. */
  closed(code: number): void;
  /** A frame broke the protocol; the connection is dead after (the socket is closed). */
  failed(error: UnpodError): void;
}

/** Settings of a {@link Connection}. */
export interface ConnectionSettings {
  clock: Clock;
  /** Highest server `seq` the session has processed before this socket. */
  lastSeq: number;
  handlers: ConnectionHandlers;
}

type Timer = "ping" | "silence" | "ack";

/**
 * One joined socket and its liveness: a `ping` every 10 s, 20 s of silence (pongs included)
 * counting as a drop, acknowledgement of processed server frames (after 32 frames or 250 ms
 * after the first unacknowledged one), and deduplication by `seq`.
 *
 * Protocol details PROTOCOL.md leaves open, as this client settles them:
 * - `joined` is not part of the seq-ordered stream: on a resume the server numbers it after
 *   the frames it is about to replay, so it neither moves `lastSeq` nor is deduplicated (it
 *   is handled before a connection exists); a replayed `joined` later in a stream only moves
 *   `lastSeq`.
 * - Dedup is "drop any frame with seq ≤ the highest processed", which relies on the server
 *   sending in seq order (it must). Unknown frame types are ignored and do not move `lastSeq`.
 */
export class Connection {
  readonly #ws: WebSocketLike;
  readonly #clock: Clock;
  readonly #handlers: ConnectionHandlers;
  readonly #timers: Partial<Record<Timer, unknown>> = {};
  #lastSeq: number;
  #acked: number;
  #heardAt: number;
  #alive = true;
  /** When `joined` arrived (ms on the session's clock). */
  readonly joinedAt: number;

  /**
   * Takes over a socket whose `joined` frame has been read: from now on its messages and
   * close go to `settings.handlers`.
   */
  constructor(ws: WebSocketLike, settings: ConnectionSettings) {
    this.#ws = ws;
    this.#clock = settings.clock;
    this.#handlers = settings.handlers;
    this.#lastSeq = this.#acked = settings.lastSeq;
    this.#heardAt = this.joinedAt = this.#clock.now();
    ws.onmessage = (event: { data: unknown }) => this.#onMessage(event.data);
    ws.onclose = (event: { code: number }) => this.#end(event.code);
    this.#schedulePing();
    this.#watchSilence(SILENCE_TIMEOUT_MS);
  }

  /** Highest server `seq` processed so far (the session resumes from it). */
  get lastSeq(): number {
    return this.#lastSeq;
  }

  /** Sends a frame; a socket that is closing ignores it (its close handler takes over). */
  send(frame: ClientFrame): void {
    this.sendData(encodeFrame(frame));
  }

  /** Sends text or binary data as it is. */
  sendData(data: string | ArrayBufferLike | ArrayBufferView): void {
    if (!this.#alive) return;
    try {
      (this.#ws.send as (data: unknown) => void)(data);
    } catch {
      // a closing socket: its close event follows
    }
  }

  /** Closes the socket and stops every timer, without telling the handlers. */
  close(code?: number): void {
    if (!this.#alive) return;
    this.#detach();
    this.#ws.close(code);
  }

  #detach(): void {
    this.#alive = false;
    for (const timer of Object.values(this.#timers)) this.#clock.clearTimeout(timer);
    this.#ws.onmessage = this.#ws.onclose = noop;
  }

  /** The socket is gone (closed, or silent too long): tell the session once. */
  #end(code: number): void {
    if (!this.#alive) return;
    this.#detach();
    this.#ws.close();
    this.#handlers.closed(code);
  }

  #arm(timer: Timer, ms: number, run: () => void): void {
    this.#clock.clearTimeout(this.#timers[timer]);
    this.#timers[timer] = this.#clock.setTimeout(() => {
      this.#timers[timer] = undefined;
      run();
    }, ms);
  }

  #schedulePing(): void {
    this.#arm("ping", PING_INTERVAL_MS, () => {
      this.send({ type: "ping", t: this.#clock.now() });
      this.#schedulePing();
    });
  }

  /** Checks for silence when `ms` may have passed since the last frame; re-arms otherwise. */
  #watchSilence(ms: number): void {
    this.#arm("silence", ms, () => {
      const quiet = this.#clock.now() - this.#heardAt;
      if (quiet < SILENCE_TIMEOUT_MS) this.#watchSilence(SILENCE_TIMEOUT_MS - quiet);
      else this.#end(SILENT_CLOSE);
    });
  }

  #acknowledge(): void {
    if (this.#lastSeq > this.#acked) {
      this.#acked = this.#lastSeq;
      this.send({ type: "ack", seq: this.#acked });
    }
  }

  #onMessage(data: unknown): void {
    this.#heardAt = this.#clock.now();
    if (typeof data !== "string") {
      // Binary frames carry audio; the socket's binaryType is "arraybuffer".
      if (data instanceof ArrayBuffer) this.#handlers.binary(data);
      return;
    }
    let frame: ReturnType<typeof parseServerFrame>;
    try {
      frame = parseServerFrame(data);
    } catch (error) {
      this.#detach();
      this.#ws.close();
      this.#handlers.failed(error as UnpodError);
      return;
    }
    if (!frame || frame.type === "pong") return;
    if (frame.type === "ack") {
      this.#handlers.confirmed(frame.client_seq);
      return;
    }
    if (frame.seq <= this.#lastSeq) return; // a replay of a frame already processed
    this.#lastSeq = frame.seq;
    if (this.#lastSeq - this.#acked >= ACK_AFTER_FRAMES) this.#acknowledge();
    else if (!this.#timers.ack) this.#arm("ack", ACK_AFTER_MS, () => this.#acknowledge());
    this.#handlers.frame(frame);
  }
}
