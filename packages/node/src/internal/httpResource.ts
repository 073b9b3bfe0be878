// Small helpers shared by the resource classes.
import { UnpodArgumentError } from "@unpod/core";
import type { CallSpec, HttpTransport } from "./http.js";

/**
 * One path segment from a caller's id: a non-empty string (or a number), percent-encoded.
 * `.` and `..` are refused because URL parsing would turn them into another path.
 */
export function segment(value: unknown, option: string): string {
  if (typeof value === "number" && Number.isSafeInteger(value)) return String(value);
  if (typeof value !== "string" || value === "" || value === "." || value === "..") {
    throw new UnpodArgumentError(option, "must be a non-empty string");
  }
  return encodeURIComponent(value);
}

/** Sends a call and resolves to the envelope's `data`. */
export async function dataOf<T>(http: HttpTransport, spec: CallSpec): Promise<T> {
  const { envelope } = await http.send(spec);
  return envelope?.data as T;
}
