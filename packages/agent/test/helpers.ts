import { type SessionEvents, UnpodSession } from "@unpod/browser";
import { type DevServer, type DevServerOptions, startDevServer } from "@unpod/dev-server";
import { AccessToken } from "@unpod/node";
import { WebSocket } from "ws";
import { AgentRunner, type AgentRunnerOptions } from "../src/index.js";

export { WebSocket };

/** A dev server on a free loopback port (no env credentials: fresh ones). */
export function devServer(options: DevServerOptions = {}): Promise<DevServer> {
  return startDevServer({ env: false, ...options });
}

type RunnerOverrides = Omit<Partial<AgentRunnerOptions>, "onTurn" | "entrypoint"> &
  ({ onTurn: AgentRunnerOptions["onTurn"] } | { entrypoint: AgentRunnerOptions["entrypoint"] });

/** A runner pointed at `server` with its dev credentials (not started). */
export function runnerFor(server: DevServer, options: RunnerOverrides): AgentRunner {
  return new AgentRunner({
    agentId: "dev-agent",
    orchestratorUrl: server.rtcUrl,
    apiToken: server.credentials.apiToken,
    orgHandle: server.credentials.orgHandle,
    ...options,
  } as AgentRunnerOptions);
}

/**
 * Runs `runner` until it has registered. `done` is its run() promise, caught: it resolves
 * to `undefined`, or to the error run() rejected with.
 */
export async function started(runner: AgentRunner): Promise<{ done: Promise<unknown> }> {
  const registered = new Promise<void>((resolve) => {
    const off = runner.on("registered", () => {
      off();
      resolve();
    });
  });
  const run = runner.run().then(
    () => undefined,
    (error: unknown) => error,
  );
  await Promise.race([registered, run.then((e) => Promise.reject(e))]);
  return { done: run };
}

/** Mints an access token for `room` (voice and text allowed). */
export function mint(server: DevServer, room = "room-1", identity = "user-1"): Promise<string> {
  return new AccessToken<string>({
    apiKey: server.credentials.apiKey,
    apiSecret: server.credentials.apiSecret,
    identity,
    ttl: "10m",
  })
    .addGrant({ room, roomJoin: true, canPublishData: true, canPublish: true })
    .toJwt();
}

/** A connected text session from Node (`ws`). */
export async function connect(server: DevServer, token?: string): Promise<UnpodSession> {
  const session = new UnpodSession({
    serverUrl: server.rtcUrl,
    token: token ?? (await mint(server)),
    WebSocket,
  } as ConstructorParameters<typeof UnpodSession>[0]);
  await session.connect();
  return session;
}

/** Resolves with the next `type` event that passes `where`. */
export function next<K extends keyof SessionEvents>(
  s: UnpodSession,
  type: K,
  where: (payload: SessionEvents[K]) => boolean = () => true,
): Promise<SessionEvents[K]> {
  return new Promise((resolve) => {
    const off = s.on(type, (payload) => {
      if (where(payload)) {
        off();
        resolve(payload);
      }
    });
  });
}

/** Polls `predicate` until it holds, or fails after `ms`. */
export async function until(
  predicate: () => boolean,
  ms = 5000,
  what = "condition",
): Promise<void> {
  const deadline = Date.now() + ms;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** Resolves after `ms` of real time. */
export const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));
