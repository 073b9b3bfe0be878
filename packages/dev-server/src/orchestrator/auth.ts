import { constantTimeEqual } from "../internal/secure.js";

/**
 * Whether a runner's control socket carries dev credentials: `Authorization: Token <api
 * token>` with the `Org-Handle` of a fixture organization (the form Unpod moves to), or
 * `Authorization: Bearer <api token>` (standing in for an `sk_` key: the dev server has no
 * separate runner keys). Tokens are compared in constant time.
 */
export function runnerAuthorized(
  authorization: string | undefined,
  orgHandle: string | undefined,
  apiTokens: readonly string[],
  knownOrg: (handle: string) => boolean,
): boolean {
  const [scheme = "", value = "", ...rest] = (authorization ?? "").trim().split(/\s+/);
  if (rest.length > 0 || value === "") return false;
  let known = false;
  for (const t of apiTokens) known = constantTimeEqual(value, t) || known;
  switch (scheme.toLowerCase()) {
    case "bearer":
      return known;
    case "token":
      return known && orgHandle !== undefined && knownOrg(orgHandle.trim());
    default:
      return false;
  }
}
