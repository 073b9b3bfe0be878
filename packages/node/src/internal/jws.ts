// The fixed JWS pieces shared by both HS256 implementations.

/** An HS256 signer/verifier over compact JWTs with our fixed header. */
export interface Hs256 {
  /** Which implementation this is. */
  readonly name: "node" | "jose";
  /** Signs `payloadJson` under {@link HEADER}; returns the compact JWT. */
  sign(payloadJson: string, secret: string): string | Promise<string>;
  /**
   * Checks the signature of a compact JWT (three segments, canonical 43-character
   * signature — the caller has checked both). Constant time in the signature.
   */
  verify(token: string, secret: string): boolean | Promise<boolean>;
  /**
   * A native base64url decoder, when the runtime has one; verification then parses
   * through `fastParse` (same results as core's `parseToken`, faster).
   */
  readonly decodeBase64Url?: ((segment: string) => Uint8Array) | undefined;
}

/** The protected header of every token we sign (LiveKit layout plus `typ`). */
export const HEADER = { alg: "HS256", typ: "JWT" } as const;
/** base64url of `{"alg":"HS256","typ":"JWT"}`. */
export const HEADER_B64 = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9";
/** base64url of `{"alg":"HS256"}`, the header LiveKit's SDKs write. */
export const LIVEKIT_HEADER_B64 = "eyJhbGciOiJIUzI1NiJ9";
