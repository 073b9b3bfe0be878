import { type AccessTokenClaims, type Duration, UnpodArgumentError } from "@unpod/core";
import { durationMs, invalidArgument, readEnv } from "@unpod/core/internal";
import { hs256 } from "./internal/hs256.js";
import { assertServerRuntime } from "./internal/runtime.js";
import { checkSecret, inspectSymbol } from "./internal/secret.js";
import { verifyToken } from "./internal/verify.js";

/** Default clock tolerance of {@link TokenVerifier}: 10 seconds, like LiveKit. */
export const DEFAULT_CLOCK_TOLERANCE = 10;
/** Largest clock tolerance {@link TokenVerifier} accepts: 5 minutes. */
export const MAX_CLOCK_TOLERANCE = 300;

/** Options of {@link TokenVerifier}. */
export interface TokenVerifierOptions {
  /**
   * API key → API secret. Give several pairs to rotate keys: tokens signed by any of them
   * verify, looked up by their `iss`.
   * @defaultValue the pair `UNPOD_API_KEY` / `UNPOD_API_SECRET` from the environment
   *   (server runtimes only)
   */
  keys?: Record<string, string> | undefined;
  /**
   * Allowed clock skew for `nbf` and `exp`: seconds or a duration string, 0 … 300 s.
   * @defaultValue 10 seconds
   */
  clockTolerance?: Duration | undefined;
  /** The clock. @defaultValue `() => new Date()` */
  currentDate?: (() => Date) | undefined;
  /** Accept API secrets shorter than 32 bytes (local development only). @defaultValue false */
  allowWeakSecret?: boolean | undefined;
  /**
   * Allow construction in a browser page (the secrets would be readable by anyone).
   * @defaultValue false
   */
  dangerouslyAllowBrowser?: boolean | undefined;
}

/** Options of one {@link TokenVerifier.verify} call. */
export interface VerifyOptions {
  /**
   * Skip the `exp` check — and only it: signature, issuer, `nbf` and claim types are still
   * checked. For servers that accept the reconnect of a live session whose token has
   * expired since it connected.
   * @defaultValue false
   */
  ignoreExpiration?: boolean | undefined;
  /** The current time for this call. @defaultValue the verifier's `currentDate` clock */
  currentDate?: Date | undefined;
}

/**
 * Verifies access tokens: HS256 only (pinned), the signing key looked up by `iss` among
 * one or more key pairs, `nbf`/`exp` with a bounded clock tolerance, and claim types.
 * Failures are {@link UnpodTokenError}s: `invalid_token` (forged, malformed, unknown key —
 * the platform's 401), `token_expired` (its 403), `token_not_yet_valid`; `reason` and
 * `claim` say more.
 *
 * @example
 * ```ts
 * import { TokenVerifier, isUnpodTokenError } from "@unpod/node";
 *
 * const verifier = new TokenVerifier({
 *   keys: { "key-2025": process.env.SECRET_2025 ?? "", "key-2024": process.env.SECRET_2024 ?? "" },
 * });
 * declare const jwt: string;
 * try {
 *   const claims = await verifier.verify(jwt);
 *   const room = claims.video?.room; // claims.sub is the participant
 * } catch (error) {
 *   if (!isUnpodTokenError(error)) throw error;
 *   const why = `${error.code}: ${error.reason}`; // e.g. for your logs
 * }
 * ```
 */
export class TokenVerifier {
  readonly #keys: ReadonlyMap<string, string>;
  readonly #tolerance: number;
  readonly #currentDate: () => Date;

