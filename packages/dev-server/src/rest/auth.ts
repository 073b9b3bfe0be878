import type { Context } from "hono";
import { constantTimeEqual } from "../internal/secure.js";
import { fail } from "./envelope.js";

/** DRF's messages for `TokenAuthentication`. */
export const AUTH_MESSAGES = {
  missing: "Authentication credentials were not provided.",
  invalid: "Invalid token.",
  noCredentials: "Invalid token header. No credentials provided.",
  spaces: "Invalid token header. Token string should not contain spaces.",
} as const;

/**
 * Checks `Authorization: Token <api token>` like Django REST Framework's
 * `TokenAuthentication`: the keyword is case-insensitive; another scheme (or none) is
 * "not provided"; a known token passes. Tokens are compared in constant time and never
 * appear in a response or log.
 *
 * @returns `undefined` when authenticated, else the 401 response.
 */
export function authenticate(c: Context, apiTokens: readonly string[]): Response | undefined {
  const header = c.req.header("authorization");
  const parts = header?.trim().split(/\s+/) ?? [];
  const deny = (message: string) =>
    fail(401, message, { headers: { "WWW-Authenticate": "Token" } });
  if (parts.length === 0 || parts[0]?.toLowerCase() !== "token") return deny(AUTH_MESSAGES.missing);
  if (parts.length === 1) return deny(AUTH_MESSAGES.noCredentials);
  if (parts.length > 2) return deny(AUTH_MESSAGES.spaces);
  const token = parts[1] as string;
  let known = false;
  for (const t of apiTokens) known = constantTimeEqual(token, t) || known;
  return known ? undefined : deny(AUTH_MESSAGES.invalid);
}
