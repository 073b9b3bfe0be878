import type { JoinedFrame, SequencedServerFrame } from "@unpod/core";
import type { SafeLogger } from "./internal/logger.js";
import type { UnsequencedClientFrame } from "./internal/outbox.js";

/**
 * Something that plugs into an {@link UnpodSession} without reaching into it — how
 * `@unpod/browser/voice` adds audio. Every hook is optional; one that throws is reported
 * to the session's logger and changes nothing else (but {@link SessionExtension.start},
 * whose failure fails `connect()`).
 */
export interface SessionExtension {
  /** Query parameters added to every upgrade URL, new session and resume alike (e.g. `audio`). */
  readonly query?: Readonly<Record<string, string>>;
  /**
   * `connect()` starts a new session. Called synchronously inside `connect()` — so inside
   * the caller's user gesture, which microphones and audio playback need — and awaited
   * together with the socket: `connect()` resolves once both are done, and fails (stopping
   * the session) when this rejects.
   *
   * @param signal - Aborted when the attempt is cancelled (`disconnect()`, a failed socket).
   */
  start?(signal: AbortSignal): Promise<void> | void;
  /**
   * A socket joined: the first of a new session, or a resume.
   *
   * @param joined - The server's `joined` frame (with `audio` when it was granted).
   */
  joined?(joined: JoinedFrame): void;
  /**
   * A sequenced server frame the session does not handle itself (the audio frames), and
   * every `error` frame after the session has reported it (an extension may own it), once,
   * in order, after replays the session has seen are dropped.
   *
   * @param frame - The frame.
   */
  frame?(frame: SequencedServerFrame): void;
  /**
   * A binary frame (audio) on the current socket.
   *
   * @param data - Its bytes.
   */
  binary?(data: ArrayBuffer): void;
  /** The socket dropped; the session is reconnecting. */
  dropped?(): void;
  /** The session stopped (`disconnected`, for any reason): release everything. */
  stopped?(): void;
}

/** What {@link UnpodSession.use} gives an extension: a way to send, and to leave. */
export interface SessionLink {
  /**
   * Sends a sequenced client frame (e.g. `mute`): numbered, kept until the server confirms
   * it, resent after a resume — like `sendText`.
   *
   * @param frame - The frame without its `seq`.
   * @throws {@link UnpodConnectionError} `network_error` when the session is not connected
   *   or reconnecting; {@link UnpodSessionError} `buffer_full`.
   */
  send(frame: UnsequencedClientFrame): void;
  /**
   * Sends a binary frame on the current socket, if there is one (audio is real time: it is
   * never buffered).
   *
   * @param data - The bytes.
   * @returns Whether it was sent.
   */
  sendBinary(data: ArrayBuffer | ArrayBufferView): boolean;
  /** Removes the extension from the session. */
  remove(): void;
}

/** The extensions of one session, each hook called safely. */
export class Extensions {
  readonly #all = new Set<SessionExtension>();
  readonly #logger: SafeLogger;

  constructor(logger: SafeLogger) {
    this.#logger = logger;
  }

  add(extension: SessionExtension): () => void {
    this.#all.add(extension);
    return () => {
      this.#all.delete(extension);
    };
  }

  /** The query parameters of every extension, as `&k=v…`. */
  query(): string {
    let query = "";
    for (const extension of this.#all) {
      for (const [key, value] of Object.entries(extension.query ?? {})) {
        query += `&${encodeURIComponent(key)}=${encodeURIComponent(value)}`;
      }
    }
    return query;
  }

  /** Calls `start` on each; the promises to await (a synchronous throw is a rejection). */
  start(signal: AbortSignal): Promise<unknown>[] {
    return [...this.#all].map((extension) => {
      try {
        return Promise.resolve(extension.start?.(signal));
      } catch (error) {
        return Promise.reject(error);
      }
    });
  }

  /** Calls a notification hook on each; a throw is logged and goes no further. */
  notify<K extends "joined" | "frame" | "binary" | "dropped" | "stopped">(
    hook: K,
    ...args: Parameters<NonNullable<SessionExtension[K]>>
  ): void {
    for (const extension of this.#all) {
      try {
        (extension[hook] as ((...a: unknown[]) => void) | undefined)?.(...args);
      } catch (error) {
        this.#logger.warn(`extension ${hook} hook threw`, { error });
      }
    }
  }
}
