// The test kit on a running server: `reset()` back to a fresh start, and a client and
// tokens already wired to its credentials, so a test needs no credential plumbing.

import { type Clock, type Duration, UnpodArgumentError, type VideoGrant } from "@unpod/core";
import { invalidArgument } from "@unpod/core/internal";
import {
  AccessToken,
  type ParticipantKind,
  UnpodClient,
  type UnpodClientOptions,
} from "@unpod/node";
import type { FaultInjector } from "./faults.js";
import { createFixtures } from "./fixtures.js";
import type { Orchestrator } from "./orchestrator/orchestrator.js";
import type { DevServerRequest } from "./requestLog.js";
import type { IdempotencyStore } from "./rest/idempotency.js";
import type { RtcHub } from "./rtc/hub.js";
import type { DevServerCredentials } from "./serverParts.js";
import type { Store } from "./store.js";

/** What {@link DevServerTestKit.createToken} mints. */
export interface DevServerTokenOptions {
  /** The participant's identity (`sub`). */
  identity: string;
  /** The room to join. */
  room: string;
  /**
   * Changes to the grant, which by default joins `room` and may publish (voice),
   * subscribe and send text: `{ canPublishData: false }` for a participant who may not
   * type, `{ roomJoin: false }` for a token the server refuses.
   */
  grant?: Omit<VideoGrant, "room"> | undefined;
  /** Display name (`name`). */
  name?: string | undefined;
  /** Opaque application metadata (`metadata`). */
  metadata?: string | undefined;
  /** String → string attributes (`attributes`). */
  attributes?: Record<string, string> | undefined;
  /** The participant's kind (`kind`). */
  kind?: ParticipantKind | undefined;
  /**
   * Lifetime, on the server's `clock`: seconds, or a string like `"10m"`.
   * @defaultValue 1 hour
   */
  ttl?: Duration | undefined;
}

/** `reset()`, `createClient()` and `createToken()` of a {@link DevServer}. */
export interface DevServerTestKit {
  /**
   * Puts the server back as it started, for the next test: the fixture data (what POST,
   * PATCH and DELETE changed is undone), an empty `requests` log, no fault rules, no
   * remembered idempotency keys, the real-time counters at zero, and no sessions — each
   * live one gets `leave {reason: "session_ended"}` and close 1000, so its client stops.
   * Session tokens (`POST …/sessions/token`) keep their single-use records: one that
   * started a session stays refused (forgetting it would make it a reusable token for the
   * rest of its two minutes), an unused one still works until it expires. Runner calls end (reason `server_reset`) and `server.workers.calls()` is
   * empty; runners that are still connected stay registered (they are processes outside
   * the server, often started once per test file), disconnected ones are forgotten.
   * Credentials, options and `pipes` stay.
   *
   * @returns When every session's socket has closed.
   * @example
   * ```ts
   * import { startDevServer } from "@unpod/dev-server";
   * import { afterEach } from "vitest";
   * const server = await startDevServer();
   * afterEach(() => server.reset());
   * ```
   */
  reset(): Promise<void>;
  /**
   * An {@link @unpod/node!UnpodClient | UnpodClient} already pointed at this server, with
   * its API token, `Org-Handle` and `Product-ID`.
   *
   * @param options - Anything to change, e.g. `{ maxRetries: 0 }` or `{ orgHandle: undefined }`.
   * @returns A new client.
   * @throws {@link UnpodArgumentError} naming a bad option, as `new UnpodClient()` does.
   * @example
   * ```ts
   * import { startDevServer } from "@unpod/dev-server";
   * const server = await startDevServer();
   * const spaces = await server.createClient().spaces.list();
   * ```
   */
  createClient(options?: UnpodClientOptions): UnpodClient;
  /**
   * An access token signed with this server's API key and secret, dated by its `clock`.
   *
   * @param options - The participant, the room, and changes to the default grant.
   * @returns The JWT.
   * @throws {@link UnpodArgumentError} naming a bad option (`identity`, `room`, `grant.…`).
   * @example
   * ```ts
   * import { startDevServer } from "@unpod/dev-server";
   * const server = await startDevServer();
   * const token = await server.createToken({ identity: "alice", room: "support" });
   * const readOnly = await server.createToken({
   *   identity: "bob",
   *   room: "support",
   *   grant: { canPublishData: false },
   * });
   * ```
   */
  createToken(options: DevServerTokenOptions): Promise<string>;
}

/** What the test kit works on. */
export interface TestKitDeps {
  store: Store;
  fixtures: { orgHandle: string; productId: string };
  requests: DevServerRequest[];
  faults: FaultInjector;
  hub: RtcHub;
  orchestrator: Orchestrator;
  idempotency: IdempotencyStore | undefined;
  credentials: DevServerCredentials;
  apiUrl: string;
  clock: Clock;
}

/** The grant a token from `createToken()` has unless told otherwise. */
const DEFAULT_GRANT = {
  roomJoin: true,
  canPublish: true,
  canSubscribe: true,
  canPublishData: true,
} as const;

/** The test kit of one server. */
export function createTestKit(deps: TestKitDeps): DevServerTestKit {
  return {
    async reset() {
      // Sessions first: ending one ends its runner call; then the calls no session holds.
      await deps.hub.reset();
      deps.orchestrator.reset();
      deps.store.reset(createFixtures(deps.fixtures));
      // In place: `server.requests` is this very array.
      deps.requests.length = 0;
      deps.faults.reset();
      deps.idempotency?.clear();
    },
    createClient(options = {}) {
      const { apiToken, orgHandle, productId } = deps.credentials;
      return new UnpodClient({ apiToken, orgHandle, productId, baseUrl: deps.apiUrl, ...options });
    },
    async createToken(options) {
      if (typeof options !== "object" || options === null) {
        throw invalidArgument("options", "must be an object with identity and room");
      }
      const { identity, room, grant } = options;
      if (typeof room !== "string" || room === "") {
        throw invalidArgument("room", "must be a non-empty string");
      }
      if (grant !== undefined && (typeof grant !== "object" || grant === null)) {
        throw invalidArgument("grant", "must be an object of room grant fields");
      }
      const { apiKey, apiSecret } = deps.credentials;
      return new AccessToken({
        apiKey,
        apiSecret,
        identity,
        name: options.name,
        metadata: options.metadata,
        attributes: options.attributes,
        kind: options.kind,
        ttl: options.ttl ?? "1h",
        currentDate: () => new Date(deps.clock.now()),
      })
        .addGrantChecked({ ...DEFAULT_GRANT, ...grant, room })
        .toJwt();
    },
  };
}
