// HS256 for access tokens: one interface, two implementations, chosen once here.
//
// - `nodeHs256` (hs256.node.ts): node:crypto's createHmac, synchronous, ~5x jose's speed on
//   Node. Loaded through `process.getBuiltinModule`, never a static import, so no bundle
//   for a browser or edge worker ever references node:crypto.
// - `joseHs256` (hs256.jose.ts): jose over WebCrypto; the implementation everywhere else.
//
// Both MAC exactly the same bytes (`HEADER_B64 "." b64url(payloadJson)`); the differential
// test (test/tokenDifferential.test.ts) proves they agree token for token and verdict for
// verdict.
import { joseHs256 } from "./hs256.jose.js";
import { loadNodeHs256 } from "./hs256.node.js";
import type { Hs256 } from "./jws.js";

export type { Hs256 };

/** The implementation this runtime uses. */
export const hs256: Hs256 = loadNodeHs256() ?? joseHs256;
