import { request } from "node:http";
import type { RtcStats } from "@unpod/dev-server";
import { expect, inject } from "vitest";
import WebSocket from "ws";
import type { UnpodProviderSessionOptions } from "../src/index.js";

/** A dev server running in the main process (see setup/devServers.ts), driven over HTTP. */
export interface DevServer {
  url: string;
  rtcUrl: string;
  /** An access token minted with `AccessToken` in the server's process. */
  token(claims?: { identity?: string; room?: string; canPublishData?: boolean }): Promise<string>;
  stats(): Promise<RtcStats>;
  sessions(): Promise<Array<{ sessionId: string; identity: string; connected: boolean }>>;
  push(
    sessionId: string,
    frame: { type: "agent_reply" | "user_turn"; turn_id: string; text: string; final: boolean },
  ): Promise<void>;
  close(): Promise<void>;
}

// node:http, not fetch: in a happy-dom test file `fetch` is the DOM's, with CORS.
function call<T>(path: string, body?: unknown): Promise<T> {
  return new Promise((resolve, reject) => {
    const req = request(`${inject("devServerBridge")}${path}`, { method: "POST" }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (chunk) => {
        text += chunk;
      });
      res.on("end", () =>
        res.statusCode === 200 ? resolve(JSON.parse(text) as T) : reject(new Error(text)),
      );
    });
    req.on("error", reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

/** A fresh dev server on 127.0.0.1 for this test file. */
export async function startServer(): Promise<DevServer> {
  const info = await call<{ id: string; url: string; rtcUrl: string }>("/start");
  return {
    url: info.url,
    rtcUrl: info.rtcUrl,
    token: ({ identity = "alice", room = "lobby", canPublishData = true } = {}) =>
      call(`/${info.id}/token`, { identity, room, canPublishData }),
    stats: () => call(`/${info.id}/stats`),
    sessions: () => call(`/${info.id}/sessions`),
    push: (sessionId, frame) => call(`/${info.id}/push`, { sessionId, frame }),
    close: () => call(`/${info.id}/close`),
  };
}

/** Node 20 has no global WebSocket: every session in these tests gets `ws`'s, counted. */
export class CountingWebSocket extends WebSocket {
  static created = 0;
  constructor(...args: ConstructorParameters<typeof WebSocket>) {
    super(...args);
    CountingWebSocket.created++;
  }
}

export const sessionOptions = {
  WebSocket: CountingWebSocket,
} as unknown as UnpodProviderSessionOptions;

/** A 10-minute access token for the dev server, minted by `AccessToken` in its process. */
export function mintToken(
  server: DevServer,
  claims: { identity?: string; room?: string; canPublishData?: boolean } = {},
): Promise<string> {
  return server.token(claims);
}

/** Server counters relative to a baseline taken now. */
export async function statsSince(server: DevServer): Promise<() => Promise<RtcStats>> {
  const base = await server.stats();
  return async () => {
    const now = await server.stats();
    return {
      upgrades: now.upgrades - base.upgrades,
      validates: now.validates - base.validates,
      refused: now.refused - base.refused,
      activeSockets: now.activeSockets,
      sessions: now.sessions,
    };
  };
}

/** Waits until the server has no socket and no live session left. */
export async function expectServerIdle(server: DevServer): Promise<void> {
  await expect
    .poll(async () => {
      const { activeSockets, sessions } = await server.stats();
      return { activeSockets, sessions };
    })
    .toEqual({ activeSockets: 0, sessions: 0 });
}

/**
 * Lets anything the page or a component started (token fetch, socket) get under way: a
 * macrotask, then a round trip to the server's process.
 */
export async function settle(server: DevServer): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 0));
  await server.stats();
}
