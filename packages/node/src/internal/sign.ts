// Signing a claim set: the one place an HS256 JWT is made (AccessToken, and the dev
// server's token refresh through `@unpod/node/internal`).

import { MAX_TOKEN_LENGTH, UnpodArgumentError } from "@unpod/core";
import { invalidArgument } from "@unpod/core/internal";
import { hs256 } from "./hs256.js";

function checkLength(jwt: string): string {
  if (jwt.length > MAX_TOKEN_LENGTH) {
    throw invalidArgument(
      "claims",
      `the token would be ${jwt.length} characters, over the ${MAX_TOKEN_LENGTH} every verifier accepts; shorten metadata or attributes`,
    );
  }
  return jwt;
}

/**
 * Signs `claims` as they are (HS256, header `{"alg":"HS256","typ":"JWT"}`): no check of
 * their content, which is the caller's job.
 *
 * @param claims - The claim set, serialised in its own key order.
 * @param secret - The HMAC key.
 * @returns The compact JWT.
 * @throws {@link UnpodArgumentError} `claims` when the token would be longer than
 *   `MAX_TOKEN_LENGTH`, which every Unpod verifier refuses.
 */
export function signClaims(
  claims: Readonly<Record<string, unknown>>,
  secret: string,
): Promise<string> {
  try {
    const jwt = hs256.sign(JSON.stringify(claims), secret);
    return typeof jwt === "string" ? Promise.resolve(checkLength(jwt)) : jwt.then(checkLength);
  } catch (error) {
    return Promise.reject(error);
  }
}
