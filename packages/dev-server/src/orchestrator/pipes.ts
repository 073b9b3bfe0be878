import { UnpodArgumentError } from "@unpod/core";
import { invalidArgument, isLoopbackHost } from "@unpod/core/internal";

/**
 * A pipe served by an agent runner: sessions on it are assigned to a runner registered
 * under `agentId` (`@unpod/agent`'s `AgentRunner`), or answered by the echo agent while
 * none is.
 */
export interface DevServerRunnerPipe {
  /** The pipe's id: what `sessions.createToken({ pipeId })` names, and a room name that routes here. */
  id: string;
  /** The agent whose runners serve the pipe. */
  agentId: string;
  /** The voice profile announced in `call.started`, if any. */
  voiceProfileId?: string | undefined;
  /** Not with `agentId`. */
  agentEndpoint?: never;
  /** Not with `agentId`. */
  endpointSecret?: never;
}

/**
 * A pipe served by an HTTP agent endpoint: each user turn is POSTed to `agentEndpoint` as
 * `{"text", "context": {call_id, session_id, turn_number, direction, user_number, data}}`
 * and the `{"text"}` it answers is the agent's reply (`@unpod/agent`'s `createDialogHandler`
 * serves it).
 */
export interface DevServerEndpointPipe {
  /** The pipe's id. */
  id: string;
  /** `https://…`, or `http://` to a loopback host. */
  agentEndpoint: string;
  /** Sent as `Authorization: Bearer <secret>` when set (Unpod's docs leave the scheme open). */
  endpointSecret?: string | undefined;
  /** Not with `agentEndpoint`. */
  agentId?: never;
  /** Not with `agentEndpoint`. */
  voiceProfileId?: never;
}

/** A pipe: where the dev server routes a session's turns. */
export type DevServerPipe = DevServerRunnerPipe | DevServerEndpointPipe;

/**
 * The fixture pipe, always present unless a pipe with its id is given: it serves every
 * session whose room names no pipe, so a runner registered as `dev-agent` answers them all.
 */
export const DEFAULT_PIPE: DevServerRunnerPipe = { id: "dev-pipe", agentId: "dev-agent" };

/** At most this many pipes. */
export const MAX_PIPES = 256;

const ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
const VISIBLE = /^[\x21-\x7e]{1,512}$/;

function endpointUrl(option: string, value: unknown): string {
  let url: URL | undefined;
  try {
    url = typeof value === "string" ? new URL(value) : undefined;
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== "https:" && url.protocol !== "http:")) {
    throw invalidArgument(option, "must be an http(s) URL");
  }
  if (url.protocol === "http:" && !isLoopbackHost(url.hostname)) {
    throw invalidArgument(option, "plain http:// only to a loopback host; use https://");
  }
  if (url.username || url.password) {
    throw invalidArgument(option, "must not carry credentials; use endpointSecret");
  }
  return url.href;
}

/**
 * Checks the `pipes` option and adds {@link DEFAULT_PIPE} unless one of them takes its id.
 *
 * @throws {@link UnpodArgumentError} naming the pipe's field at fault (`pipes[1].agentId`).
 */
export function resolvePipes(pipes: unknown): DevServerPipe[] {
  if (pipes === undefined) return [DEFAULT_PIPE];
  if (!Array.isArray(pipes) || pipes.length > MAX_PIPES) {
    throw invalidArgument("pipes", `must be an array of at most ${MAX_PIPES} pipes`);
  }
  const out: DevServerPipe[] = [];
  const ids = new Set<string>();
  pipes.forEach((p: unknown, i) => {
    const at = `pipes[${i}]`;
    if (typeof p !== "object" || p === null) {
      throw invalidArgument(at, "must be { id, agentId } or { id, agentEndpoint }");
    }
    const pipe = p as Record<string, unknown>;
    if (typeof pipe.id !== "string" || !ID.test(pipe.id)) {
      throw invalidArgument(`${at}.id`, "must be 1-128 of A-Z a-z 0-9 . _ - (a room name)");
    }
    if (ids.has(pipe.id)) throw invalidArgument(`${at}.id`, `${pipe.id} is given twice`);
    ids.add(pipe.id);
    const hasAgent = pipe.agentId !== undefined;
    if (hasAgent === (pipe.agentEndpoint !== undefined)) {
      throw invalidArgument(at, "needs exactly one of agentId and agentEndpoint");
    }
    if (hasAgent) {
      if (typeof pipe.agentId !== "string" || !VISIBLE.test(pipe.agentId)) {
        throw invalidArgument(`${at}.agentId`, "must be visible ASCII without spaces");
      }
      const voice = pipe.voiceProfileId;
      if (voice !== undefined && (typeof voice !== "string" || !VISIBLE.test(voice))) {
        throw invalidArgument(`${at}.voiceProfileId`, "must be visible ASCII");
      }
      out.push({ id: pipe.id, agentId: pipe.agentId, voiceProfileId: voice });
      return;
    }
    const secret = pipe.endpointSecret;
    if (secret !== undefined && (typeof secret !== "string" || !VISIBLE.test(secret))) {
      throw invalidArgument(`${at}.endpointSecret`, "must be visible ASCII without spaces");
    }
    out.push({
      id: pipe.id,
      agentEndpoint: endpointUrl(`${at}.agentEndpoint`, pipe.agentEndpoint),
      endpointSecret: secret,
    });
  });
  if (!ids.has(DEFAULT_PIPE.id)) out.push(DEFAULT_PIPE);
  return out;
}

/**
 * Reads the CLI's `--pipe <id>=<agentId | http(s) URL>`.
 *
 * @throws {@link UnpodArgumentError} `--pipe` when it has no `=`.
 */
export function parsePipeFlag(value: string): DevServerPipe {
  const at = value.indexOf("=");
  if (at <= 0 || at === value.length - 1) {
    throw invalidArgument("--pipe", "must be <id>=<agentId> or <id>=<http(s) URL>");
  }
  const id = value.slice(0, at);
  const target = value.slice(at + 1);
  return /^https?:\/\//i.test(target) ? { id, agentEndpoint: target } : { id, agentId: target };
}

/** Whether a pipe is served by runners. */
export function isRunnerPipe(pipe: DevServerPipe): pipe is DevServerRunnerPipe {
  return pipe.agentId !== undefined;
}

/**
 * Pipes by id, and the routing rule: a session token names its pipe; otherwise a room
 * named like a pipe routes there; otherwise {@link DEFAULT_PIPE}'s id.
 */
export class PipeTable {
  readonly #byId: Map<string, DevServerPipe>;
  /** Every pipe, the default included. */
  readonly all: readonly DevServerPipe[];

  constructor(pipes: readonly DevServerPipe[]) {
    this.all = pipes;
    this.#byId = new Map(pipes.map((p) => [p.id, p]));
  }

  /** The pipe with this id. */
  get(id: string): DevServerPipe | undefined {
    return this.#byId.get(id);
  }

  /** The pipe a session in `room` is routed to. */
  forRoom(room: string): DevServerPipe {
    return this.#byId.get(room) ?? (this.#byId.get(DEFAULT_PIPE.id) as DevServerPipe);
  }
}
