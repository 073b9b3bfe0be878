// The options of startDevServer() as users write them (the public interfaces); how they are
// checked and defaulted is resolveOptions.ts.
import type { Clock, Duration, Logger } from "@unpod/core";
import type { DevServerPipe } from "./orchestrator/pipes.js";

/**
 * The voice agent's formats and limits (the `audio` option of {@link startDevServer}).
 *
 * @example
 * ```ts
 * import { startDevServer } from "@unpod/dev-server";
 * const server = await startDevServer({ audio: { outputSampleRate: 48000 } });
 * await server.close();
 * ```
 */
export interface DevServerAudioOptions {
  /**
   * Sample rate of the audio clients send (`joined.audio.input.sample_rate`): one the WebRTC
   * voice-activity detector takes, 8000, 16000, 32000 or 48000.
   * @defaultValue 16000
   */
  inputSampleRate?: number | undefined;
  /**
   * Sample rate of the agent's audio (`joined.audio.output.sample_rate`), 8000–96000.
   * @defaultValue 24000
   */
  outputSampleRate?: number | undefined;
  /**
   * Uplink audio kept per session for `server.rtc.audio()` and `GET /__dev/rtc/audio`, in
   * bytes; past it the oldest audio is dropped (the newest is kept). 0 keeps none.
   * @defaultValue 10 MiB (about 5.5 minutes at 16 kHz)
   */
  maxUplinkBytes?: number | undefined;
}

/**
 * How the REST API honours `Idempotency-Key` (the `idempotency` option of
 * {@link startDevServer}).
 */
export interface DevServerIdempotencyOptions {
  /**
   * How long a key is remembered after its first request (seconds, or e.g. `"24h"`;
   * 1 ms … 30 days).
   * @defaultValue 24 hours (as Stripe)
   */
  ttl?: Duration | undefined;
  /** Most keys remembered at once (1 … 1,000,000); past it the oldest are forgotten. @defaultValue 10000 */
  maxKeys?: number | undefined;
}

/**
 * How the dev server treats agent runners (the `workers` option of {@link startDevServer}).
 *
 * @example
 * ```ts
 * import { startDevServer } from "@unpod/dev-server";
 * const server = await startDevServer({ workers: { heartbeatInterval: "5s" } });
 * await server.close();
 * ```
 */
export interface DevServerWorkersOptions {
  /**
   * `registered.heartbeat_interval_s`: how often runners send a heartbeat. A runner silent
   * for three intervals is disconnected (1001).
   * @defaultValue 30 seconds
   */
  heartbeatInterval?: Duration | undefined;
  /** `job.assign.deadline_ms`: how long a runner has to answer an assignment, 1–60000 ms. @defaultValue 2000 */
  assignDeadlineMs?: number | undefined;
}