  /**
   * @param options - Key pairs, clock tolerance, clock.
   * @throws {@link UnpodArgumentError} naming the option: `keys` when none are given or set
   *   in the environment, or a secret is empty or under 32 bytes; `clockTolerance` outside
   *   0 … 300 s; `dangerouslyAllowBrowser` in a browser page.
   */
  constructor(options: TokenVerifierOptions = {}) {
    if (typeof options !== "object" || options === null) {
      throw invalidArgument("options", "must be an object");
    }
    assertServerRuntime(
      "dangerouslyAllowBrowser",
      options.dangerouslyAllowBrowser,
      "TokenVerifier",
    );
    const allowWeak = options.allowWeakSecret === true;
    const keys = new Map<string, string>();
    if (options.keys !== undefined) {
      if (
        typeof options.keys !== "object" ||
        options.keys === null ||
        Array.isArray(options.keys)
      ) {
        throw invalidArgument("keys", "must be an object of API key → API secret");
      }
      for (const [apiKey, secret] of Object.entries(options.keys)) {
        if (apiKey === "") throw invalidArgument("keys", "an API key must not be empty");
        keys.set(apiKey, checkSecret(`keys[${JSON.stringify(apiKey)}]`, secret, allowWeak));
      }
      if (keys.size === 0) throw invalidArgument("keys", "must hold at least one key pair");
    } else {
      const apiKey = readEnv("UNPOD_API_KEY");
      const secret = readEnv("UNPOD_API_SECRET");
      if (apiKey === undefined || secret === undefined) {
        throw invalidArgument(
          "keys",
          "is required: pass { [apiKey]: apiSecret } or set UNPOD_API_KEY and UNPOD_API_SECRET",
        );
      }
      keys.set(apiKey, checkSecret("UNPOD_API_SECRET", secret, allowWeak));
    }
    this.#keys = keys;
    this.#tolerance =
      options.clockTolerance === undefined
        ? DEFAULT_CLOCK_TOLERANCE
        : durationMs(options.clockTolerance, {
            option: "clockTolerance",
            min: 0,
            max: MAX_CLOCK_TOLERANCE * 1000,
          }) / 1000;
    const currentDate = options.currentDate;
    if (currentDate !== undefined && typeof currentDate !== "function") {
      throw invalidArgument("currentDate", "must be a function returning a Date");
    }
    this.#currentDate = currentDate ?? (() => new Date());
  }

  /** The API keys this verifier accepts (never the secrets). */
  get apiKeys(): string[] {
    return [...this.#keys.keys()];
  }

  /** Clock tolerance in seconds (fractions when it was given in ms, e.g. `"500ms"`). */
  get clockTolerance(): number {
    return this.#tolerance;
  }

  /**
   * Verifies a token and returns its claims.
   *
   * @param token - A compact JWT (anything else is `invalid_token`).
   * @param options - `ignoreExpiration`, `currentDate`.
   * @returns The verified claims.
   * @throws {@link UnpodTokenError} — `invalid_token` with `reason` `malformed`,
   *   `too_large`, `claim_type`, `missing_claim`, `alg`, `crit`, `typ`, `header`,
   *   `unknown_key` or `bad_signature`; `token_not_yet_valid` (`nbf` beyond the tolerance);
   *   `token_expired` (`exp` passed, beyond the tolerance).
   * @example
   * ```ts
   * import { TokenVerifier } from "@unpod/node";
   * declare const jwt: string;
   * const claims = await new TokenVerifier().verify(jwt, { ignoreExpiration: true });
   * ```
   */
  verify(token: string, options?: VerifyOptions): Promise<AccessTokenClaims> {
    const date = options?.currentDate ?? this.#currentDate();
    const ms = date instanceof Date ? date.getTime() : Number.NaN;
    if (!Number.isFinite(ms)) {
      return Promise.reject(invalidArgument("currentDate", "must be a valid Date"));
    }
    return verifyToken(
      token,
      {
        keys: this.#keys,
        tolerance: this.#tolerance,
        now: Math.floor(ms / 1000),
        ignoreExpiration: options?.ignoreExpiration === true,
      },
      hs256,
    );
  }

  /**
   * A secret-free description for logs and `JSON.stringify`.
   *
   * @returns The API keys and the clock tolerance.
   */
  toJSON(): Record<string, unknown> {
    return { apiKeys: this.apiKeys, clockTolerance: this.#tolerance };
  }

  /**
   * What `util.inspect` and `console.log` show: {@link TokenVerifier.toJSON}.
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
    return `TokenVerifier ${inspect(this.toJSON(), options)}`;
  }
}
