import type { AccessTokenClaims } from "@unpod/core";
import { MAX_TOKEN_TTL } from "@unpod/node";
import { signClaims } from "@unpod/node/internal";

/**
 * The token a refresh sends: the verified claims exactly as they were — grant fields this
 * SDK does not model (LiveKit's `ingressAdmin`, say) included — with a new `nbf` (now) and
 * `exp` (now + the same lifetime), and `iat` moved to now when the token had one.
 *
 * @param claims - The claims of the session's newest verified token.
 * @param secret - The secret of the API key in `claims.iss`.
 * @param nowSeconds - The current time, seconds since epoch.
 * @param lifetime - The old token's lifetime in seconds (kept between 1 s and 30 days).
 * @returns The signed token.
 */
export function renewedToken(
  claims: AccessTokenClaims,
  secret: string,
  nowSeconds: number,
  lifetime: number,
): Promise<string> {
  const ttl = Math.min(Math.max(1, Math.round(lifetime)), MAX_TOKEN_TTL);
  const renewed: Record<string, unknown> = { ...claims, nbf: nowSeconds, exp: nowSeconds + ttl };
  if (claims.iat !== undefined) renewed.iat = nowSeconds;
  return signClaims(renewed, secret);
}
