import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { getRequestListener } from "@hono/node-server";
import { RTC_PATH, RTC_VALIDATE_PATH, UnpodArgumentError } from "@unpod/core";
import { polyfillAsyncDispose } from "@unpod/core/internal";
import { Hono } from "hono";
import { DroppedConnection, faultMiddleware } from "./faultMiddleware.js";
import { type DevServerFaults, FaultInjector } from "./faults.js";
import { createFixtures } from "./fixtures.js";
import { randomHex } from "./internal/random.js";
import { constantTimeEqual } from "./internal/secure.js";
import { type DevServerOptions, resolveOptions } from "./options.js";
import { Orchestrator } from "./orchestrator/orchestrator.js";
import { type DevServerPipe, PipeTable } from "./orchestrator/pipes.js";
import { SessionAgent } from "./orchestrator/sessionAgent.js";
import { SessionTokens } from "./orchestrator/sessionTokens.js";
import type {
  AssignOptions,
  AssignResult,
  RunnerCallInfo,
  RunnerWorkerInfo,
} from "./orchestrator/types.js";
import { type DevServerRequest, requestRecord } from "./requestLog.js";
import { asObject, readJson, tooLarge } from "./rest/body.js";
import { djangoNotFound, fail, json, noContent } from "./rest/envelope.js";
import { IdempotencyStore } from "./rest/idempotency.js";
import { API_PREFIX, createPlatformApp } from "./rest/index.js";
import type { AppEnv } from "./rest/types.js";
import { type PushFrame, RtcHub, type RtcSessionInfo, type RtcStats } from "./rtc/hub.js";
import { loadVad } from "./rtc/voice/vad.js";
import type { RtcUplinkAudio, SayRequest } from "./rtc/voice/voiceControl.js";
import { mountVoiceAdmin } from "./rtc/voice/voiceRoutes.js";
import { Store } from "./store.js";
import { createTestKit, type DevServerTestKit } from "./testKit.js";

/** The development credentials a running server accepts. Dev-only values: never use them in production. */
export interface DevServerCredentials {
  /** API token for `Authorization: Token …` (REST). */
  apiToken: string;
  /** API key that signs access tokens (`iss`). */
  apiKey: string;
  /** API secret that signs access tokens. */
  apiSecret: string;
  /** `Org-Handle` of the first fixture organization. */
  orgHandle: string;
  /** `Product-ID` of the fixture bridges and call logs. */
  productId: string;
}

/** Control of the real-time side, as `server.rtc`. */
export interface DevServerRtc {
  /**
   * Counters of the real-time endpoint.
   *
   * @returns Upgrades, validations, open sockets, live sessions, refusals.
   */
  stats(): RtcStats;
  /**
   * Kills a session's socket abruptly (the client sees 1006); the session stays resumable.
   *
   * @param sessionId - `joined.session_id`.
   * @throws {@link UnpodArgumentError} `sessionId` when no such live session exists.
   */
  dropSession(sessionId: string): void;
  /** Kills every socket abruptly; every session stays resumable. */
  dropAll(): void;
  /**
   * Sends a frame on a session as if the agent had spoken: the server assigns its `seq` and
   * buffers it while the session is disconnected, so it is replayed on resume.
   *
   * @param sessionId - `joined.session_id`.
   * @param frame - `agent_reply` or `user_turn`, with `turn_id`, `text`, `final`.
   * @throws {@link UnpodArgumentError} naming `sessionId` or the bad frame field.
   */
  push(sessionId: string, frame: PushFrame): void;
  /**
   * Closes every socket with 1012 ("service restart") and keeps the sessions, like a server
   * restart that clients survive by resuming.
   *
   * @returns When every socket has closed.
   */
  restart(): Promise<void>;
  /**
   * The live sessions.
   *
   * @returns One entry per session (connected or inside its resume window).
   */
  sessions(): RtcSessionInfo[];
  /**
   * The uplink audio a voice session has received so far (what `GET /__dev/rtc/audio` serves).
   * At most `audio.maxUplinkBytes` of the newest audio are kept; muted and refused audio is
   * never recorded.
   *
   * @param sessionId - `joined.session_id`.
   * @returns The WAV (input rate, mono, PCM16) and byte counts.
   * @throws {@link UnpodArgumentError} `sessionId` when no such live session exists or it
   *   never connected with `audio=pcm_s16le`.
   * @example
   * ```ts
   * import { startDevServer } from "@unpod/dev-server";
   * declare const sessionId: string;
   * const server = await startDevServer();
   * const { wav, receivedBytes } = server.rtc.audio(sessionId);
   * ```
   */
  audio(sessionId: string): RtcUplinkAudio;
  /**
   * Makes the agent speak on a voice session now (or after the turns it is speaking): with
   * `text`, an `agent_reply` and one tone burst per word; with `tone_hz`, a pure sine for
   * `duration_ms` (and the `text`, if any, as the reply's words).
   *
   * @param sessionId - `joined.session_id`.
   * @param request - `text`, `tone_hz`, `duration_ms` (the route's JSON body).
   * @returns The new turn's id (`say-N`), as in its `audio_start`.
   * @throws {@link UnpodArgumentError} naming the bad field; or `sessionId` when no such live
   *   session exists, it has no audio connection now, or its speech queue is full.
   * @example
   * ```ts
   * import { startDevServer } from "@unpod/dev-server";
   * declare const sessionId: string;
   * const server = await startDevServer();
   * const turnId = server.rtc.say(sessionId, { tone_hz: 1000, duration_ms: 500 });
   * ```
   */
  say(sessionId: string, request: SayRequest): string;
  /**
   * Interrupts the turn the agent is speaking as a user's barge-in would:
   * `interrupt {turn_id, reason: "barge_in"}`, no more audio for it, queued turns dropped,
   * then `agent_state {listening}`.
   *
   * @param sessionId - `joined.session_id`.
   * @returns The interrupted turn's id, or `undefined` when the agent was not speaking.
   * @throws {@link UnpodArgumentError} `sessionId` when no such live session exists or it
   *   never connected with audio.
   */
  interrupt(sessionId: string): string | undefined;
}