/** Options of {@link startDevServer}. Every one is optional: the defaults run as they are. */
export interface DevServerOptions {
  /** TCP port; `0` picks a free one (read it back from `url`). @defaultValue 0 */
  port?: number | undefined;
  /**
   * Interface to listen on. Keep the default unless another machine must reach the server;
   * fault injection refuses any host that is not loopback.
   * @defaultValue "127.0.0.1"
   */
  host?: string | undefined;
  /**
   * API tokens the REST API accepts (`Authorization: Token …`); several model rotation.
   * `credentials.apiToken` is the first.
   * @defaultValue `UNPOD_API_TOKEN` from {@link DevServerOptions.env | env}, else one fresh random
   * token per start: 40 lowercase hex characters, like the platform's
   */
  apiTokens?: readonly string[] | undefined;
  /**
   * API key → API secret pairs that sign access tokens; the real-time endpoint accepts tokens
   * from any of them. `credentials.apiKey`/`apiSecret` are the first pair. Secrets must be at
   * least 32 characters.
   * @defaultValue the pair `UNPOD_API_KEY` / `UNPOD_API_SECRET` from
   * {@link DevServerOptions.env | env}, else one fresh random pair per start (`API…` key,
   * 43-character secret)
   */
  keys?: Readonly<Record<string, string>> | undefined;
  /**
   * `domain_handle` of the first fixture organization (the `Org-Handle` value).
   * @defaultValue `UNPOD_ORG_HANDLE` from {@link DevServerOptions.env | env}, else `"unpod-dev"`
   */
  orgHandle?: string | undefined;
  /**
   * The `Product-ID` the fixture bridges and call logs belong to.
   * @defaultValue `UNPOD_PRODUCT_ID` from {@link DevServerOptions.env | env}, else `"unpod.dev"`
   */
  productId?: string | undefined;
  /**
   * Where credentials not given as options are read from: `UNPOD_API_TOKEN`,
   * `UNPOD_API_KEY` with `UNPOD_API_SECRET` (both or neither), `UNPOD_ORG_HANDLE` and
   * `UNPOD_PRODUCT_ID` — the variables your backend reads, so a backend and a restarted dev
   * server agree. Options win over the environment, the environment over fresh random
   * values; empty values count as unset. `false` ignores the environment (fresh credentials
   * on every start, whatever the shell holds).
   * @defaultValue `process.env`
   */
  env?: Readonly<Record<string, string | undefined>> | false | undefined;
  /**
   * How long a session stays resumable after its socket drops (seconds, or e.g. `"30s"`,
   * `"1500ms"`; 1 ms … 1 day).
   * @defaultValue 30 seconds
   */
  resumeWindow?: Duration | undefined;
  /**
   * A socket that sends nothing (no frame, no ping) for this long is closed with 4008 (1 ms … 1 day).
   * @defaultValue 30 seconds
   */
  idleTimeout?: Duration | undefined;
  /** Clock skew allowed on access tokens' `nbf`/`exp` (0 … 300 s). @defaultValue 10 seconds */
  clockTolerance?: Duration | undefined;
  /**
   * Enables fault injection (`server.faults`, the `/__dev/*` admin routes). Off by default, and
   * refused unless `host` is a loopback address and `NODE_ENV` is not `production`, so it
   * cannot be switched on by accident on a reachable server.
   * @defaultValue false
   */
  faults?: boolean | undefined;
  /**
   * Receives the server's log lines: requests, sessions joined and ended (`info`), refused
   * upgrades, protocol violations and injected faults (`warn`), and failures inside the
   * server (`error`). Lines never contain API tokens, access tokens or secrets: the server
   * logs method, path (without the query string) and status, and session ids and identities
   * for the real-time side.
   * @defaultValue no logging
   */
  logger?: Logger | undefined;
  /**
   * The clock and timers behind token checks, the resume window, idle sockets and token
   * refresh; tests pass a fake one to move time instead of sleeping.
   * @defaultValue the system clock
   */
  clock?: Clock | undefined;
  /**
   * The voice agent (protocol v1.1 audio): sessions that connect with `audio=pcm_s16le` get
   * `joined.audio` with these formats, a voice-activity detector on their uplink and spoken
   * replies. `false` turns audio off: the parameter is ignored, as by a server without
   * audio support, and clients stay text-only.
   * @defaultValue on, 16 kHz up, 24 kHz down, 10 MiB of uplink kept per session
   */
  audio?: DevServerAudioOptions | false | undefined;
  /**
   * Pipes: where sessions go. A session started with a session token
   * (`client.sessions.createToken({ pipeId })`) goes to that pipe; one whose room is a
   * pipe's id, to that pipe; any other, to the fixture pipe `dev-pipe` (agent `dev-agent`),
   * which is always there unless a pipe here takes its id. A runner pipe's sessions are
   * served by a runner registered under its `agentId` (the echo agent while none is); an
   * endpoint pipe's turns are POSTed to its URL.
   * @defaultValue `[{ id: "dev-pipe", agentId: "dev-agent" }]`
   */
  pipes?: readonly DevServerPipe[] | undefined;
  /** Agent runners: heartbeat interval and assignment deadline. */
  workers?: DevServerWorkersOptions | undefined;
  /** Largest REST request body in bytes; larger ones get 413. @defaultValue 1 MiB */
  maxBodySize?: number | undefined;
  /** How many REST requests `server.requests` keeps (oldest dropped first). @defaultValue 10000 */
  maxRequestLog?: number | undefined;
  /**
   * `Idempotency-Key` on REST POSTs and PATCHes: the first answer that took effect (2xx) is
   * remembered per key and credential and replayed to a retry of the same request, with
   * `Idempotent-Replayed: true`; the same key with a different request (method, path,
   * `Org-Handle`, `Product-ID` or body) is 422, and while the first is still running, 409.
   * A failed answer is not remembered. `false` ignores the header, as a server without
   * idempotency would.
   * @defaultValue on: keys remembered 24 hours, at most 10,000
   */
  idempotency?: DevServerIdempotencyOptions | false | undefined;
}
