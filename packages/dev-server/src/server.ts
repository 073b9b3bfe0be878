import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { getRequestListener } from "@hono/node-server";
import { RTC_PATH, RTC_VALIDATE_PATH, UnpodArgumentError } from "@unpod/core";
import { polyfillAsyncDispose } from "@unpod/core/internal";
import { Hono } from "hono";
import { mountAdmin } from "./adminRoutes.js";
import { DroppedConnection, faultMiddleware } from "./faultMiddleware.js";
import { type DevServerFaults, FaultInjector } from "./faults.js";
import { createFixtures } from "./fixtures.js";
import { randomHex } from "./internal/random.js";
import type { DevServerOptions } from "./options.js";
import { runnerAuthorized } from "./orchestrator/auth.js";
import { Orchestrator } from "./orchestrator/orchestrator.js";
import { type DevServerPipe, PipeTable } from "./orchestrator/pipes.js";
import { SessionAgent } from "./orchestrator/sessionAgent.js";
import { SessionTokens } from "./orchestrator/sessionTokens.js";
import { type DevServerRequest, requestRecord } from "./requestLog.js";
import { resolveOptions } from "./resolveOptions.js";
import { tooLarge } from "./rest/body.js";
import { djangoNotFound, fail, json } from "./rest/envelope.js";
import { IdempotencyStore } from "./rest/idempotency.js";
import { API_PREFIX, createPlatformApp } from "./rest/index.js";
import type { AppEnv } from "./rest/types.js";
import { RtcHub } from "./rtc/hub.js";
import { loadVad } from "./rtc/voice/vad.js";
import type { DevServerCredentials, DevServerRtc, DevServerWorkers } from "./serverParts.js";
import { Store } from "./store.js";
import { createTestKit, type DevServerTestKit } from "./testKit.js";

/**
 * A running dev server: from {@link startDevServer}. With its test kit (`reset()`,
 * `createClient()`, `createToken()`), and disposable: `await using server = await
 * startDevServer()` closes it when the block ends.
 *
 * `JSON.stringify` and `util.inspect` of it (and of its `credentials`) show no secret.
 */
export interface DevServer extends DevServerTestKit, AsyncDisposable {
  /** Base URL, e.g. `http://127.0.0.1:7880`. */
  readonly url: string;
  /** REST base URL: `${url}/api/v2/platform/`. */
  readonly apiUrl: string;
  /** Real-time server URL, e.g. `ws://127.0.0.1:7880` (clients append `/v1/rtc`). */
  readonly rtcUrl: string;
  /** The development credentials it accepts. */
  readonly credentials: DevServerCredentials;
  /** Secret for the `X-Dev-Admin` header of the `/__dev/*` admin routes (with `faults: true`). */
  readonly adminSecret: string;
  /** Real-time control. */
  readonly rtc: DevServerRtc;
  /** Agent runners connected to it (`/v1/internal/workers`) and their calls. */
  readonly workers: DevServerWorkers;
  /** The pipes sessions are routed by (the fixture pipe `dev-pipe` included). */
  readonly pipes: readonly DevServerPipe[];
  /** Fault injection; its methods throw unless the server started with `faults: true`. */
  readonly faults: DevServerFaults;
  /**
   * REST requests answered so far, oldest first (capped by `maxRequestLog`): method, path,
   * status, the request id and idempotency key sent, which scope headers were present,
   * and whether the answer was an idempotent replay.
   */
  readonly requests: ReadonlyArray<DevServerRequest>;
  /**
   * Stops the server: every session gets `leave {reason: "server_shutdown"}` and close 1001,
   * then the port is released.
   *
   * @returns When everything is closed.
   */
  close(): Promise<void>;
  /**
   * {@link DevServer.close}, for `await using` (TypeScript 5.2+; on runtimes without
   * `Symbol.asyncDispose` the SDK defines it).
   *
   * @returns When everything is closed.
   * @example
   * ```ts
   * import { startDevServer } from "@unpod/dev-server";
   * {
   *   await using server = await startDevServer();
   *   await server.createClient().spaces.list();
   * } // closed here, even when the block throws
   * ```
   */
  [Symbol.asyncDispose](): Promise<void>;
}

const inspect = Symbol.for("nodejs.util.inspect.custom");

/** Makes `value` print without its secrets (non-enumerable, so spreading copies only the data). */
function hideSecrets<T extends object>(
  value: T,
  visible: () => Record<string, unknown>,
  name: string,
): T {
  Object.defineProperty(value, "toJSON", { value: visible, enumerable: false });
  Object.defineProperty(value, inspect, {
    value: (_d: number, opts: object, ins: (v: unknown, o: object) => string) =>
      `${name} ${ins(visible(), opts)}`,
    enumerable: false,
  });
  return value;
}

