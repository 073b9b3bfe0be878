import { createHash, timingSafeEqual } from "node:crypto";

/**
 * Compares two strings in time that depends on neither's content (both are hashed first,
 * so the lengths leak nothing either).
 */
export function constantTimeEqual(a: string, b: string): boolean {
  const ha = createHash("sha256").update(a, "utf8").digest();
  const hb = createHash("sha256").update(b, "utf8").digest();
  return timingSafeEqual(ha, hb) && a.length === b.length;
}
