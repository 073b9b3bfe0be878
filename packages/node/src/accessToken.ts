import { type Duration, type SipGrant, UnpodArgumentError, type VideoGrant } from "@unpod/core";
import { durationMs, invalidArgument, readEnv } from "@unpod/core/internal";
import type { RoomGrantFor } from "./grants.js";
import { mergeRoomGrant, mergeSipGrant } from "./internal/claims.js";
import { checkKind, checkRoomConfig } from "./internal/roomConfig.js";
import { assertServerRuntime } from "./internal/runtime.js";
import { checkSecret, inspectSymbol } from "./internal/secret.js";
import { signClaims } from "./internal/sign.js";
import type { ParticipantKind, RoomConfiguration } from "./roomConfig.js";

/** Default lifetime of an access token: 6 hours, like LiveKit. */
export const DEFAULT_TOKEN_TTL = 6 * 3600;
/** Longest lifetime {@link AccessToken} accepts: 30 days. */
export const MAX_TOKEN_TTL = 30 * 86400;

/**
 * Options of {@link AccessToken}.
 *
 * @typeParam Identity - The type of `identity`; a `string` unlocks room-join grants.
 */
export interface AccessTokenOptions<Identity extends string | undefined = string | undefined> {
  /** API key; written to `iss`. @defaultValue `UNPOD_API_KEY` from the environment (server runtimes only) */
  apiKey?: string | undefined;
  /**
   * API secret, the HMAC key; at least 32 bytes.
   * @defaultValue `UNPOD_API_SECRET` from the environment (server runtimes only)
   */
  apiSecret?: string | undefined;
  /** The participant's identity (`sub`). Required for a grant that joins a room. */
  identity?: Identity;
  /** Display name (`name`). */
  name?: string | undefined;
  /** Opaque application metadata (`metadata`). */
  metadata?: string | undefined;
  /** String → string attributes (`attributes`). */
  attributes?: Record<string, string> | undefined;
  /**
   * The kind of participant (`kind`, as LiveKit spells it): `"agent"` for an agent
   * process, `"sip"` for a phone participant… Absent means `standard`.
   */
  kind?: ParticipantKind | undefined;
  /**
   * How the room is created when this participant's join creates it (`roomConfig`, LiveKit's
   * `RoomConfiguration`): timeouts, participant limit, agents to dispatch.
   */
  roomConfig?: RoomConfiguration | undefined;
  /**
   * Lifetime: seconds, or a duration string such as `"10m"` or `"6h"`. Between 1 second
   * and {@link MAX_TOKEN_TTL} (30 days).
   * @defaultValue `"6h"`
   */
  ttl?: Duration | undefined;
  /** The clock, read by {@link AccessToken.toJwt} for `nbf`/`exp`. @defaultValue `() => new Date()` */
  currentDate?: (() => Date) | undefined;
  /**
   * Allow construction in a browser page. Anyone who opens the page can read the secret
   * and mint tokens; use only for local experiments.
   * @defaultValue false
   */
  dangerouslyAllowBrowser?: boolean | undefined;
  /** Accept an API secret shorter than 32 bytes (local development only). @defaultValue false */
  allowWeakSecret?: boolean | undefined;
}

function optionalString(option: string, value: unknown, nonEmpty = false): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "string" || (nonEmpty && value === "")) {
    throw invalidArgument(option, nonEmpty ? "must be a non-empty string" : "must be a string");
  }
  return value;
}

// Apps pass the same few ttl strings ("10m") on every request; parsing one costs more
// than the HMAC, so valid ones are remembered.
const ttlCache = new Map<string, number>();
const TTL_BOUNDS = { option: "ttl", min: 1000, max: MAX_TOKEN_TTL * 1000 };

/** The ttl in whole seconds (JWT dates are whole seconds): 1 s … 30 days. */
function parseTtl(ttl: Duration): number {
  if (typeof ttl !== "string") return Math.round(durationMs(ttl, TTL_BOUNDS) / 1000);
  let seconds = ttlCache.get(ttl);
  if (seconds === undefined) {
    seconds = Math.round(durationMs(ttl, TTL_BOUNDS) / 1000);
    if (ttlCache.size < 32) ttlCache.set(ttl, seconds);
  }
  return seconds;
}

function checkAttributes(value: unknown): Record<string, string> | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw invalidArgument("attributes", "must be an object of strings");
  }
  const entries = Object.entries(value);
  for (const [key, v] of entries) {
    if (typeof v !== "string") throw invalidArgument(`attributes.${key}`, "must be a string");
  }
  // fromEntries defines own properties, so a "__proto__" key stays a plain key.
  return Object.fromEntries(entries);
}

/**
 * Builds and signs an access token: an HS256 JWT in LiveKit's claim layout that lets one
 * participant connect in real time. Create one per participant and session, on your
 * backend, and hand the browser only the result of {@link AccessToken.toJwt}.
 *
 * The API secret is held in a private field: it never appears in `JSON.stringify`,
 * `util.inspect` or an error message.
 *
 * @typeParam Identity - The type of the `identity` option. Room-join grants type-check
 *   only when it is `string`.
 * @example
 * ```ts
 * import { AccessToken } from "@unpod/node";
 *
 * const token = new AccessToken({ identity: "user-42", name: "Ada", ttl: "10m" })
 *   .addGrant({ roomJoin: true, room: "support", canPublish: true, canPublishData: true });
 * const jwt = await token.toJwt(); // hand this to the browser
 * ```
 */
