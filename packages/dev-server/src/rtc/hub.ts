// The real-time endpoint: upgrades (token checks, refusals with reasons), sessions with their
// sequence numbers, acks, replay buffer and resume, idle and token-refresh timers, and the
// voice agent attached to a session. Over 400 lines (~640): one class owns every session's
// lifecycle across sockets, and its private state is shared by all of it. The rest lives
// beside it: a session's and a socket's records in session.ts, frame handling in frames.ts,
// refusals in refusals.ts, token refresh in refresh.ts, what tests see and do
// (`server.rtc`: stats, sessions, drops, push, say) in control.ts, the agents in
// echoAgent.ts and voice/.
import { randomUUID } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { STATUS_CODES } from "node:http";
import type { Duplex } from "node:stream";
import {
  type AccessTokenClaims,
  CLOSE_CODES,
  type Clock,
  encodeFrame,
  type LeaveReason,
  type Logger,
  RTC_PATH,
} from "@unpod/core";
import { TokenVerifier } from "@unpod/node";
import { type RawData, type WebSocket, WebSocketServer } from "ws";
import { applyFault } from "../applyFault.js";
import type { FaultInjector } from "../faults.js";
import type { PipeTable } from "../orchestrator/pipes.js";
import type { SessionRoute } from "../orchestrator/sessionAgent.js";
import type { SessionTokens } from "../orchestrator/sessionTokens.js";
import type { SessionAgentLink, SessionPort } from "../orchestrator/types.js";
import type { ResolvedAudio } from "../resolveOptions.js";
import { RtcControl } from "./control.js";
import { echoReply } from "./echoAgent.js";
import { type FrameHost, handleMessage } from "./frames.js";
import { renewedToken } from "./refresh.js";
import {
  type ConnectRequest,
  isRefusal,
  REFUSALS,
  type Refusal,
  readConnectRequest,
  refusalBody,
  verifyForJoin,
} from "./refusals.js";
import {
  CLIENT_ACK_AFTER_FRAMES,
  CLIENT_ACK_AFTER_MS,
  type Connection,
  Session,
  type UnsequencedFrame,
} from "./session.js";
import type { FvadModule } from "./voice/vad.js";
import { VoiceAgent } from "./voice/voiceAgent.js";

/** What the hub needs from the server. */
export interface HubOptions {
  keys: Record<string, string>;
  clockTolerance: number;
  resumeWindowMs: number;
  idleTimeoutMs: number;
  clock: Clock;
  logger: Logger;
  faults: FaultInjector;
  /** Audio formats and limits, with the loaded VAD; `undefined` when audio is off. */
  audio: (ResolvedAudio & { vad: FvadModule }) | undefined;
  /** The pipes sessions are routed by. */
  pipes: PipeTable;
  /** Session tokens: single-use, each naming its pipe. */
  sessionTokens: SessionTokens;
  /** Who answers a new session on a route (its pipe's runner, endpoint, or nobody: echo). */
  openAgent(port: SessionPort, route: SessionRoute): SessionAgentLink;
}

/** Largest WebSocket message `ws` accepts at all (bigger ones close the socket with 1009). */
const MAX_PAYLOAD = 1024 * 1024;
/**
 * Agent audio is dropped, not queued, while this much is waiting in a socket's send buffer
 * (a client that stopped reading): real-time audio late is audio lost anyway.
 */
const MAX_AUDIO_BACKLOG = 512 * 1024;

/** An accepted connect request: the token's claims and, for a resume, the session. */
interface Authorized {
  request: ConnectRequest;
  claims: AccessTokenClaims;
  session?: Session;
  /** A new session's pipe and metadata (from its session token, or its room). */
  route?: SessionRoute;
}
const CLOSE_GRACE_MS = 1000;

