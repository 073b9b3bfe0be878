import type { Clock, Logger } from "@unpod/core";
import {
  BRIDGE_EVENTS,
  type BridgeEvent,
  type BridgeHelloAckEvent,
  type BridgeVerb,
  type CallStartedEvent,
  encodeRunnerFrame,
  type JobAssignFrame,
  parseBridgeEvent,
  RUNNER_CLOSE_CODES,
  RUNNER_PROTOCOL_VERSION,
  UnpodConnectionError,
  type UnpodError,
  UnpodSessionError,
} from "@unpod/core";
import { isLoopbackHost } from "@unpod/core/internal";
import type { WebSocket as WsSocket } from "ws";
import { HIGH_WATER_MARK, loadWs, MAX_PAYLOAD } from "./ws.js";

/** Time from dialling a bridge to its `call.started`. */
export const HANDSHAKE_TIMEOUT_MS = 10_000;
/** Events kept while nobody listens yet (between `call.started` and the call's start). */
const MAX_EARLY_EVENTS = 64;

/** The verbs this runner sends (its `hello.supported_verbs`). */
export const SENT_VERBS = [
  "agent.text.delta",
  "agent.text.end",
  "agent.say",
  "agent.transfer",
  "agent.end_call",
  "agent.dispatch",
] as const satisfies readonly BridgeVerb["event"][];

/**
 * The bridge URL with its token, checked: `ws(s)://`, and `ws://` only to loopback unless
 * `allowInsecure` (the call token would travel in clear text).
 *
 * @returns The URL to dial, or `undefined` when it must not be dialled.
 */
export function bridgeUrl(job: JobAssignFrame, allowInsecure: boolean): string | undefined {
  let url: URL;
  try {
    url = new URL(job.bridge_url);
  } catch {
    return undefined;
  }
  if (url.protocol !== "wss:" && url.protocol !== "ws:") return undefined;
  if (url.protocol === "ws:" && !allowInsecure && !isLoopbackHost(url.hostname)) return undefined;
  url.searchParams.set("token", job.call_token);
  return url.href;
}

/**
 * The error for a bridge that closed before its call started: 4003 (unknown call, pairing
 * expired, bad token) is `forbidden`, 4009 (a bridge for the call is live) is
 * `session_replaced`, 1008 `protocol_error`, anything else `network_error`.
 */
export function bridgeCloseError(callId: string, code: number, reason: string): UnpodError {
  const why = reason ? `: ${reason}` : "";
  switch (code) {
    case RUNNER_CLOSE_CODES.bridgeRefused:
      return new UnpodSessionError(
        "forbidden",
        `The bridge refused call ${callId} (4003${why}): the call is unknown or over, the pairing window passed, or the token is wrong.`,
        { closeCode: code, reason: "bridge_refused" },
      );
    case RUNNER_CLOSE_CODES.bridgeInUse:
      return new UnpodSessionError(
        "session_replaced",
        `A bridge for call ${callId} is already live (4009${why}).`,
        { closeCode: code, reason: "bridge_in_use" },
      );
    case RUNNER_CLOSE_CODES.policy:
      return new UnpodSessionError(
        "protocol_error",
        `The bridge of call ${callId} closed for a policy violation (1008${why}).`,
        { closeCode: code, reason: "policy" },
      );
    default:
      return new UnpodConnectionError(
        "network_error",
        `The bridge of call ${callId} closed before the call started (${code}${why}).`,
      );
  }
}

/** A call's bridge after the handshake: events in, verbs out (with backpressure). */
export class BridgeLink {
  readonly #ws: WsSocket;
  readonly #logger: Logger;
  #onEvent: ((event: BridgeEvent) => void) | undefined;
  #onClose: ((code: number, reason: string) => void) | undefined;
  readonly #early: BridgeEvent[] = [];
  #closed: { code: number; reason: string } | undefined;

  constructor(ws: WsSocket, logger: Logger) {
    this.#ws = ws;
    this.#logger = logger;
    ws.on("message", (data, isBinary) => {
      let event: BridgeEvent | null;
      try {
        event = parseBridgeEvent(isBinary ? undefined : String(data));
      } catch (error) {
        this.#logger.warn?.("bridge event ignored", {
          reason: (error as UnpodSessionError).reason,
        });
        return;
      }
      if (!event) return; // an event of a newer protocol
      if (this.#onEvent) this.#onEvent(event);
      else if (this.#early.length < MAX_EARLY_EVENTS) this.#early.push(event);
    });
    ws.on("close", (code, reason) => {
      this.#closed = { code, reason: String(reason) };
      this.#onClose?.(code, String(reason));
    });
  }

