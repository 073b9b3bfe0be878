import type { Logger } from "@unpod/core";
import { MAX_REPLY_TEXT } from "@unpod/core";
import { randomHex } from "../internal/random.js";
import { readStreamText } from "../rest/body.js";
import type { DevServerEndpointPipe } from "./pipes.js";
import type { SessionPort } from "./types.js";

/** An agent endpoint has this long to answer a turn. */
export const ENDPOINT_TIMEOUT_MS = 10_000;
/** Largest answer read from an agent endpoint, in bytes. */
export const MAX_ENDPOINT_RESPONSE = 64 * 1024;
/** User turns waiting for the endpoint, at most (it is asked one turn at a time). */
const MAX_QUEUED_TURNS = 8;

/** What an endpoint agent needs from the server. */
export interface EndpointDeps {
  logger: Logger;
  fetch: typeof fetch;
}

/**
 * A session on a pipe with an HTTP agent endpoint: each user turn is POSTed as
 * `{"text", "context": {call_id, session_id, turn_number, direction, user_number, data}}`
 * (Unpod's documented body), one at a time, and the answer's `text` is the agent's reply,
 * sent and spoken under the user's turn id. A turn the user interrupts has its request
 * aborted. Failures reach the session as `error` frames: `agent_error` (a non-2xx answer,
 * a body that is not `{"text": string}`), `agent_timeout`.
 */
export class EndpointAgent {
  readonly #pipe: DevServerEndpointPipe;
  readonly #port: SessionPort;
  readonly #metadata: Record<string, unknown>;
  readonly #deps: EndpointDeps;
  readonly #callId = `CA_${randomHex(12)}`;
  readonly #queue: { turnId: string; text: string }[] = [];
  #current: { turnId: string; abort: AbortController } | undefined;
  #turns = 0;
  #closed = false;

  constructor(
    pipe: DevServerEndpointPipe,
    port: SessionPort,
    metadata: Record<string, unknown>,
    deps: EndpointDeps,
  ) {
    this.#pipe = pipe;
    this.#port = port;
    this.#metadata = metadata;
    this.#deps = deps;
  }

  /** A final user turn: asked in order. */
  userTurn(turnId: string, text: string): void {
    if (this.#closed) return;
    if (this.#queue.length >= MAX_QUEUED_TURNS) {
      const dropped = this.#queue.shift();
      this.#port.error(
        "agent_busy",
        `The agent endpoint is behind; turn ${dropped?.turnId} was dropped.`,
      );
    }
    this.#queue.push({ turnId, text });
    if (!this.#current) void this.#pump();
  }

  /** The user interrupted `turnId`: its request is aborted, its answer never sent. */
  interrupted(turnId: string): void {
    if (this.#current?.turnId === turnId) this.#current.abort.abort();
  }

  /** The session ended. */
  close(): void {
    this.#closed = true;
    this.#queue.length = 0;
    this.#current?.abort.abort();
  }

  async #pump(): Promise<void> {
    for (let turn = this.#queue.shift(); turn && !this.#closed; turn = this.#queue.shift()) {
      const abort = new AbortController();
      this.#current = { turnId: turn.turnId, abort };
      try {
        await this.#ask(turn.turnId, turn.text, abort);
      } finally {
        this.#current = undefined;
      }
    }
  }

  async #ask(turnId: string, text: string, abort: AbortController): Promise<void> {
    this.#turns += 1;
    const body = JSON.stringify({
      text,
      context: {
        call_id: this.#callId,
        session_id: this.#port.sessionId,
        turn_number: this.#turns,
        direction: "inbound",
        user_number: this.#port.identity,
        data: this.#metadata,
      },
    });
    const headers: Record<string, string> = {
      "Content-Type": "application/json",
      Accept: "application/json",
    };
    if (this.#pipe.endpointSecret) headers.Authorization = `Bearer ${this.#pipe.endpointSecret}`;
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      abort.abort();
    }, ENDPOINT_TIMEOUT_MS);
    timer.unref?.();
    let answer: string | undefined;
    try {
      const res = await this.#deps.fetch(this.#pipe.agentEndpoint, {
        method: "POST",
        headers,
        body,
        signal: abort.signal,
        redirect: "error",
      });
      const raw = await readStreamText(res.body, MAX_ENDPOINT_RESPONSE);
      if (!res.ok) {
        this.#fail("agent_error", `The agent endpoint answered ${res.status}.`);
        return;
      }
      const parsed: unknown = raw === undefined ? undefined : JSON.parse(raw);
      const reply = (parsed as { text?: unknown } | null | undefined)?.text;
      if (typeof reply !== "string" || reply.length > MAX_REPLY_TEXT) {
        this.#fail(
          "agent_error",
          'The agent endpoint\'s answer is not {"text": string} (64 KiB at most).',
        );
        return;
      }
      answer = reply;
    } catch (error) {
      if (timedOut) {
        this.#fail(
          "agent_timeout",
          `The agent endpoint did not answer within ${ENDPOINT_TIMEOUT_MS / 1000} s.`,
        );
      } else if (!abort.signal.aborted) {
        const reason =
          error instanceof SyntaxError ? "answered invalid JSON" : "could not be reached";
        this.#fail("agent_error", `The agent endpoint ${reason}.`);
      }
      return;
    } finally {
      clearTimeout(timer);
    }
    if (!this.#closed && !abort.signal.aborted && answer.trim() !== "")
      this.#port.say(turnId, answer);
  }

  #fail(code: string, message: string): void {
    this.#deps.logger.warn?.("agent endpoint failed", { pipe: this.#pipe.id, code });
    if (!this.#closed) this.#port.error(code, message);
  }
}