/**
 * The dev server as Unpod's orchestrator for agent runners (`@unpod/agent`), as
 * `server.workers`: who is connected, the calls they serve, and the faults a runner test
 * needs (a forced or duplicate assignment, a cancelled job, a dropped or closed socket).
 */
export interface DevServerWorkers {
  /**
   * The runners that registered (while connected, or disconnected with calls still live).
   *
   * @returns One entry per `worker_id`.
   */
  list(): RunnerWorkerInfo[];
  /**
   * The calls runners serve or served (the latest 100 ended ones too), with their turns.
   *
   * @returns One entry per call, ended ones first.
   */
  calls(): RunnerCallInfo[];
  /**
   * Sends a `job.assign` to one runner now, whatever its load, and waits for its `job.ack`
   * (or the deadline). Without `callId` the job is a new call with no session behind it.
   *
   * @param workerId - `register.worker_id` of a connected runner.
   * @param options - Agent id, an existing call to assign again, token, deadline, metadata.
   * @returns The runner's answer and how long it took.
   * @throws {@link UnpodArgumentError} `workerId` (no such connected runner), `callId` (no
   *   such live call) or a bad option.
   * @example
   * ```ts
   * import { startDevServer } from "@unpod/dev-server";
   * const server = await startDevServer();
   * const [runner] = server.workers.list();
   * if (runner) {
   *   const ack = await server.workers.assign(runner.workerId, { agentId: "someone-else" });
   *   console.log(ack.accepted, ack.reason); // false "agent_id_mismatch"
   * }
   * ```
   */
  assign(workerId: string, options?: AssignOptions): Promise<AssignResult>;
  /**
   * Sends `job.cancel` for a live job (as when the media side fails) and ends its call.
   *
   * @param jobId - The job (`server.workers.calls()[i].jobId`).
   * @throws {@link UnpodArgumentError} `jobId` when no live call has that job.
   */
  cancel(jobId: string): void;
  /**
   * Kills a runner's control socket abruptly (it sees 1006 and reconnects); its calls go on.
   *
   * @param workerId - A connected runner.
   * @throws {@link UnpodArgumentError} `workerId`.
   */
  drop(workerId: string): void;
  /**
   * Closes a runner's control socket with a code: 4001 or 1008 are fatal to a runner, any
   * other makes it reconnect.
   *
   * @param workerId - A connected runner.
   * @param code - The close code.
   * @param reason - The close reason (at most 123 bytes).
   * @throws {@link UnpodArgumentError} `workerId`, `code` or `reason`.
   */
  close(workerId: string, code: number, reason?: string): void;
}

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
      stats: () => hub.stats(),
      dropSession: (sid) => hub.dropSession(sid),
      dropAll: () => hub.dropAll(),
      push: (sid, frame) => hub.push(sid, frame),
      restart: () => hub.restart(),
      sessions: () => hub.sessions(),
      audio: (sid) => hub.audio(sid),
      say: (sid, request) => hub.say(sid, request),
      interrupt: (sid) => hub.interrupt(sid),
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