export class AccessToken<Identity extends string | undefined = string | undefined> {
  readonly #apiKey: string;
  readonly #apiSecret: string;
  readonly #identity: string | undefined;
  readonly #name: string | undefined;
  readonly #metadata: string | undefined;
  readonly #attributes: Record<string, string> | undefined;
  readonly #kind: ParticipantKind | undefined;
  readonly #roomConfig: RoomConfiguration | undefined;
  readonly #ttl: number;
  readonly #currentDate: () => Date;
  #video: VideoGrant | undefined;
  #sip: SipGrant | undefined;

  /**
   * @param options - Credentials, the participant, and the lifetime.
   * @throws {@link UnpodArgumentError} naming the option: `dangerouslyAllowBrowser` in a
   *   browser page; `apiKey`/`apiSecret` when missing (and unset in the environment);
   *   `apiSecret` under 32 bytes; `ttl` outside 1 s … 30 days; a `kind` LiveKit does not
   *   know; a `roomConfig` field LiveKit does not know, or of the wrong type
   *   (`roomConfig.emptyTimeout`, …); any option of the wrong type.
   */
  constructor(options: AccessTokenOptions<Identity> = {}) {
    if (typeof options !== "object" || options === null) {
      throw invalidArgument("options", "must be an object");
    }
    assertServerRuntime("dangerouslyAllowBrowser", options.dangerouslyAllowBrowser, "AccessToken");
    const apiKey = options.apiKey ?? readEnv("UNPOD_API_KEY");
    if (apiKey === undefined) {
      throw invalidArgument("apiKey", "is required: pass it or set UNPOD_API_KEY");
    }
    this.#apiKey = optionalString("apiKey", apiKey, true) as string;
    const apiSecret = options.apiSecret ?? readEnv("UNPOD_API_SECRET");
    if (apiSecret === undefined) {
      throw invalidArgument("apiSecret", "is required: pass it or set UNPOD_API_SECRET");
    }
    this.#apiSecret = checkSecret("apiSecret", apiSecret, options.allowWeakSecret === true);
    this.#identity = optionalString("identity", options.identity, true);
    this.#name = optionalString("name", options.name);
    this.#metadata = optionalString("metadata", options.metadata);
    this.#attributes = checkAttributes(options.attributes);
    this.#kind = checkKind(options.kind);
    this.#roomConfig = checkRoomConfig(options.roomConfig);
    this.#ttl = options.ttl === undefined ? DEFAULT_TOKEN_TTL : parseTtl(options.ttl);
    const currentDate = options.currentDate;
    if (currentDate !== undefined && typeof currentDate !== "function") {
      throw invalidArgument("currentDate", "must be a function returning a Date");
    }
    this.#currentDate = currentDate ?? (() => new Date());
  }

  /** The API key (`iss`). */
  get apiKey(): string {
    return this.#apiKey;
  }

  /** The participant's identity (`sub`), if any. */
  get identity(): Identity {
    return this.#identity as Identity;
  }

  /** Lifetime in seconds. */
  get ttl(): number {
    return this.#ttl;
  }

  /** The room grant so far (a copy). */
  get grant(): VideoGrant | undefined {
    return this.#video && structuredClone(this.#video);
  }

  /** The SIP grant so far (a copy). */
  get sipGrant(): SipGrant | undefined {
    return this.#sip && { ...this.#sip };
  }

  /** The participant's kind (`kind`), if set. */
  get kind(): ParticipantKind | undefined {
    return this.#kind;
  }

  /** The room configuration (`roomConfig`), if set (a copy). */
  get roomConfig(): RoomConfiguration | undefined {
    return this.#roomConfig && structuredClone(this.#roomConfig);
  }

  /**
   * Adds room capabilities and permissions (the `video` claim), merged into earlier grants.
   *
   * @param grant - The fields to set. A grant with `roomJoin: true` needs `room`, and the
   *   token needs an `identity`.
   * @returns This token, for chaining.
   * @throws {@link UnpodArgumentError} naming the field for an unknown field, a wrong type,
   *   a join without a room, or a join without an identity.
   */
  addGrant(grant: RoomGrantFor<Identity>): this {
    return this.addGrantChecked(grant);
  }

