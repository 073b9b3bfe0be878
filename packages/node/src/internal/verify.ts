// The verification algorithm, shared by TokenVerifier and the differential test. Order:
// shape (core's parseToken: size, segments, base64url, JSON, claim types) → header policy →
// signature encoding → issuer → signature → grant claims → nbf → exp. Time is judged only
// on authentic tokens, so a forged expired token is `invalid_token`, never `token_expired`.
import { type AccessTokenClaims, UnpodTokenError } from "@unpod/core";
import { base64UrlDecode } from "@unpod/core/internal";
import { checkGrantClaims } from "./claims.js";
import { HEADER_B64, type Hs256, LIVEKIT_HEADER_B64 } from "./jws.js";
import { parse } from "./parse.js";

/** What one verification needs. */
export interface VerifySettings {
  /** API key → API secret. */
  keys: ReadonlyMap<string, string>;
  /** Clock tolerance in seconds. */
  tolerance: number;
  /** Current time, seconds since epoch. */
  now: number;
  /** Skip the `exp` check (and only it). */
  ignoreExpiration: boolean;
}

const HEADER_FIELDS: ReadonlySet<string> = new Set(["alg", "typ", "kid"]);
// 32 bytes = 43 base64url characters; the last one carries 2 zero bits, so only 16 of
// the 64 characters are canonical there. Pinning the encoding makes "equal signature
// strings" and "equal signature bytes" the same thing for both implementations.
const CANONICAL_SIG = /^[A-Za-z0-9_-]{42}[AEIMQUYcgkosw048]$/;
const B64URL = /^[A-Za-z0-9_-]*$/;
const utf8 = new TextDecoder();

function invalid(
  reason: string,
  message: string,
  claim?: string,
  cause?: unknown,
): UnpodTokenError {
  return new UnpodTokenError("invalid_token", message, { reason, claim, cause });
}

/** The header policy: HS256 only, no `crit`, no key-carrying or unknown fields. */
function checkHeader(header: Record<string, unknown>, segment: string): void {
  if (segment === HEADER_B64 || segment === LIVEKIT_HEADER_B64) return;
  if (header.alg !== "HS256") {
    throw invalid(
      "alg",
      `Algorithm ${JSON.stringify(String(header.alg).slice(0, 20))} is not accepted; only HS256 is.`,
      "alg",
    );
  }
  if (Object.hasOwn(header, "crit")) {
    throw invalid("crit", 'The header has "crit"; no JWS extensions are supported.', "crit");
  }
  for (const field of Object.keys(header)) {
    if (!HEADER_FIELDS.has(field)) {
      throw invalid(
        "header",
        `Header field ${JSON.stringify(field.slice(0, 20))} is not accepted.`,
        field,
      );
    }
  }
  if (
    header.typ !== undefined &&
    (typeof header.typ !== "string" || header.typ.toUpperCase() !== "JWT")
  ) {
    throw invalid("typ", 'Header "typ" must be "JWT".', "typ");
  }
  if (header.kid !== undefined && typeof header.kid !== "string") {
    throw invalid("header", 'Header "kid" must be a string.', "kid");
  }
  // Duplicate fields (`{"alg":"HS256","alg":"none"}`) are read differently by different
  // parsers; accept only a header that is exactly the compact JSON of what we parsed.
  if (JSON.stringify(header) !== utf8.decode(base64UrlDecode(segment))) {
    throw invalid("header", "The header has duplicate fields or is not compact JSON.");
  }
}

/**
 * Verifies a compact JWT.
 *
 * @throws {@link UnpodTokenError}: `invalid_token` (reasons `malformed`, `too_large`,
 *   `claim_type`, `missing_claim`, `alg`, `crit`, `typ`, `header`, `unknown_key`,
 *   `bad_signature`), `token_not_yet_valid` (`nbf`), `token_expired` (`exp`).
 */
export function verifyToken(
  token: unknown,
  settings: VerifySettings,
  impl: Hs256,
): Promise<AccessTokenClaims> {
  try {
    const { header, claims, segments } = parse(token, impl.decodeBase64Url);
    checkHeader(header, segments[0]);
    const signature = segments[2];
    if (!CANONICAL_SIG.test(signature)) {
      throw B64URL.test(signature)
        ? invalid("bad_signature", "The signature has the wrong length or encoding.")
        : invalid("malformed", "The signature is not base64url.");
    }
    const secret = settings.keys.get(claims.iss);
    if (secret === undefined) {
      throw invalid("unknown_key", "Signed by an unknown API key.", "iss");
    }
    let ok: boolean | Promise<boolean>;
    try {
      ok = impl.verify(token as string, secret);
    } catch (cause) {
      throw invalid("malformed", "The signature could not be checked.", undefined, cause);
    }
    // The node:crypto path answers synchronously: no extra promise on the hot path.
    if (typeof ok === "boolean") return Promise.resolve(judge(ok, claims, settings));
    return ok.then(
      (valid) => judge(valid, claims, settings),
      (cause: unknown) => {
        throw invalid("malformed", "The signature could not be checked.", undefined, cause);
      },
    );
  } catch (error) {
    return Promise.reject(error);
  }
}

/** Everything after the signature check: grant requirements, then `nbf`, then `exp`. */
function judge(
  valid: boolean,
  claims: AccessTokenClaims,
  settings: VerifySettings,
): AccessTokenClaims {
  if (!valid) {
    throw invalid(
      "bad_signature",
      'Bad signature: it does not match the secret of the API key in "iss".',
    );
  }
  checkGrantClaims(claims);
  const { now, tolerance } = settings;
  if (claims.nbf !== undefined && claims.nbf > now + tolerance) {
    throw new UnpodTokenError("token_not_yet_valid", 'Not valid yet: "nbf" is in the future.', {
      reason: "not_yet_valid",
      claim: "nbf",
    });
  }
  if (!settings.ignoreExpiration && claims.exp <= now - tolerance) {
    throw new UnpodTokenError("token_expired", "Token has expired.", {
      reason: "expired",
      claim: "exp",
    });
  }
  return claims;
}