/**
 * Whether a runner's control socket carries dev credentials: `Authorization: Token <api
 * token>` with the `Org-Handle` of a fixture organization (the form Unpod moves to), or
 * `Authorization: Bearer <api token>` (standing in for an `sk_` key: the dev server has no
 * separate runner keys). Tokens are compared in constant time.
 */
function runnerAuthorized(
  authorization: string | undefined,
  orgHandle: string | undefined,
  apiTokens: readonly string[],
  knownOrg: (handle: string) => boolean,
): boolean {
  const [scheme = "", value = "", ...rest] = (authorization ?? "").trim().split(/\s+/);
  if (rest.length > 0 || value === "") return false;
  let known = false;
  for (const t of apiTokens) known = constantTimeEqual(value, t) || known;
  switch (scheme.toLowerCase()) {
    case "bearer":
      return known;
    case "token":
      return known && orgHandle !== undefined && knownOrg(orgHandle.trim());
    default:
      return false;
  }
}

function mountAdmin(
  app: Hono<AppEnv>,
  deps: {
    adminSecret: string;
    hub: RtcHub;
    faults: FaultInjector;
    requests: DevServerRequest[];
    maxBodySize: number;
  },
): void {
  const cors = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Headers": "X-Dev-Admin, Content-Type",
    "Access-Control-Allow-Methods": "GET, POST, DELETE, OPTIONS",
  };
  app.use("/__dev/*", async (c, next) => {
    if (c.req.method === "OPTIONS") return new Response(null, { status: 204, headers: cors });
    const given = c.req.header("x-dev-admin") ?? "";
    if (!constantTimeEqual(given, deps.adminSecret)) {
      const res = fail(401, "Invalid or missing X-Dev-Admin header.");
      for (const [k, v] of Object.entries(cors)) res.headers.set(k, v);
      return res;
    }
    await next();
    for (const [k, v] of Object.entries(cors)) c.res.headers.set(k, v);
  });
  const sidOf = (c: { req: { query(name: string): string | undefined } }) => c.req.query("sid");
  const guard = (fn: () => Response | Promise<Response>) => async () => {
    try {
      return await fn();
    } catch (error) {
      if (error instanceof UnpodArgumentError) {
        return error.option === "sessionId"
          ? fail(404, "Session not found.")
          : fail(400, error.message);
      }
      throw error;
    }
  };
  app.get("/__dev/rtc/stats", () =>
    json({ status_code: 200, message: "OK", data: deps.hub.stats() }, 200),
  );
  app.get("/__dev/rtc/sessions", () =>
    json({ status_code: 200, message: "OK", data: deps.hub.sessions() }, 200),
  );
  app.get("/__dev/requests", () =>
    json({ status_code: 200, message: "OK", data: deps.requests }, 200),
  );
  app.post("/__dev/rtc/drop", (c) =>
    guard(() => {
      const sid = sidOf(c);
      if (sid) deps.hub.dropSession(sid);
      else deps.hub.dropAll();
      return noContent();
    })(),
  );
  app.post("/__dev/rtc/restart", async () => {
    await deps.hub.restart();
    return noContent();
  });
  app.post("/__dev/rtc/push", async (c) => {
    const read = await readJson(c, deps.maxBodySize);
    if (read instanceof Response) return read;
    const body = asObject(read.body) ?? {};
    const count = body.count ?? 1;
    if (typeof body.text !== "string") return fail(400, "text: must be a string");
    if (!Number.isSafeInteger(count) || (count as number) < 1 || (count as number) > 1000) {
      return fail(400, "count: must be an integer between 1 and 1000");
    }
    const type = body.type === "user_turn" ? "user_turn" : "agent_reply";
    const sid = sidOf(c);
    const targets = sid ? [sid] : deps.hub.sessions().map((s) => s.sessionId);
    return guard(() => {
      for (const target of targets) {
        for (let i = 0; i < (count as number); i++) {
          const text = count === 1 ? (body.text as string) : `${body.text as string} ${i + 1}`;
          deps.hub.push(target, {
            type,
            turn_id: deps.hub.nextPushTurn(),
            text,
            final: body.final !== false,
          });
        }
      }
      return json(
        { status_code: 200, message: "OK", data: { pushed: targets.length * (count as number) } },
        200,
      );
    })();
  });
  app.post("/__dev/faults", async (c) => {
    const read = await readJson(c, deps.maxBodySize);
    if (read instanceof Response) return read;
    const body = asObject(read.body);
    if (!body) return fail(400, "rule: must be a JSON object");
    return guard(() => {
      deps.faults.set(body as never);
      return noContent();
    })();
  });
  app.delete("/__dev/faults", () => {
    deps.faults.clear();
    return noContent();
  });
  mountVoiceAdmin(app, deps);
}
