import { type JoinedFrame, parseServerFrame, UnpodSessionError } from "@unpod/core";
import type { WebSocketConstructor, WebSocketLike } from "./runtime.js";

/** An attempt that ended on a close: `opened` tells a refused upgrade from a later close. */
export interface Closed {
  code: number;
  opened: boolean;
}

/** Handlers are reset to this, not `null`: `ws` (Node) throws on an unheard `error` event. */
export const noop = () => {};

/**
 * One connection attempt (run it `within` a deadline): opens the socket and waits for the
 * `joined` frame. On `joined` it calls `attach` synchronously — frames that follow in the
 * same network read must reach the session's handler — and resolves. Rejects with
 * {@link Closed} when the socket closes first, or `protocol_error` when the first frame is
 * not `joined`; `signal` closes the socket.
 */
export function openSocket(
  WS: WebSocketConstructor,
  url: string,
  attach: (ws: WebSocketLike, joined: JoinedFrame) => void,
  signal: AbortSignal,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const ws = new WS(url);
    let opened = false;
    const settle = (error: unknown, joined?: JoinedFrame) => {
      ws.onopen = ws.onmessage = ws.onclose = noop;
      if (joined) {
        attach(ws, joined);
        resolve();
      } else {
        ws.close();
        reject(error);
      }
    };
    signal.onabort = settle;
    ws.binaryType = "arraybuffer";
    ws.onerror = noop; // a close event follows
    ws.onopen = () => {
      opened = true;
    };
    ws.onclose = (e: { code: number }) => settle({ code: e.code, opened } satisfies Closed);
    ws.onmessage = (e: { data: unknown }) => {
      try {
        const frame = parseServerFrame(e.data);
        if (frame?.type !== "joined") {
          throw new UnpodSessionError("protocol_error", "Expected joined.");
        }
        settle(0, frame);
      } catch (error) {
        settle(error);
      }
    };
  });
}
