import type { Duration } from "@unpod/core";
import type { FetchLike, WebSocketConstructor } from "./internal/runtime.js";
import type { ReconnectPolicy } from "./reconnectPolicy.js";
import type { TokenSource } from "./tokenSource.js";
import type { Clock, Logger } from "./types.js";

/** Settings shared by both ways of giving a session its token. */
export interface SessionSettings {
  /** `WebSocket` implementation. @defaultValue `globalThis.WebSocket` (Node 20 has none: pass `WebSocket` from `ws`) */
  WebSocket?: WebSocketConstructor;
  /** `fetch` implementation, for the validate endpoint and a token endpoint URL. @defaultValue `globalThis.fetch` */
  fetch?: FetchLike;
  /** When to reconnect after a drop, or `false` to stop instead. @defaultValue `exponentialBackoff()` */
  reconnect?: ReconnectPolicy | false;
  /** Deadline of one connection attempt (socket and `joined`) and of each HTTP call. @defaultValue `"10s"` */
  connectTimeout?: Duration;
  /** With a token source: get a new token this long before `exp` (at most a quarter of the token's life). @defaultValue `"30s"` */
  tokenStaleMargin?: Duration;
  /** Allow plain `ws://` / `http://` to hosts other than loopback. @defaultValue false */
  allowInsecure?: boolean;
  /** Diagnostics (the session never uses `console`; a logger that throws is ignored). @defaultValue none */
  logger?: Logger;
  /** Time and timers; inject one in tests. @defaultValue the host's `Date.now` and `setTimeout` */
  clock?: Clock;
}

/**
 * Options of {@link UnpodSession}: the server, and either a `token` minted by your backend
 * or a `tokenSource` that fetches one.
 */
export type UnpodSessionOptions = (
  | {
      /** Server URL: `https://…` or `wss://…` (`http://` / `ws://` to loopback). */
      serverUrl: string;
      /** An access token minted by your backend. */
      token: string;
      /** Not with `token`. */
      tokenSource?: never;
    }
  | {
      /** Server URL: `https://…` or `wss://…` (`http://` / `ws://` to loopback). */
      serverUrl: string;
      /** Where to get tokens: your backend's token endpoint URL, or a function. */
      tokenSource: TokenSource;
      /** Not with `tokenSource`. */
      token?: never;
    }
) &
  SessionSettings;

/** Options of {@link UnpodSession.connect}. */
export interface ConnectOptions {
  /** Cancels the attempt: `connect()` rejects with `aborted` and the session stops. */
  signal?: AbortSignal;
}
