import {
  type JoinedFrame,
  parseServerFrame,
  UnpodArgumentError,
  UnpodSessionError,
} from "@unpod/core";
import type { WebSocketConstructor, WebSocketLike } from "./runtime.js";

/**
 * Maps `serverUrl` (http, https, ws or wss, optionally with a path prefix) to its
 * `ws(s)://` and `http(s)://` bases. Plain ws/http is refused unless the host is loopback or
 * `allowInsecure` is set.
 */
export function endpoints(serverUrl: unknown, allowInsecure: boolean): [ws: string, http: string] {
  let url: URL | undefined;
  try {
    url = new URL(serverUrl as string);
  } catch {
    // reported below
  }
  // "s" for https/wss, "" for http/ws, undefined for anything else.
  const s = /^(?:http|ws)(s?):$/.exec(url?.protocol as string)?.[1];
  if (
    s === undefined ||
    url?.search ||
    !(s || allowInsecure || /^(localhost|127\.[\d.]+|\[::1\])$/.test((url as URL).hostname))
  ) {
    throw new UnpodArgumentError(
      "serverUrl",
      "must be a wss/https URL without a query (ws/http: loopback or allowInsecure)",
    );
  }
  const { host, pathname } = url as URL;
  const rest = `://${host}${pathname.replace(/\/+$/, "")}`;
  return [`ws${s}${rest}`, `http${s}${rest}`];
}

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
