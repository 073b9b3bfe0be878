import type { Clock } from "@unpod/core";
import { AccessToken } from "@unpod/node";
import { randomHex } from "../internal/random.js";
import type { DevServerPipe } from "./pipes.js";

/** Lifetime of a session token (`POST …/speech/v1/sessions/token`): short, it is for one connect. */
export const SESSION_TOKEN_TTL_S = 120;
/** Session tokens minted and not yet expired, at most; past it minting answers 429. */
export const MAX_SESSION_TOKENS = 10_000;

/** The dev server's largest `clockTolerance`: a record outlives its token's `exp` by this much. */
const MAX_CLOCK_TOLERANCE_MS = 300_000;

/** What a session token stands for. */
export interface SessionTokenRecord {
  /** The pipe whose agent serves the session. */
  pipeId: string;
  /** The caller's metadata, handed to the agent (`job.assign`, `call.started`). */
  metadata: Record<string, unknown>;
  /** `exp`, in ms since epoch. */
  expiresAt: number;
  /** Whether a session was started with it. */
  used: boolean;
}

/**
 * Short-lived, single-use session tokens for a pipe. Each is an access token the real-time
 * endpoint accepts (room = the pipe's id, voice and text allowed) whose identity,
 * `caller-<16 hex>`, is unique: it keys the record that makes the token single-use (a
 * second new session with it is refused; resuming the session it started is not) and
 * carries the pipe and metadata to the session.
 */
export class SessionTokens {
  readonly #records = new Map<string, SessionTokenRecord>();
  readonly #apiKey: string;
  readonly #apiSecret: string;
  readonly #clock: Clock;

  constructor(options: { apiKey: string; apiSecret: string; clock: Clock }) {
    this.#apiKey = options.apiKey;
    this.#apiSecret = options.apiSecret;
    this.#clock = options.clock;
  }

  /**
   * Mints a token for `pipe`.
   *
   * @returns The token and its `exp` (s since epoch); `undefined` when too many are live.
   */
  async mint(
    pipe: DevServerPipe,
    metadata: Record<string, unknown>,
  ): Promise<{ token: string; expires_at: number } | undefined> {
    const now = this.#clock.now();
    this.#purge(now);
    if (this.#records.size >= MAX_SESSION_TOKENS) return undefined;
    const identity = `caller-${randomHex(8)}`;
    const token = await new AccessToken<string>({
      apiKey: this.#apiKey,
      apiSecret: this.#apiSecret,
      identity,
      ttl: SESSION_TOKEN_TTL_S,
      currentDate: () => new Date(now),
    })
      .addGrant({
        roomJoin: true,
        room: pipe.id,
        canPublish: true,
        canSubscribe: true,
        canPublishData: true,
      })
      .toJwt();
    const expiresAt = Math.floor(now / 1000) + SESSION_TOKEN_TTL_S;
    this.#records.set(identity, {
      pipeId: pipe.id,
      metadata,
      expiresAt: expiresAt * 1000,
      used: false,
    });
    return { token, expires_at: expiresAt };
  }

  /** Whether `identity` is a session token's that already started a session. */
  isUsed(identity: string | undefined): boolean {
    return identity !== undefined && this.#records.get(identity)?.used === true;
  }

  /**
   * Marks the session token of `identity` used.
   *
   * @returns Its record; `"used"` if it already was; `undefined` when `identity` is not a
   *   session token's (an ordinary access token).
   */
  consume(identity: string | undefined): SessionTokenRecord | "used" | undefined {
    const record = identity === undefined ? undefined : this.#records.get(identity);
    if (!record) return undefined;
    if (record.used) return "used";
    record.used = true;
    return record;
  }

  /**
   * Forgets records expired beyond any clock tolerance (insertion order is expiry order:
   * the TTL is fixed).
   */
  #purge(now: number): void {
    for (const [identity, record] of this.#records) {
      if (record.expiresAt + MAX_CLOCK_TOLERANCE_MS > now) break;
      this.#records.delete(identity);
    }
  }
}
