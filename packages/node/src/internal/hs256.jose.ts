// The portable HS256 implementation: jose over WebCrypto.
import { CompactSign, compactVerify, errors } from "jose";
import { HEADER, type Hs256 } from "./jws.js";

const encoder = new TextEncoder();
// Imported CryptoKeys, by secret: importKey costs as much as a signature. Bounded, and
// the secrets are already held by the AccessToken/TokenVerifier objects that use them.
const keys = new Map<string, Promise<CryptoKey>>();
const MAX_KEYS = 64;

function cryptoKey(secret: string): Promise<CryptoKey> {
  let key = keys.get(secret);
  if (key === undefined) {
    if (keys.size >= MAX_KEYS) keys.delete(keys.keys().next().value as string);
    key = crypto.subtle.importKey(
      "raw",
      encoder.encode(secret),
      { name: "HMAC", hash: "SHA-256" },
      false,
      ["sign", "verify"],
    );
    key.catch(() => keys.delete(secret));
    keys.set(secret, key);
  }
  return key;
}

/** HS256 through jose (WebCrypto). */
export const joseHs256: Hs256 = {
  name: "jose",
  async sign(payloadJson, secret) {
    return new CompactSign(encoder.encode(payloadJson))
      .setProtectedHeader({ ...HEADER })
      .sign(await cryptoKey(secret));
  },
  async verify(token, secret) {
    try {
      await compactVerify(token, await cryptoKey(secret), { algorithms: ["HS256"] });
      return true;
    } catch (error) {
      if (error instanceof errors.JWSSignatureVerificationFailed) return false;
      throw error;
    }
  },
};
