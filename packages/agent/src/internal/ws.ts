import type { WebSocket as WsSocket } from "ws";

/** The `ws` client class. */
export type WsConstructor = typeof WsSocket;

let loading: Promise<WsConstructor> | undefined;

/**
 * The `ws` package, loaded on first use: sockets need headers (`Authorization`), which the
 * WHATWG `WebSocket` cannot send. Loading it lazily keeps `createDialogHandler` free of it
 * (edge runtimes have no `ws`).
 */
export function loadWs(): Promise<WsConstructor> {
  loading ??= import("ws").then((mod) => {
    const m = mod as unknown as { WebSocket?: WsConstructor; default?: WsConstructor };
    return (m.WebSocket ?? m.default) as WsConstructor;
  });
  return loading;
}

/** Largest message accepted from the orchestrator (frames are at most 64 Ki characters). */
export const MAX_PAYLOAD = 256 * 1024;
/** Bytes waiting in a socket's send buffer past which senders wait for it to drain. */
export const HIGH_WATER_MARK = 256 * 1024;
