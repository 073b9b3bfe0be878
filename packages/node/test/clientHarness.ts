// Test harness for the REST client: a tiny node:http server on 127.0.0.1 that answers
// from a script, records what it received, and can misbehave (reset sockets, stall).
// Also the redaction tracker every client test file uses.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { inspect } from "node:util";
import { afterAll, beforeAll, expect } from "vitest";
import { type LogFields, UnpodClient, type UnpodClientOptions } from "../src/index.js";

/** A recorded request. */
export interface Received {
  method: string;
  url: string;
  headers: IncomingMessage["headers"];
  body: string;
  at: number;
}

/** One scripted answer: status/body/headers, or a misbehaviour. */
export type Reply =
  | { status: number; body?: unknown; headers?: Record<string, string> }
  | { reset: true }
  | { stall: true }
  /** Headers and the start of a body, then nothing (the socket stays open). */
  | { partial: string }
  /** Headers and the start of a body, then the connection is lost. */
  | { cut: string };

export type Handler = (req: Received, index: number) => Reply;

export interface TestServer {
  url: string;
  baseUrl: string;
  received: Received[];
  close(): Promise<void>;
}

export const TOKEN = "0123456789abcdef0123456789abcdef01234567";

/** Envelope helpers, shaped like the platform's. */
export const ok = (data: unknown, extra: Record<string, unknown> = {}): Reply => ({
  status: 200,
  body: { status_code: 200, message: "Success", data, ...extra },
});
export const fail = (
  status: number,
  message: string,
  extra: Record<string, unknown> = {},
): Reply => ({
  status,
  body: { status_code: status, message, ...extra },
});

export async function startServer(handler: Handler | Reply[]): Promise<TestServer> {
  const received: Received[] = [];
  const stalled = new Set<ServerResponse>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const r: Received = {
        method: req.method ?? "",
        url: req.url ?? "",
        headers: req.headers,
        body: Buffer.concat(chunks).toString("utf8"),
        at: Date.now(),
      };
      const index = received.length;
      received.push(r);
      const reply = Array.isArray(handler)
        ? (handler[Math.min(index, handler.length - 1)] as Reply)
        : handler(r, index);
      if ("reset" in reply) {
        req.socket.destroy();
        return;
      }
      if ("stall" in reply) {
        stalled.add(res);
        return;
      }
      if ("cut" in reply) {
        res.writeHead(200, { "content-type": "application/json" });
        res.write(reply.cut, () => setTimeout(() => req.socket.destroy(), 20));
        return;
      }
      if ("partial" in reply) {
        stalled.add(res);
        res.writeHead(200, { "content-type": "application/json" });
        res.write(reply.partial);
        return;
      }
      const headers: Record<string, string> = { ...reply.headers };
      let payload = "";
      if (reply.body !== undefined) {
        payload = typeof reply.body === "string" ? reply.body : JSON.stringify(reply.body);
        headers["content-type"] ??= "application/json";
      }
      res.writeHead(reply.status, headers);
      res.end(payload);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    baseUrl: `${url}/api/v2/platform/`,
    received,
    close: async () => {
      for (const res of stalled) res.socket?.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A file's scripted server: see {@link scriptedServer}. */
export interface ScriptedServer {
  /** The server (started before the file's tests). */
  readonly server: TestServer;
  /** Sets the replies of the next requests, in order, and forgets what was received. */
  reply(...replies: Reply[]): void;
}

/**
 * One server for the whole test file that answers each request with the next scripted
 * reply, and `ok(null)` once the script has run out.
 */
export function scriptedServer(): ScriptedServer {
  let server: TestServer | undefined;
  let next: Reply[] = [];
  beforeAll(async () => {
    server = await startServer(() => next.shift() ?? ok(null));
  });
  afterAll(() => server?.close());
  const started = (): TestServer => {
    if (server === undefined) throw new Error("the scripted server starts in beforeAll");
    return server;
  };
  return {
    get server() {
      return started();
    },
    reply(...replies: Reply[]) {
      next = replies;
      started().received.length = 0;
    },
  };
}

// --- redaction tracking ----------------------------------------------------------------

const seen: unknown[] = [];
const lines: { level: string; message: string; fields: LogFields }[] = [];

/** A logger that records every line (all four levels). */
export const recordingLogger = {
  debug: (message: string, fields: LogFields) => lines.push({ level: "debug", message, fields }),
  info: (message: string, fields: LogFields) => lines.push({ level: "info", message, fields }),
  warn: (message: string, fields: LogFields) => lines.push({ level: "warn", message, fields }),
  error: (message: string, fields: LogFields) => lines.push({ level: "error", message, fields }),
};

/** Log lines recorded so far in this file. */
export function logLines(): readonly { level: string; message: string; fields: LogFields }[] {
  return lines;
}

/** A client on the test server with the recording logger and fast retries. */
export function client(server: TestServer, options: UnpodClientOptions = {}): UnpodClient {
  const c = new UnpodClient({
    apiToken: TOKEN,
    baseUrl: server.baseUrl,
    orgHandle: "acme",
    productId: "prod-1",
    logger: recordingLogger,
    retry: { initialDelay: 0.01, maxDelay: 0.05 },
    ...options,
  });
  seen.push(c);
  return c;
}

/** Awaits a promise that must reject, records the error for the redaction scan, returns it. */
export async function rejection(
  promise: PromiseLike<unknown>,
): Promise<Error & Record<string, unknown>> {
  try {
    await promise;
  } catch (error) {
    seen.push(error);
    return error as Error & Record<string, unknown>;
  }
  throw new Error("expected a rejection");
}

/** Records anything else that must never show the token (objects, messages). */
export function track(value: unknown): void {
  seen.push(value);
}

/** Every rendering of a value a user might print or ship to a log service. */
export function renderings(value: unknown): string[] {
  const out = [inspect(value, { depth: 20, showHidden: true, getters: true })];
  try {
    out.push(JSON.stringify(value) ?? "");
  } catch {
    // circular: inspect covers it
  }
  if (value instanceof Error) {
    out.push(String(value), value.stack ?? "");
    let cause: unknown = value.cause;
    for (let i = 0; i < 5 && cause !== undefined; i++) {
      out.push(inspect(cause, { depth: 20, showHidden: true }), String(cause));
      cause = (cause as { cause?: unknown }).cause;
    }
  }
  return out;
}

/**
 * Registers the file-wide redaction check: after all tests, no recorded error, client or
 * log line may contain the token (the whole token, or its first 12 characters).
 */
export function scanForTokenAfterAll(tokens: string[] = [TOKEN]): void {
  afterAll(() => {
    const texts = [
      ...seen.flatMap(renderings),
      ...lines.map((l) => `${l.level} ${l.message} ${JSON.stringify(l.fields)}`),
    ];
    expect(texts.length).toBeGreaterThan(0);
    for (const text of texts) {
      for (const token of tokens) {
        expect(text).not.toContain(token);
        expect(text).not.toContain(token.slice(0, 12));
      }
    }
  });
}