function urlHost(host: string): string {
  if (host === "0.0.0.0") return "127.0.0.1";
  if (host === "::" || host === "[::]") return "[::1]";
  return host.includes(":") && !host.startsWith("[") ? `[${host}]` : host;
}

/**
 * Starts a local Unpod server: the platform's REST API under `/api/v2/platform/` over
 * in-memory fixture data, and the real-time endpoint `/v1/rtc` (plus `/v1/rtc/validate`)
 * with the echo agent. With no options it listens on a free port of 127.0.0.1 with the
 * credentials of `UNPOD_API_TOKEN`, `UNPOD_API_KEY`/`UNPOD_API_SECRET`, `UNPOD_ORG_HANDLE`
 * and `UNPOD_PRODUCT_ID` where the environment sets them, fresh random ones where it does
 * not (options win over the environment; `env: false` ignores it); pass them to your SDK
 * clients from `server.credentials`.
 *
 * @param options - Port, host, credentials, timings, fault injection, logger, clock.
 * @returns The running server.
 * @throws {@link UnpodArgumentError} naming a bad option (e.g. `faults` on a non-loopback host)
 *   or environment variable (e.g. `UNPOD_API_SECRET` shorter than 32 bytes, or set without
 *   `UNPOD_API_KEY`); the listen error (e.g. `EADDRINUSE`) when the port is taken.
 * @example
 * ```ts
 * import { startDevServer } from "@unpod/dev-server";
 *
 * const server = await startDevServer();
 * const res = await fetch(`${server.apiUrl}spaces/`, {
 *   headers: {
 *     Authorization: `Token ${server.credentials.apiToken}`,
 *     "Org-Handle": server.credentials.orgHandle,
 *   },
 * });
 * const { data } = await res.json();
 * await server.close();
 * ```
 */
