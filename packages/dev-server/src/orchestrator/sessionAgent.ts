import type { BridgeAgentState } from "@unpod/core";
import type { RunnerCall } from "./call.js";
import { EndpointAgent, type EndpointDeps } from "./endpoint.js";
import type { Orchestrator } from "./orchestrator.js";
import { type DevServerPipe, isRunnerPipe } from "./pipes.js";
import type { SessionAgentLink, SessionPort } from "./types.js";

/** Where a session goes: its pipe, and the metadata its session token carried. */
export interface SessionRoute {
  pipe: DevServerPipe;
  metadata: Record<string, unknown>;
}

/** What a session's agent link needs from the server. */
export interface SessionAgentDeps extends EndpointDeps {
  orchestrator: Orchestrator;
}

/**
 * Who answers one session, by its pipe: an HTTP agent endpoint; or a runner of the pipe's
 * agent (a call is assigned when the session starts, and again at a user turn after a call
 * ended — a runner that registers late still gets the session); or, while no runner of
 * that agent is connected, the built-in echo (text) and voice agents.
 */
export class SessionAgent implements SessionAgentLink {
  readonly #deps: SessionAgentDeps;
  readonly #port: SessionPort;
  readonly #endpoint: EndpointAgent | undefined;
  #agentId: string | undefined;
  #voiceProfileId: string | undefined;
  #metadata: Record<string, unknown>;
  #call: RunnerCall | undefined;
  #closed = false;

  constructor(deps: SessionAgentDeps, port: SessionPort, route: SessionRoute) {
    this.#deps = deps;
    this.#port = port;
    this.#metadata = route.metadata;
    const pipe = route.pipe;
    if (isRunnerPipe(pipe)) {
      this.#agentId = pipe.agentId;
      this.#voiceProfileId = pipe.voiceProfileId;
      this.#connect();
    } else {
      this.#endpoint = new EndpointAgent(pipe, port, route.metadata, deps);
    }
  }

  /** Ensures a call with a runner; `false` when no runner of the agent is connected. */
  #connect(): boolean {
    if (this.#call && this.#call.phase !== "ended") return true;
    const agentId = this.#agentId;
    if (agentId === undefined) return false;
    // (startCall never ends the call before it returns: `call` is set when onEnd runs.)
    const call = this.#deps.orchestrator.startCall({
      agentId,
      metadata: this.#metadata,
      voiceProfileId: this.#voiceProfileId,
      port: this.#port,
      onEnd: (reason) => this.#ended(call, reason),
      onDispatch: (to, metadata) => this.#dispatch(to, metadata),
    });
    this.#call = call;
    return call !== undefined;
  }

  #ended(call: RunnerCall | undefined, reason: string): void {
    if (this.#closed || this.#call !== call) return;
    this.#call = undefined;
    if (reason === "bridge_closed") {
      this.#port.error(
        "agent_unavailable",
        `The runner of agent "${this.#agentId}" left the call; the next turn is assigned again.`,
      );
    }
  }

  #dispatch(agentId: string, metadata: Record<string, unknown>): void {
    const old = this.#call;
    this.#call = undefined;
    this.#agentId = agentId;
    this.#voiceProfileId = undefined;
    this.#metadata = metadata;
    old?.end("dispatched");
    this.#connect();
  }

  /** {@inheritDoc SessionAgentLink.userTurn} */
  userTurn(turnId: string, text: string): boolean {
    if (this.#closed) return false;
    if (this.#endpoint) {
      this.#endpoint.userTurn(turnId, text);
      return true;
    }
    if (!this.#connect()) return false;
    (this.#call as RunnerCall).userTurn(turnId, text);
    return true;
  }

  /** {@inheritDoc SessionAgentLink.interrupted} */
  interrupted(turnId: string, heardPrefix: string | undefined): void {
    this.#call?.interrupted(turnId, heardPrefix);
    this.#endpoint?.interrupted(turnId);
  }

  /** {@inheritDoc SessionAgentLink.agentState} */
  agentState(state: BridgeAgentState, turnId: string | undefined): void {
    this.#call?.agentState(state, turnId);
  }

  /** {@inheritDoc SessionAgentLink.close} */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#call?.end("session_ended");
    this.#endpoint?.close();
  }
}