/** Writes a plain HTTP answer on a socket that asked to upgrade, then closes it. */
export function writeHttp(
  socket: Duplex,
  status: number,
  body: string,
  headers: Record<string, string> = {},
): void {
  if (socket.destroyed) return;
  const lines = [
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? "Error"}`,
    "Content-Type: application/json",
    `Content-Length: ${Buffer.byteLength(body)}`,
    "Connection: close",
    ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
  ];
  socket.end(`${lines.join("\r\n")}\r\n\r\n${body}`);
}

/**
 * The real-time endpoint: refuses or upgrades `/v1/rtc` requests, answers
 * `/v1/rtc/validate`, and runs sessions — `seq`, replay buffer, resume window, idle sockets,
 * token refresh, the echo agent — by the rules of PROTOCOL.md.
 */
export class RtcHub implements FrameHost {
  readonly #o: HubOptions;
  readonly #verifier: TokenVerifier;
  readonly #wss: WebSocketServer;
  readonly #sessions = new Map<string, Session>();
  readonly #connections = new Set<Connection>();
  #stats = { upgrades: 0, validates: 0, refused: 0 };
  #closing = false;
  /** What tests and the admin routes see and do: `server.rtc`, `/_dev/rtc/*`, `/_dev/voice/*`. */
  readonly control: RtcControl;

  constructor(options: HubOptions) {
    this.#o = options;
    this.#verifier = new TokenVerifier({
      keys: options.keys,
      clockTolerance: options.clockTolerance,
      currentDate: () => new Date(options.clock.now()),
    });
    this.#wss = new WebSocketServer({
      noServer: true,
      maxPayload: MAX_PAYLOAD,
      perMessageDeflate: false,
      clientTracking: false,
    });
    this.control = new RtcControl({
      liveSessions: () => [...this.#sessions.values()].filter((s) => this.#alive(s)),
      liveSession: (sessionId) => {
        const session = this.#sessions.get(sessionId);
        return session && this.#alive(session) ? session : undefined;
      },
      connections: () => this.#connections,
      counters: () => ({ ...this.#stats }),
      send: (session, frame) => this.send(session, frame),
      audio: options.audio,
    });
  }

  /** Same decision as an upgrade would get, without opening anything. */
  async #authorize(query: URLSearchParams): Promise<Refusal | Authorized> {
    const request = readConnectRequest(query);
    if (isRefusal(request)) return request;
    const claims = await verifyForJoin(this.#verifier, request);
    if (isRefusal(claims)) return claims;
    if (!request.resume) {
      return this.#o.sessionTokens.isUsed(claims.sub) ? REFUSALS.tokenUsed : { request, claims };
    }
    const session = this.#sessions.get(request.resume.sid);
    if (
      !session ||
      !this.#alive(session) ||
      session.identity !== claims.sub ||
      session.room !== claims.video?.room
    ) {
      return REFUSALS.sessionNotFound;
    }
    const lastSeq = request.resume.lastSeq ?? 0;
    if (lastSeq > session.lastSeq) return REFUSALS.lastSeqAhead;
    if (lastSeq < session.evictedSeq) {
      // Frames the client has not seen were dropped from the replay buffer: resuming would
      // lose them silently, so the session cannot be resumed (PROTOCOL.md: lose nothing).
      this.#o.logger.warn?.("rtc resume refused: frames it needs were dropped from the buffer", {
        sid: session.id,
        lastSeq,
        evictedSeq: session.evictedSeq,
      });
      return REFUSALS.replayLost;
    }
    return { request, claims, session };
  }

  #alive(session: Session): boolean {
    if (session.ended) return false;
    if (session.connection || session.disconnectedAt === undefined) return true;
    return this.#o.clock.now() - session.disconnectedAt <= this.#o.resumeWindowMs;
  }

  /** Answers `GET /v1/rtc/validate`: 200 `OK` or the refusal the upgrade would get. */
  async validate(query: URLSearchParams): Promise<{ status: number; body: string }> {
    this.#stats.validates += 1;
    const result = await this.#authorize(query);
    if (isRefusal(result)) return { status: result.status, body: refusalBody(result) };
    return { status: 200, body: JSON.stringify({ status_code: 200, message: "OK" }) };
  }

  /** Handles an HTTP upgrade request for any path (only `/v1/rtc` is served). */
  async handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    socket.on("error", () => {});
    const url = new URL(req.url ?? "/", "http://localhost");
    if (url.pathname !== RTC_PATH || this.#closing) {
      writeHttp(socket, 404, JSON.stringify({ status_code: 404, message: "Not found." }));
      return;
    }
    const fault = this.#o.faults.take(req.method ?? "GET", url.pathname);
    if (fault) {
      const method = req.method ?? "GET";
      const outcome = await applyFault(fault, { method, path: url.pathname }, this.#o.logger);
      if (outcome.kind === "drop") {
        socket.destroy();
        return;
      }
      if (outcome.kind === "answer") {
        if (outcome.status >= 400) this.#stats.refused += 1;
        writeHttp(socket, outcome.status, outcome.body, outcome.headers);
        return;
      }
    }
    let result: Refusal | Authorized;
    try {
      result = await this.#authorize(url.searchParams);
    } catch (error) {
      this.#o.logger.error?.("rtc authorize failed", { error: String(error) });
      result = REFUSALS.verifyFailed;
    }
    if (isRefusal(result)) {
      this.#stats.refused += 1;
      this.#o.logger.info?.("rtc refused", { status: result.status, reason: result.reason });
      writeHttp(socket, result.status, refusalBody(result));
      return;
    }
    if (socket.destroyed) return;
    if (!result.session) {
      const route = this.#route(result.claims);
      if (isRefusal(route)) {
        this.#stats.refused += 1;
        writeHttp(socket, route.status, refusalBody(route));
        return;
      }
      result.route = route;
    }
    const accepted = result;
    // Cork: the 101 answer and the `joined` frame leave in one write.
    socket.cork();
    this.#wss.handleUpgrade(req, socket, head, (ws) => {
      this.#onOpen(ws, accepted);
      process.nextTick(() => socket.uncork());
    });
  }

  /** A new session's route: its session token's pipe (used up now) or its room's. */
  #route(claims: AccessTokenClaims): SessionRoute | Refusal {
    const room = claims.video?.room ?? "";
    const token = this.#o.sessionTokens.consume(claims.sub);
    if (token === "used") return REFUSALS.tokenUsed;
    const pipe = (token && this.#o.pipes.get(token.pipeId)) || this.#o.pipes.forRoom(room);
    return { pipe, metadata: token?.metadata ?? {} };
  }

  /** What the session's agent may do to it. */
  #port(session: Session): SessionPort {
    return {
      sessionId: session.id,
      room: session.room,
      identity: session.identity,
      hasVoice: () => session.voice?.active === true,
      reply: (turnId, text, final) =>
        this.#sequence(session, { type: "agent_reply", turn_id: turnId, text, final }),
      speak: (turnId, text, final) => session.voice?.streamReply(turnId, text, final),
      say: (turnId, text) =>
        this.send(session, { type: "agent_reply", turn_id: turnId, text, final: true }),
      error: (code, message) => this.send(session, { type: "error", code, message }),
      end: () =>
        this.#end(session, "session_ended", CLOSE_CODES.normal, "the agent ended the call"),
    };
  }

  #onOpen(ws: WebSocket, auth: Authorized): void {
    this.#stats.upgrades += 1;
    const conn: Connection = {
      ws,
      session: undefined,
      lastActivity: this.#o.clock.now(),
      idleTimer: undefined,
      violations: 0,
      audio: auth.request.audio && this.#o.audio !== undefined,
    };
    this.#connections.add(conn);
    ws.on("error", () => {});
    ws.on("close", () => this.#onClose(conn));
    if (this.#closing) {
      ws.close(CLOSE_CODES.goingAway, "server shutting down");
      return;
    }
    let session = auth.session;
    if (session && !this.#alive(session)) {
      // The session ended while the upgrade was in flight.
      ws.close(CLOSE_CODES.sessionNotFound, "Session not found.");
      return;
    }
    if (!session) {
      session = new Session(`SE_${randomUUID().replaceAll("-", "")}`, auth.claims);
      this.#sessions.set(session.id, session);
      const route = auth.route ?? { pipe: this.#o.pipes.forRoom(session.room), metadata: {} };
      this.#o.logger.info?.("rtc session started", {
        sid: session.id,
        identity: session.identity,
        room: session.room,
        pipe: route.pipe.id,
      });
      session.agent = this.#o.openAgent(this.#port(session), route);
    } else if ((auth.claims.exp ?? 0) > (session.claims.exp ?? 0)) {
      session.claims = auth.claims;
      if (auth.claims.video) session.video = auth.claims.video;
    }
    this.#attach(session, conn, auth.request.resume?.lastSeq ?? 0, auth.session !== undefined);
    ws.on("message", (data: RawData, isBinary: boolean) => {
      conn.lastActivity = this.#o.clock.now();
      try {
        handleMessage(this, conn, data, isBinary);
      } catch (error) {
        this.#o.logger.error?.("rtc frame handler failed", { error: String(error) });
      }
    });
    ws.on("ping", () => {
      conn.lastActivity = this.#o.clock.now();
    });
    this.#armIdle(conn);
  }

  #attach(session: Session, conn: Connection, lastSeq: number, resumed: boolean): void {
    const old = session.connection;
    if (old) {
      // One socket per session: the new one wins.
      this.#sendOn(old, session, { type: "leave", reason: "replaced" });
      old.session = undefined;
      old.ws.close(CLOSE_CODES.replaced, "replaced by another socket");
    }
    this.#o.clock.clearTimeout(session.expiryTimer);
    session.expiryTimer = undefined;
    session.disconnectedAt = undefined;
    session.connection = conn;
    conn.session = session;
    // `joined.client_seq` confirms every client frame processed so far.
    this.#o.clock.clearTimeout(session.ackTimer);
    session.ackTimer = undefined;
    session.clientSeqAcked = session.clientSeq;
    this.#sendOn(conn, session, {
      type: "joined",
      session_id: session.id,
      room: session.room,
      participant: session.participant,
      resumed,
      client_seq: session.clientSeq,
      resume_window_s: Math.round(this.#o.resumeWindowMs / 1000),
      server_time: this.#o.clock.now(),
      ...(conn.audio && this.#o.audio ? { audio: this.#o.audio.formats } : {}),
    });
    session.trim(lastSeq);
    for (const f of session.buffer) if (f.seq > lastSeq) conn.ws.send(f.data);
    this.#attachVoice(session, conn);
    if (resumed) this.#o.logger.info?.("rtc session resumed", { sid: session.id, lastSeq });
    this.#scheduleRefresh(session);
  }

  /** Sends a frame only on this socket, with a fresh `seq` but outside the replay buffer. */
  #sendOn(conn: Connection, session: Session, frame: UnsequencedFrame): void {
    // A socket already closing cannot receive it: do not spend a seq on it.
    if (conn.ws.readyState !== conn.ws.OPEN) return;
    session.lastSeq += 1;
    const { type, ...rest } = frame;
    conn.ws.send(encodeFrame({ type, seq: session.lastSeq, ...rest } as never));
  }

  /**
   * {@inheritDoc FrameHost.send}
   *
   * Every final `agent_reply` (the echo agent's, `push()`'s) is also spoken when the session
   * has audio; the voice agent sends its own replies through `#sequence` (not spoken twice).
   */
  send(session: Session, frame: UnsequencedFrame): void {
    this.#sequence(session, frame);
    if (frame.type === "agent_reply" && frame.final) {
      session.voice?.speakReply(frame.turn_id, frame.text);
    }
  }

  /** Gives a frame the next `seq`, buffers it for replay and sends it if a socket is open. */
  #sequence(session: Session, frame: UnsequencedFrame): void {
    session.lastSeq += 1;
    const { type, ...rest } = frame;
    const data = encodeFrame({ type, seq: session.lastSeq, ...rest } as never);
    if (session.keep(session.lastSeq, data) > 0) {
      this.#o.logger.warn?.(
        "rtc replay buffer full: oldest frames dropped (is the client acking?); a resume from before them will be refused",
        { sid: session.id, evictedSeq: session.evictedSeq },
      );
    }
    const ws = session.connection?.ws;
    if (ws && ws.readyState === ws.OPEN) ws.send(data);
  }

  /** {@inheritDoc FrameHost.userText} */
  userText(session: Session, seq: number, text: string): void {
    const turnId = `t${seq}`;
    this.send(session, { type: "user_turn", turn_id: turnId, text, final: true });
    if (!session.agent?.userTurn(turnId, text)) this.send(session, echoReply(turnId, text));
  }

  /** {@inheritDoc FrameHost.clientFrameProcessed} */
  clientFrameProcessed(session: Session): void {
    if (session.clientSeq - session.clientSeqAcked >= CLIENT_ACK_AFTER_FRAMES) {
      this.#acknowledgeClient(session);
    } else if (session.ackTimer === undefined) {
      session.ackTimer = this.#o.clock.setTimeout(
        () => this.#acknowledgeClient(session),
        CLIENT_ACK_AFTER_MS,
      );
    }
  }

  /** Sends `ack {client_seq}` on the session's socket: unsequenced, never replayed. */
  #acknowledgeClient(session: Session): void {
    this.#o.clock.clearTimeout(session.ackTimer);
    session.ackTimer = undefined;
    const ws = session.connection?.ws;
    if (!ws || ws.readyState !== ws.OPEN || session.clientSeq <= session.clientSeqAcked) return;
    session.clientSeqAcked = session.clientSeq;
    ws.send(encodeFrame({ type: "ack", client_seq: session.clientSeq }));
  }

  /** {@inheritDoc FrameHost.pong} */
  pong(conn: Connection, t: number): void {
    if (conn.ws.readyState === conn.ws.OPEN) conn.ws.send(encodeFrame({ type: "pong", t }));
  }

  /** {@inheritDoc FrameHost.clientLeft} */
  clientLeft(session: Session): void {
    this.#end(session, "client_left", CLOSE_CODES.normal, "client left");
  }

  /** {@inheritDoc FrameHost.protocolViolation} */
  protocolViolation(conn: Connection, session: Session): void {
    this.#o.logger.warn?.("rtc protocol violations: closing 4400", { sid: session.id });
    this.#end(session, undefined, CLOSE_CODES.protocolError, "protocol violation");
    if (conn.ws.readyState === conn.ws.OPEN)
      conn.ws.close(CLOSE_CODES.protocolError, "protocol violation");
  }

  /** {@inheritDoc FrameHost.debug} */
  debug(message: string, fields?: Record<string, unknown>): void {
    this.#o.logger.debug?.(message, fields);
  }

  /** Ends a session: optional `leave` frame, close the socket, forget the session. */
  #end(session: Session, reason: LeaveReason | undefined, code: number, text: string): void {
    if (session.ended) return;
    const conn = session.connection;
    if (reason && conn) this.send(session, { type: "leave", reason });
    session.ended = true;
    session.voice?.dispose();
    session.agent?.close();
    this.#o.clock.clearTimeout(session.expiryTimer);
    this.#o.clock.clearTimeout(session.refreshTimer);
    this.#o.clock.clearTimeout(session.ackTimer);
    this.#sessions.delete(session.id);
    session.connection = undefined;
    if (conn) {
      conn.session = undefined;
      if (conn.ws.readyState === conn.ws.OPEN) conn.ws.close(code, text);
    }
    this.#o.logger.info?.("rtc session ended", { sid: session.id, reason: reason ?? text });
  }

  #onClose(conn: Connection): void {
    this.#connections.delete(conn);
    this.#o.clock.clearTimeout(conn.idleTimer);
    const session = conn.session;
    conn.session = undefined;
    if (!session || session.ended || session.connection !== conn) return;
    session.connection = undefined;
    session.disconnectedAt = this.#o.clock.now();
    // The next `joined` carries client_seq; an ack now would have no socket to go to.
    this.#o.clock.clearTimeout(session.ackTimer);
    session.ackTimer = undefined;
    session.voice?.socketDropped();
    session.expiryTimer = this.#o.clock.setTimeout(() => {
      if (!session.connection && !session.ended) {
        this.#end(session, undefined, CLOSE_CODES.sessionNotFound, "resume window passed");
      }
    }, this.#o.resumeWindowMs);
    this.#o.logger.info?.("rtc socket dropped; session resumable", {
      sid: session.id,
      resumeWindowS: this.#o.resumeWindowMs / 1000,
    });
  }

  #armIdle(conn: Connection): void {
    const check = () => {
      if (conn.ws.readyState !== conn.ws.OPEN) return;
      const idle = this.#o.clock.now() - conn.lastActivity;
      if (idle >= this.#o.idleTimeoutMs) {
        this.#o.logger.info?.("rtc idle socket closed", { sid: conn.session?.id });
        conn.ws.close(CLOSE_CODES.idle, "idle");
        return;
      }
      conn.idleTimer = this.#o.clock.setTimeout(check, this.#o.idleTimeoutMs - idle);
    };
    conn.idleTimer = this.#o.clock.setTimeout(check, this.#o.idleTimeoutMs);
  }

  /** Schedules `token_refreshed` at 3/4 of the current token's lifetime (now, if already past). */
  #scheduleRefresh(session: Session): void {
    this.#o.clock.clearTimeout(session.refreshTimer);
    const { exp, nbf, iat } = session.claims;
    const start = nbf ?? iat ?? exp - 6 * 3600;
    const lifetime = Math.max(1, exp - start);
    const dueMs = (start + lifetime * 0.75) * 1000 - this.#o.clock.now();
    session.refreshTimer = this.#o.clock.setTimeout(
      () => {
        session.refreshTimer = undefined;
        void this.#refresh(session, lifetime);
      },
      Math.max(0, dueMs),
    );
  }

  async #refresh(session: Session, lifetime: number): Promise<void> {
    if (session.ended) return;
    const c = session.claims;
    const secret = Object.hasOwn(this.#o.keys, c.iss) ? this.#o.keys[c.iss] : undefined;
    if (secret === undefined) return;
    let jwt: string;
    let claims: AccessTokenClaims;
    try {
      jwt = await renewedToken(c, secret, Math.floor(this.#o.clock.now() / 1000), lifetime);
      claims = await this.#verifier.verify(jwt, { ignoreExpiration: true });
    } catch (error) {
      this.#o.logger.warn?.("rtc token refresh failed", { sid: session.id, error: String(error) });
      return;
    }
    if (session.ended) return;
    session.claims = claims;
    this.send(session, { type: "token_refreshed", token: jwt, expires_at: claims.exp });
    this.#o.logger.debug?.("rtc token refreshed", { sid: session.id, expiresAt: claims.exp });
    this.#scheduleRefresh(session);
  }

  // ---- voice ----

  /**
   * After `joined` and the replay: a socket that negotiated audio (re)starts the session's
   * voice (created on the first one); one that did not silences it.
   */
  #attachVoice(session: Session, conn: Connection): void {
    const audio = this.#o.audio;
    if (!conn.audio || !audio) {
      session.voice?.deactivate();
      return;
    }
    session.voice ??= new VoiceAgent(
      {
        send: (frame) => this.#sequence(session, frame),
        sendAudio: (pcm) => this.#sendAudio(session, pcm),
        grant: () => session.video,
        clock: this.#o.clock,
        logger: this.#o.logger,
        agentTurn: (turnId, text) => session.agent?.userTurn(turnId, text) === true,
        agentInterrupted: (turnId, heard) => session.agent?.interrupted(turnId, heard),
        agentStateChanged: (state, turnId) => session.agent?.agentState(state, turnId),
      },
      { audio: audio.formats, vad: audio.vad, maxUplinkBytes: audio.maxUplinkBytes },
    );
    session.voice.activate();
  }

  /**
   * Sends agent audio on the session's socket, only if that socket negotiated audio and the
   * grant lets the participant receive media (`canSubscribe`, default true). Never buffered:
   * with no socket, or a client that stopped reading, the audio is lost.
   */
  #sendAudio(session: Session, pcm: Uint8Array): void {
    const conn = session.connection;
    if (!conn?.audio || conn.ws.readyState !== conn.ws.OPEN) return;
    if (session.video.canSubscribe === false) return;
    if (conn.ws.bufferedAmount > MAX_AUDIO_BACKLOG) return;
    conn.ws.send(pcm, { binary: true });
  }

  /** Closes every socket with 1012 (sessions stay resumable) and waits for them to close. */
  async restart(): Promise<void> {
    const conns = [...this.#connections];
    for (const c of conns) {
      if (c.ws.readyState === c.ws.OPEN)
        c.ws.close(CLOSE_CODES.serviceRestart, "server restarting");
    }
    await this.#waitClosed(conns);
  }

  async #waitClosed(conns: Connection[]): Promise<void> {
    await Promise.all(
      conns.map(
        (c) =>
          new Promise<void>((resolve) => {
            if (c.ws.readyState === c.ws.CLOSED) return resolve();
            const t = setTimeout(() => c.ws.terminate(), CLOSE_GRACE_MS);
            c.ws.once("close", () => {
              clearTimeout(t);
              resolve();
            });
          }),
      ),
    );
  }

  /** Ends every session with `leave {server_shutdown}` and close 1001, then waits for the sockets. */
  async shutdown(): Promise<void> {
    this.#closing = true;
    await this.#endAll("server_shutdown", CLOSE_CODES.goingAway, "server shutting down");
    this.#wss.close();
  }

  /**
   * `server.reset()`: ends every session with `leave {session_ended}` and close 1000 (a
   * client stops; nothing is left to resume), waits for the sockets, and zeroes the counters.
   */
  async reset(): Promise<void> {
    await this.#endAll("session_ended", CLOSE_CODES.normal, "server reset");
    this.#stats = { upgrades: 0, validates: 0, refused: 0 };
    this.control.reset();
  }

  async #endAll(reason: LeaveReason, code: number, text: string): Promise<void> {
    const conns = [...this.#connections];
    for (const s of [...this.#sessions.values()]) this.#end(s, reason, code, text);
    for (const c of conns) {
      if (c.ws.readyState === c.ws.OPEN) c.ws.close(code, text);
    }
    await this.#waitClosed(conns);
  }
}