export async function startDevServer(options: DevServerOptions = {}): Promise<DevServer> {
  const o = resolveOptions(options);
  const log = o.logger;
  const fixtures = { orgHandle: o.orgHandle, productId: o.productId };
  const store = new Store(createFixtures(fixtures));
  const faults = new FaultInjector(o.faults);
  const vad = o.audio ? await loadVad() : undefined;
  const [apiKey, apiSecret] = Object.entries(o.keys)[0] as [string, string];
  const pipes = new PipeTable(o.pipes);
  const sessionTokens = new SessionTokens({ apiKey, apiSecret, clock: o.clock });
  let wsBase = "";
  const orchestrator = new Orchestrator({
    clock: o.clock,
    logger: log,
    heartbeatIntervalS: o.heartbeatIntervalS,
    assignDeadlineMs: o.assignDeadlineMs,
    wsBase: () => wsBase,
    authorize: (authorization, orgHandle) =>
      runnerAuthorized(authorization, orgHandle, o.apiTokens, (h) => !!store.organization(h)),
  });
  const hub = new RtcHub({
    keys: o.keys,
    clockTolerance: o.clockTolerance,
    resumeWindowMs: o.resumeWindowMs,
    idleTimeoutMs: o.idleTimeoutMs,
    clock: o.clock,
    logger: log,
    faults,
    audio: o.audio && vad ? { ...o.audio, vad } : undefined,
    pipes,
    sessionTokens,
    openAgent: (port, route) =>
      new SessionAgent({ orchestrator, logger: log, fetch: globalThis.fetch }, port, route),
  });
  const adminSecret = randomHex(24);
  const requests: DevServerRequest[] = [];
  const platform = createPlatformApp(
    {
      store,
      clock: o.clock,
      maxBodySize: o.maxBodySize,
      sessions: { pipes, tokens: sessionTokens },
    },
    o.apiTokens,
  );
  const idempotency =
    o.idempotency &&
    new IdempotencyStore({ ...o.idempotency, clock: o.clock, maxBodySize: o.maxBodySize });

  const app = new Hono<AppEnv>();
  const dropped = new WeakSet<object>();
  app.use("*", async (c, next) => {
    const admin = c.req.path.startsWith("/__dev/");
    let status = 0;
    try {
      await next();
      status = dropped.has(c.env.incoming) ? 0 : c.res.status;
    } finally {
      if (!admin) {
        if (o.maxRequestLog > 0) {
          requests.push(requestRecord(c.req.raw, c.req.path, status, c.res));
          if (requests.length > o.maxRequestLog) requests.shift();
        }
        log.info?.(`${c.req.method} ${c.req.path} ${status}`);
      }
    }
  });
  app.use("*", faultMiddleware(faults, dropped, log));
  app.use("*", async (c, next) => {
    // Refuse a declared oversize body at once; chunked ones are counted as they are read.
    if (Number(c.req.header("content-length") ?? "0") > o.maxBodySize)
      return tooLarge(o.maxBodySize);
    return next();
  });

  app.get("/", () =>
    json(
      {
        status_code: 200,
        message: "Unpod dev server",
        data: { api: `${API_PREFIX}/`, rtc: RTC_PATH, validate: RTC_VALIDATE_PATH },
      },
      200,
    ),
  );
  const cors = { "Access-Control-Allow-Origin": "*" };
  app.get(RTC_VALIDATE_PATH, async (c) => {
    const url = new URL(c.req.url);
    const { status, body } = await hub.validate(url.searchParams);
    return new Response(body, { status, headers: { "Content-Type": "application/json", ...cors } });
  });
  app.get(RTC_PATH, () => fail(426, "Upgrade Required.", { headers: { Upgrade: "websocket" } }));

  if (o.faults) mountAdmin(app, { adminSecret, hub, faults, requests, maxBodySize: o.maxBodySize });

  app.all(`${API_PREFIX}/*`, (c) => {
    const serve = (request: Request) => Promise.resolve(platform.fetch(request, c.env));
    return idempotency ? idempotency.handle(c.req.raw, serve) : serve(c.req.raw);
  });
  app.notFound(() => djangoNotFound());
  app.onError((error) => {
    if (error instanceof DroppedConnection) return new Response(null, { status: 500 });
    log.error?.("request failed", { error: String(error) });
    return fail(500, "A server error occurred.");
  });

  const server: Server = createServer(
    getRequestListener((req, env) => app.fetch(req, env), { overrideGlobalObjects: false }),
  );
  server.on("upgrade", (req, socket, head) => {
    if (orchestrator.handles(new URL(req.url ?? "/", "http://localhost").pathname)) {
      orchestrator.handleUpgrade(req, socket, head);
      return;
    }
    hub.handleUpgrade(req, socket, head).catch((error: unknown) => {
      log.error?.("upgrade failed", { error: String(error) });
      socket.destroy();
    });
  });
  server.on("clientError", (_err, socket) => {
    if (!socket.destroyed) socket.end("HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n");
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(o.port, o.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const host = urlHost(o.host);
  const url = `http://${host}:${port}`;
  wsBase = `ws://${host}:${port}`;
  const credentials = hideSecrets(
    {
      apiToken: o.apiTokens[0] as string,
      apiKey,
      apiSecret,
      orgHandle: o.orgHandle,
      productId: o.productId,
    },
    () => ({
      apiToken: "[redacted]",
      apiKey,
      apiSecret: "[redacted]",
      orgHandle: o.orgHandle,
      productId: o.productId,
    }),
    "DevServerCredentials",
  );
  let closed: Promise<void> | undefined;
  polyfillAsyncDispose();
  const apiUrl = `${url}${API_PREFIX}/`;
  const devServer: DevServer = {
    url,
    apiUrl,
    rtcUrl: `ws://${host}:${port}`,
    credentials,
    adminSecret,
    rtc: {
      stats: () => hub.control.stats(),
      dropSession: (sid) => hub.control.dropSession(sid),
      dropAll: () => hub.control.dropAll(),
      push: (sid, frame) => hub.control.push(sid, frame),
      restart: () => hub.restart(),
      sessions: () => hub.control.sessions(),
      audio: (sid) => hub.control.audio(sid),
      say: (sid, request) => hub.control.say(sid, request),
      interrupt: (sid) => hub.control.interrupt(sid),
    },
    faults: {
      add: (rule) => faults.add(rule),
      set: (rule) => faults.set(rule),
      clear: () => faults.clear(),
    },
    workers: {
      list: () => orchestrator.list(),
      calls: () => orchestrator.calls(),
      assign: (workerId, options) => orchestrator.assign(workerId, options),
      cancel: (jobId) => orchestrator.cancel(jobId),
      drop: (workerId) => orchestrator.drop(workerId),
      close: (workerId, code, reason) => orchestrator.close(workerId, code, reason),
    },
    pipes: pipes.all,
    requests,
    ...createTestKit({
      store,
      fixtures,
      requests,
      faults,
      hub,
      orchestrator,
      idempotency,
      credentials,
      apiUrl,
      clock: o.clock,
    }),
    close() {
      closed ??= (async () => {
        await hub.shutdown();
        await orchestrator.shutdown();
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
      })();
      return closed;
    },
    [Symbol.asyncDispose]() {
      return devServer.close();
    },
  };
  log.info?.("dev server listening", { url });
  return hideSecrets(
    devServer,
    () => ({ url, apiUrl: devServer.apiUrl, rtcUrl: devServer.rtcUrl }),
    "DevServer",
  );
}
