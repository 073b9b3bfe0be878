import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Duplex } from "node:stream";
import { type DevServer, type DevServerOptions, startDevServer } from "@unpod/dev-server";
import { AccessToken } from "@unpod/node";
import { WebSocket, WebSocketServer } from "ws";
import {
  type SessionEvents,
  type UnpodError,
  UnpodSession,
  type UnpodSessionOptions,
} from "../src/index.js";

export { WebSocket };

/** Starts a dev server on a free loopback port; closed by the returned `close`. */
export function devServer(options: DevServerOptions = {}): Promise<DevServer> {
  return startDevServer({ resumeWindow: 30, ...options });
}

/** Options of {@link mint}. */
export interface MintOptions {
  identity?: string;
  room?: string;
  ttl?: number | string;
  canPublishData?: boolean;
  /** Audio up (voice); default true. */
  canPublish?: boolean;
  roomJoin?: boolean;
  now?: () => number;
  secret?: string;
  /** The API key in `iss` (default: the server's). */
  apiKey?: string;
}

/** Mints an access token the dev server accepts (the app backend's job, done here in Node). */
export function mint(server: DevServer, o: MintOptions = {}): Promise<string> {
  const token = new AccessToken<string>({
    apiKey: o.apiKey ?? server.credentials.apiKey,
    apiSecret: o.secret ?? server.credentials.apiSecret,
    identity: o.identity ?? "user-1",
    ttl: o.ttl ?? "10m",
    ...(o.now && { currentDate: () => new Date((o.now as () => number)()) }),
  });
  if (o.roomJoin === false) token.addGrant({ room: o.room ?? "room-1", roomJoin: false });
  else
    token.addGrant({
      room: o.room ?? "room-1",
      roomJoin: true,
      canPublishData: o.canPublishData ?? true,
      canPublish: o.canPublish ?? true,
    });
  return token.toJwt();
}

/** A session against `server`, using `ws` (Node 20 has no global WebSocket). */
export function session(
  server: { rtcUrl: string } | string,
  options: Omit<UnpodSessionOptions, "serverUrl">,
): UnpodSession {
  return new UnpodSession({
    serverUrl: typeof server === "string" ? server : server.rtcUrl,
    WebSocket,
    ...options,
  } as UnpodSessionOptions);
}

/** Resolves with the next `type` event's payload. */
export function next<K extends keyof SessionEvents>(
  s: UnpodSession,
  type: K,
  where: (payload: SessionEvents[K]) => boolean = () => true,
): Promise<SessionEvents[K]> {
  return new Promise((resolve) => {
    const off = s.on(type, (payload) => {
      if (where(payload)) {
        off();
        resolve(payload);
      }
    });
  });
}

/** Polls `predicate` on the event loop (no fixed sleeps) until it holds, or fails after `ms`. */
export async function until(
  predicate: () => boolean,
  ms = 5000,
  what = "condition",
): Promise<void> {
  const deadline = Date.now() + ms;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** Catches a rejection (or a throw) and returns the error, failing when there is none. */
export async function rejection(
  promise: Promise<unknown> | (() => unknown),
): Promise<UnpodError & Record<string, unknown>> {
  try {
    await (typeof promise === "function" ? promise() : promise);
  } catch (error) {
    return error as UnpodError & Record<string, unknown>;
  }
  throw new Error("expected a rejection");
}

/** A node:http server for fault cases the dev server does not produce. */
export interface TinyServer {
  url: string;
  wsUrl: string;
  server: Server;
  wss: WebSocketServer;
  upgrades: number;
  requests: string[];
  close(): Promise<void>;
}

/**
 * Starts a node:http server on 127.0.0.1. `onRequest` answers plain HTTP (validate, token
 * endpoints); `onUpgrade` decides each upgrade: return a status to refuse it, "hang" to
 * never answer, or a function that takes the accepted `ws` socket.
 */
export async function tinyServer(handlers: {
  onRequest?: (req: IncomingMessage, res: ServerResponse) => void;
  onUpgrade?: (
    req: IncomingMessage,
  ) => number | "hang" | ((ws: import("ws").WebSocket, req: IncomingMessage) => void);
}): Promise<TinyServer> {
  const wss = new WebSocketServer({ noServer: true });
  const sockets = new Set<Duplex>();
  const server = createServer((req, res) => {
    t.requests.push(req.url ?? "");
    if (handlers.onRequest) handlers.onRequest(req, res);
    else res.writeHead(404).end();
  });
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  server.on("upgrade", (req, socket, head) => {
    t.upgrades += 1;
    sockets.add(socket);
    const decision = handlers.onUpgrade?.(req) ?? 404;
    if (decision === "hang") return;
    if (typeof decision === "number") {
      const body = JSON.stringify({ status_code: decision, message: "Refused." });
      socket.end(
        `HTTP/1.1 ${decision} Refused\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`,
      );
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => decision(ws, req));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  const t: TinyServer = {
    url: `http://127.0.0.1:${port}`,
    wsUrl: `ws://127.0.0.1:${port}`,
    server,
    wss,
    upgrades: 0,
    requests: [],
    close: async () => {
      for (const c of wss.clients) c.terminate();
      for (const s of sockets) s.destroy();
      await new Promise((r) => server.close(r));
    },
  };
  return t;
}

/** A `joined` frame for the tiny server. */
export function joined(overrides: Record<string, unknown> = {}): string {
  return JSON.stringify({
    type: "joined",
    seq: 1,
    session_id: "SE_tiny",
    room: "room-1",
    participant: { identity: "user-1" },
    resumed: false,
    client_seq: 0,
    resume_window_s: 30,
    server_time: Date.now(),
    ...overrides,
  });
}
