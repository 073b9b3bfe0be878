import { UnpodArgumentError } from "@unpod/core";
import { invalidArgument } from "@unpod/core/internal";

/**
 * An event handler slot of {@link WebSocketLike}. The parameter is `never` so that both the
 * DOM's WebSocket and the `ws` package (whose event types differ) fit.
 */
export type WebSocketHandler = ((event: never) => void) | null;

/** The part of the standard `WebSocket` the session uses (the DOM's, Node 22's, or `ws`'s). */
export interface WebSocketLike {
  /** The session sets `"arraybuffer"` (binary frames are reserved for audio). */
  binaryType: string;
  /** Open handler. */
  onopen: WebSocketHandler;
  /** Message handler. */
  onmessage: WebSocketHandler;
  /** Close handler. */
  onclose: WebSocketHandler;
  /** Error handler. */
  onerror: WebSocketHandler;
  /**
   * Sends a text frame.
   *
   * @param data - The frame's text.
   */
  send(data: string): void;
  /**
   * Closes the socket.
   *
   * @param code - Close code.
   * @param reason - Close reason.
   */
  close(code?: number, reason?: string): void;
}

/** A `WebSocket` constructor: `globalThis.WebSocket`, or `WebSocket` from the `ws` package. */
export type WebSocketConstructor = new (url: string) => WebSocketLike;

/** The part of `fetch` the session uses (the validate endpoint and a token endpoint URL). */
export type FetchLike = (
  url: string,
  init: { signal: AbortSignal; cache: "no-store" },
) => Promise<Response>;

/**
 * The runtime's feature checks, in one place: the implementation given as an option, else
 * the global one, else an {@link UnpodArgumentError} naming the option (Node 20 has no
 * global `WebSocket`).
 */
export function runtime<K extends "WebSocket" | "fetch">(
  name: K,
  given: unknown,
): K extends "fetch" ? FetchLike : WebSocketConstructor {
  const impl = given ?? (globalThis as Record<string, unknown>)[name];
  if (typeof impl !== "function") {
    throw invalidArgument(name, 'not in this runtime: pass one (on Node 20, "ws")');
  }
  return impl as never;
}
