/**
 * `@unpod/node/internal`: what only the other Unpod packages need from `@unpod/node` (the
 * dev server re-signs a verified claim set when it refreshes a token).
 *
 * **Not covered by semver.** Anything here may change or disappear in any release, patch
 * releases included. Use `AccessToken` from `@unpod/node` to mint tokens.
 *
 * @packageDocumentation
 */
export { signClaims } from "./sign.js";