  /**
   * Adds a room grant built at run time — read from a config file, command-line flags or a
   * decoded token — whose type the compiler cannot narrow to what {@link AccessToken.addGrant}
   * accepts. The same rules are checked, at run time: known fields of the right types, and
   * a grant that joins a room needs `room` and a token with an `identity`.
   *
   * @param grant - The fields to set, merged into earlier grants.
   * @returns This token, for chaining.
   * @throws {@link UnpodArgumentError} naming the field for an unknown field, a wrong type,
   *   a join without a room, or a join without an identity.
   * @example
   * ```ts
   * import { AccessToken, type VideoGrant } from "@unpod/node";
   * declare const fromConfig: VideoGrant;
   * const token = new AccessToken({ identity: "user-42" }).addGrantChecked(fromConfig);
   * ```
   */
  addGrantChecked(grant: VideoGrant): this {
    const merged = mergeRoomGrant(this.#video, grant);
    if (merged.roomJoin === true) {
      if (!merged.room) {
        throw invalidArgument("grant.room", "is required when roomJoin is true");
      }
      if (this.#identity === undefined) {
        throw invalidArgument("identity", "is required for a grant that joins a room");
      }
    }
    this.#video = merged;
    return this;
  }

  /**
   * Adds SIP permissions (the `sip` claim), merged into earlier SIP grants. Spelled as in
   * LiveKit's `AccessToken`.
   *
   * @param grant - `admin` and/or `call`.
   * @returns This token, for chaining.
   * @throws {@link UnpodArgumentError} naming the field for an unknown field or a wrong type.
   * @example
   * ```ts
   * import { AccessToken } from "@unpod/node";
   * const jwt = await new AccessToken({ identity: "dialer", kind: "sip" })
   *   .addSIPGrant({ call: true })
   *   .toJwt();
   * ```
   */
  addSIPGrant(grant: SipGrant): this {
    this.#sip = mergeSipGrant(this.#sip, grant);
    return this;
  }

  /**
   * The former name of {@link AccessToken.addSIPGrant}.
   *
   * @deprecated Use `addSIPGrant` (LiveKit's spelling); this name goes in the next minor version.
   * @param grant - `admin` and/or `call`.
   * @returns This token, for chaining.
   * @throws {@link UnpodArgumentError} naming the field for an unknown field or a wrong type.
   */
  addSipGrant(grant: SipGrant): this {
    return this.addSIPGrant(grant);
  }

  /**
   * The claims {@link AccessToken.toJwt} signs, for a given time.
   *
   * @param now - Issue time in seconds since epoch (`nbf`). @defaultValue the `currentDate` clock
   * @returns The claim set, in the order it is serialised.
   */
  claims(now?: number): Record<string, unknown> {
    const nbf = now ?? Math.floor(this.#currentDate().getTime() / 1000);
    if (!Number.isFinite(nbf)) throw invalidArgument("currentDate", "returned an invalid Date");
    const claims: Record<string, unknown> = { iss: this.#apiKey };
    if (this.#identity !== undefined) claims.sub = this.#identity;
    claims.nbf = nbf;
    claims.exp = nbf + this.#ttl;
    if (this.#name !== undefined) claims.name = this.#name;
    if (this.#metadata !== undefined) claims.metadata = this.#metadata;
    if (this.#attributes !== undefined) claims.attributes = this.#attributes;
    if (this.#video !== undefined) claims.video = this.#video;
    if (this.#sip !== undefined) claims.sip = this.#sip;
    if (this.#kind !== undefined) claims.kind = this.#kind;
    if (this.#roomConfig !== undefined) claims.roomConfig = this.#roomConfig;
    return claims;
  }

  /**
   * Signs the token: HS256, header `{"alg":"HS256","typ":"JWT"}`, `iss` = API key,
   * `sub` = identity, `nbf` = now, `exp` = now + ttl, then name, metadata, attributes,
   * grants, `kind` and `roomConfig`.
   *
   * @returns The compact JWT.
   * @throws {@link UnpodArgumentError} `claims` when the token would be longer than
   *   `MAX_TOKEN_LENGTH` (8192 characters), which every Unpod verifier refuses.
   * @example
   * ```ts
   * import { AccessToken } from "@unpod/node";
   * const jwt = await new AccessToken({ identity: "agent-7" })
   *   .addGrant({ roomJoin: true, room: "call-1", agent: true })
   *   .toJwt();
   * ```
   */
  toJwt(): Promise<string> {
    try {
      return signClaims(this.claims(), this.#apiSecret);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /**
   * A secret-free description for logs and `JSON.stringify`.
   *
   * @returns API key, identity, ttl and grants — never the secret.
   */
  toJSON(): Record<string, unknown> {
    const out: Record<string, unknown> = { apiKey: this.#apiKey, identity: this.#identity };
    if (this.#name !== undefined) out.name = this.#name;
    out.ttl = this.#ttl;
    if (this.#video !== undefined) out.grant = this.#video;
    if (this.#sip !== undefined) out.sipGrant = this.#sip;
    if (this.#kind !== undefined) out.kind = this.#kind;
    if (this.#roomConfig !== undefined) out.roomConfig = this.#roomConfig;
    return out;
  }

  /**
   * What `util.inspect` and `console.log` show: {@link AccessToken.toJSON}, never the secret.
   *
   * @param _depth - Current depth (from Node).
   * @param options - Inspect options (from Node).
   * @param inspect - Node's `util.inspect`.
   * @returns The description.
   */
  [inspectSymbol](
    _depth: number,
    options: object,
    inspect: (value: unknown, options: object) => string,
  ): string {
    return `AccessToken ${inspect(this.toJSON(), options)}`;
  }
}
