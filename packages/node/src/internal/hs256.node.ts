// The Node fast path for HS256. Only this file touches node:crypto, and only through
// `process.getBuiltinModule` (Node >= 20.16, Bun, Deno 2), so bundles for other runtimes
// carry no import of it and fall back to jose.
import type * as NodeBuffer from "node:buffer";
import type * as NodeCrypto from "node:crypto";
import { HEADER_B64, type Hs256 } from "./jws.js";

interface BuiltinLoader {
  getBuiltinModule?: (id: string) => unknown;
}

/**
 * Builds the node:crypto implementation, or returns `undefined` where node:crypto is not
 * available.
 *
 * @returns The implementation, or `undefined`.
 */
export function loadNodeHs256(): Hs256 | undefined {
  const proc = (globalThis as { process?: BuiltinLoader }).process;
  if (typeof proc?.getBuiltinModule !== "function") return undefined;
  let crypto: typeof NodeCrypto | undefined;
  let buffer: typeof NodeBuffer | undefined;
  try {
    crypto = proc.getBuiltinModule("node:crypto") as typeof NodeCrypto | undefined;
    buffer = proc.getBuiltinModule("node:buffer") as typeof NodeBuffer | undefined;
  } catch {
    return undefined;
  }
  if (
    typeof crypto?.createHmac !== "function" ||
    typeof crypto.timingSafeEqual !== "function" ||
    typeof buffer?.Buffer?.from !== "function"
  ) {
    return undefined;
  }
  const { createHmac, timingSafeEqual } = crypto;
  const { Buffer } = buffer;
  return {
    name: "node",
    decodeBase64Url: (segment) => Buffer.from(segment, "base64url"),
    sign(payloadJson, secret) {
      const input = `${HEADER_B64}.${Buffer.from(payloadJson, "utf8").toString("base64url")}`;
      return `${input}.${createHmac("sha256", secret).update(input).digest("base64url")}`;
    },
    verify(token, secret) {
      const dot = token.lastIndexOf(".");
      const expected = createHmac("sha256", secret).update(token.slice(0, dot)).digest();
      const given = Buffer.from(token.slice(dot + 1), "base64url");
      return given.length === expected.length && timingSafeEqual(given, expected);
    },
  };
}
