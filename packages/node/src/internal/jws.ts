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
}

/** The protected header of every token we sign (LiveKit layout plus `typ`). */
export const HEADER = { alg: "HS256", typ: "JWT" } as const;
/** base64url of `{"alg":"HS256","typ":"JWT"}`. */
export const HEADER_B64 = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9";
