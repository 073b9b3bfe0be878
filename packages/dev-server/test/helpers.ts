import { AccessToken } from "@unpod/node";
import { SignJWT } from "jose";
import { WebSocket } from "ws";
import { type Clock, type DevServer, type DevServerOptions, startDevServer } from "../src/index.js";

/** A fake clock: time moves only when the test says so. */
export class FakeClock implements Clock {
  #now: number;
  #timers = new Map<number, { at: number; fn: () => void }>();
  #next = 1;
  // Whole seconds, like JWT dates, so "3/4 of a 4 s token" is exactly 3 s from the start.
  constructor(start = Math.floor(Date.now() / 1000) * 1000) {
    this.#now = start;
  }
  now(): number {
    return this.#now;
  }
  setTimeout(fn: () => void, ms: number): unknown {
    const id = this.#next++;
    this.#timers.set(id, { at: this.#now + Math.max(0, ms), fn });
    return id;
  }
  clearTimeout(handle: unknown): void {
    this.#timers.delete(handle as number);
  }
  /** Moves time forward, firing due timers in order. */
  advance(ms: number): void {
    const end = this.#now + ms;
    for (;;) {
      let first: [number, { at: number; fn: () => void }] | undefined;
      for (const e of this.#timers)
        if (e[1].at <= end && (!first || e[1].at < first[1].at)) first = e;
      if (!first) break;
      this.#timers.delete(first[0]);
      this.#now = Math.max(this.#now, first[1].at);
      first[1].fn();
    }
    this.#now = end;
  }
}

export async function start(options: DevServerOptions = {}): Promise<DevServer> {
  return startDevServer(options);
}

export interface ApiOptions {
  method?: string;
  token?: string | null | undefined;
  org?: string | null;
  product?: string | null;
  headers?: Record<string, string>;
  body?: unknown;
  raw?: string;
  redirect?: RequestRedirect;
}

/** Calls the REST API with the server's credentials unless told otherwise. */
export async function api(server: DevServer, path: string, o: ApiOptions = {}) {
  const headers: Record<string, string> = { ...o.headers };
  const token = o.token === undefined ? server.credentials.apiToken : o.token;
  if (token !== null) headers.Authorization = `Token ${token}`;
  const org = o.org === undefined ? server.credentials.orgHandle : o.org;
  if (org !== null) headers["Org-Handle"] = org;
  const product = o.product === undefined ? server.credentials.productId : o.product;
  if (product !== null) headers["Product-ID"] = product;
  let body: string | null = o.raw ?? null;
  if (o.body !== undefined) {
    body = JSON.stringify(o.body);
    headers["Content-Type"] = "application/json";
  }
  const res = await fetch(new URL(path, server.apiUrl), {
    method: o.method ?? "GET",
    headers,
    body,
    redirect: o.redirect ?? "manual",
  });
  const text = await res.text();
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON bodies
  let json: any;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}

export interface TokenOptions {
  identity?: string;
  room?: string;
  canPublishData?: boolean;
  roomJoin?: boolean;
  ttl?: number | string;
  name?: string;
  now?: number;
}

/** Mints an access token with the server's key. */
export function mint(server: DevServer, o: TokenOptions = {}): Promise<string> {
  const at = new AccessToken<string>({
    apiKey: server.credentials.apiKey,
    apiSecret: server.credentials.apiSecret,
    identity: o.identity ?? "user-1",
    ...(o.name !== undefined ? { name: o.name } : {}),
    ttl: o.ttl ?? "1h",
    ...(o.now !== undefined ? { currentDate: () => new Date(o.now as number) } : {}),
  });
  at.addGrant({
    roomJoin: (o.roomJoin ?? true) as true,
    room: o.room ?? "room-1",
    canPublishData: o.canPublishData ?? true,
  });
  return at.toJwt();
}

/** Signs arbitrary claims with jose (for tokens AccessToken refuses to make). */
export function signRaw(
  secret: string,
  claims: Record<string, unknown>,
  alg = "HS256",
): Promise<string> {
  return new SignJWT(claims)
    .setProtectedHeader({ alg, typ: "JWT" })
    .sign(new TextEncoder().encode(secret));
}

export interface Frame {
  type: string;
  seq?: number;
  [k: string]: unknown;
}

/** A minimal protocol client on a plain `ws` socket. */
export class RtcClient {
  readonly ws: WebSocket;
  readonly frames: Frame[] = [];
  #waiters: (() => void)[] = [];
  #read = 0;
  readonly closed: Promise<{ code: number; reason: string }>;

  private constructor(ws: WebSocket) {
    this.ws = ws;
    ws.on("message", (data) => {
      this.frames.push(JSON.parse(String(data)) as Frame);
      for (const w of this.#waiters.splice(0)) w();
    });
    this.closed = new Promise((resolve) => {
      ws.on("close", (code, reason) => {
        resolve({ code, reason: String(reason) });
        for (const w of this.#waiters.splice(0)) w();
      });
    });
  }

  /** Opens a socket; rejects with `{status, body}` when the upgrade is refused. */
  static connect(url: string): Promise<RtcClient> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url);
      const client = new RtcClient(ws);
      ws.once("open", () => resolve(client));
      ws.once("unexpected-response", (_req, res) => {
        let body = "";
        res.on("data", (d: Buffer) => {
          body += d;
        });
        res.on("end", () =>
          reject({ status: res.statusCode, body: JSON.parse(body), headers: res.headers }),
        );
      });
      ws.once("error", (e) => reject(e));
    });
  }

  /** The next unread frame (optionally of a type, skipping others), within `timeout` ms. */
  async next(type?: string, timeout = 3000): Promise<Frame> {
    const deadline = Date.now() + timeout;
    for (;;) {
      while (this.#read < this.frames.length) {
        const f = this.frames[this.#read++] as Frame;
        if (!type || f.type === type) return f;
      }
      if (this.ws.readyState === WebSocket.CLOSED)
        throw new Error(`socket closed while waiting for ${type ?? "a frame"}`);
      const left = deadline - Date.now();
      if (left <= 0)
        throw new Error(
          `timed out waiting for ${type ?? "a frame"}; got ${JSON.stringify(this.frames)}`,
        );
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.#waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  send(frame: unknown): void {
    this.ws.send(typeof frame === "string" ? frame : JSON.stringify(frame));
  }

  close(): void {
    this.ws.close();
  }
}

/** Polls `condition` (real time) until it holds, for state the server reaches asynchronously. */
export async function waitFor(condition: () => boolean, timeout = 3000): Promise<void> {
  const deadline = Date.now() + timeout;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("condition not reached in time");
    await new Promise((r) => setTimeout(r, 5));
  }
}

export function rtcUrl(server: DevServer, params: Record<string, string | number>): string {
  const u = new URL("/v1/rtc", server.rtcUrl);
  for (const [k, v] of Object.entries(params)) u.searchParams.set(k, String(v));
  return u.toString();
}

export async function validate(server: DevServer, params: Record<string, string | number>) {
  const u = new URL("/v1/rtc/validate", server.url);
  for (const [k, v] of Object.entries(params)) u.searchParams.set(k, String(v));
  const res = await fetch(u);
  return {
    status: res.status,
    json: (await res.json()) as { status_code: number; message: string },
  };
}
