// Small helpers shared by the resource classes.

import { invalidArgument } from "@unpod/core/internal";
import { ApiPromise } from "../apiPromise.js";
import type { CallSpec, HttpTransport } from "./http.js";

/**
 * One path segment from a caller's id: a non-empty string (or a number), percent-encoded.
 * `.` and `..` are refused because URL parsing would turn them into another path.
 */
export function segment(value: unknown, option: string): string {
  if (typeof value === "number" && Number.isSafeInteger(value)) return String(value);
  if (typeof value !== "string" || value === "" || value === "." || value === "..") {
    throw invalidArgument(option, "must be a non-empty string");
  }
  return encodeURIComponent(value);
}

/**
 * Sends a call: an {@link ApiPromise} of the envelope's `data`, whose `withResponse()` adds
 * the request id, status and headers. The spec is built inside the promise, so a bad
 * argument (a `segment()` that throws) rejects like any other failure.
 */
export function apiCall<T>(http: HttpTransport, makeSpec: () => CallSpec): ApiPromise<T> {
  return new ApiPromise<T>(
    (async () => {
      const { envelope, requestId, status, headers } = await http.send(makeSpec());
      return { data: envelope?.data as T, requestId, status, headers };
    })(),
  );
}