  /** Starts delivering events (the ones that came early first). */
  attach(
    onEvent: (event: BridgeEvent) => void,
    onClose: (code: number, reason: string) => void,
  ): void {
    this.#onEvent = onEvent;
    this.#onClose = onClose;
    for (const event of this.#early.splice(0)) onEvent(event);
    if (this.#closed) onClose(this.#closed.code, this.#closed.reason);
  }

  /** Whether the socket is open. */
  get open(): boolean {
    return this.#ws.readyState === this.#ws.OPEN;
  }

  /**
   * Sends a verb; dropped when the socket is closed (the call is ending anyway).
   *
   * @returns Resolves at once, or — past {@link HIGH_WATER_MARK} bytes waiting — when this
   *   frame has been written, so a fast reply never queues without bound.
   */
  send(verb: BridgeVerb): Promise<void> {
    const ws = this.#ws;
    if (ws.readyState !== ws.OPEN) return Promise.resolve();
    const data = encodeRunnerFrame(verb);
    if (ws.bufferedAmount < HIGH_WATER_MARK) {
      ws.send(data);
      return Promise.resolve();
    }
    return new Promise((resolve) => ws.send(data, () => resolve()));
  }

  /** Closes the bridge. */
  close(code: number, reason: string): void {
    const ws = this.#ws;
    if (ws.readyState === ws.OPEN || ws.readyState === ws.CONNECTING) ws.close(code, reason);
  }
}

/** What {@link dialBridge} needs. */
export interface DialDeps {
  clock: Clock;
  logger: Logger;
  /** Fires when the job is cancelled (or the runner closes) while dialling. */
  signal: AbortSignal;
}

/**
 * Dials a call's bridge and runs the handshake: `hello` → `hello.ack` → `call.started`.
 *
 * @param url - From {@link bridgeUrl}.
 * @returns The link, the `hello.ack` and the `call.started`.
 * @throws {@link UnpodSessionError} for a refused bridge (see {@link bridgeCloseError}),
 *   {@link UnpodConnectionError} `network_error`, `timeout` or `aborted`. Messages name the
 *   call, never the URL (it carries the call token).
 */
export async function dialBridge(
  job: JobAssignFrame,
  url: string,
  deps: DialDeps,
): Promise<{ link: BridgeLink; ack: BridgeHelloAckEvent; started: CallStartedEvent }> {
  const WebSocket = await loadWs();
  const callId = job.call_id;
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, {
      handshakeTimeout: HANDSHAKE_TIMEOUT_MS,
      maxPayload: MAX_PAYLOAD,
      perMessageDeflate: false,
    });
    let ack: BridgeHelloAckEvent | undefined;
    let settled = false;
    const timer = deps.clock.setTimeout(
      () =>
        fail(
          new UnpodConnectionError(
            "timeout",
            `The bridge of call ${callId} did not start the call within ${HANDSHAKE_TIMEOUT_MS / 1000} s.`,
          ),
        ),
      HANDSHAKE_TIMEOUT_MS,
    );
    const onAbort = () =>
      fail(new UnpodConnectionError("aborted", `Call ${callId} was cancelled while dialling.`));
    deps.signal.addEventListener("abort", onAbort, { once: true });
    const done = () => {
      settled = true;
      deps.clock.clearTimeout(timer);
      deps.signal.removeEventListener("abort", onAbort);
      ws.removeAllListeners();
      ws.on("error", () => {});
    };
    function fail(error: UnpodError): void {
      if (settled) return;
      done();
      ws.terminate();
      reject(error);
    }
    ws.on("error", (error: NodeJS.ErrnoException) =>
      fail(
        new UnpodConnectionError(
          "network_error",
          `The bridge of call ${callId} could not be reached${error.code ? ` (${error.code})` : ""}.`,
        ),
      ),
    );
    ws.on("unexpected-response", (_req, res) =>
      fail(
        new UnpodConnectionError(
          "network_error",
          `The bridge of call ${callId} answered HTTP ${res.statusCode} instead of a WebSocket.`,
        ),
      ),
    );
    ws.on("close", (code, reason) => fail(bridgeCloseError(callId, code, String(reason))));
    ws.on("open", () => {
      ws.send(
        encodeRunnerFrame({
          event: "hello",
          protocol_version: RUNNER_PROTOCOL_VERSION,
          supported_events: [...BRIDGE_EVENTS],
          supported_verbs: [...SENT_VERBS],
        }),
      );
    });
    ws.on("message", (data, isBinary) => {
      let event: BridgeEvent | null;
      try {
        event = parseBridgeEvent(isBinary ? undefined : String(data));
      } catch (cause) {
        fail(
          new UnpodSessionError(
            "protocol_error",
            `The bridge of call ${callId} sent a bad frame.`,
            {
              reason: "bad_frame",
              cause,
            },
          ),
        );
        return;
      }
      if (!ack) {
        if (event?.event !== "hello.ack") {
          fail(
            new UnpodSessionError(
              "protocol_error",
              `The bridge of call ${callId} did not answer hello.`,
              {
                reason: "no_hello_ack",
              },
            ),
          );
          return;
        }
        ack = event;
        return;
      }
      if (event?.event !== "call.started") return;
      done();
      resolve({ link: new BridgeLink(ws, deps.logger), ack, started: event });
    });
  });
}
