// One REST call in flight: what the transport, its ky options and the error mapping share,
// and the query string (with its credentials kept apart).
import type { Envelope, HttpMethod, ResponseHeaders } from "@unpod/core";
import type { QueryValue } from "../types/options.js";
import type { RetryPolicy } from "./httpRetry.js";

// Query parameters whose value is a credential: redacted in log lines and errors (the
// same names core's redaction knows).
const SECRET_PARAMS: ReadonlySet<string> = new Set([
  "access_token",
  "token",
  "api_token",
  "secret",
  "api_secret",
  "key",
]);

/** The query string for the wire, the same with credentials redacted, and those credentials. */
export function encodeQuery(
  query: Readonly<Record<string, QueryValue>> | undefined,
): [wire: string, safe: string, secrets: string[]] {
  const secrets: string[] = [];
  if (query === undefined) return ["", "", secrets];
  let out = "";
  let safe = "";
  for (const key in query) {
    const value = query[key];
    if (value === undefined || value === null) continue;
    const k = `${out === "" ? "?" : "&"}${encodeURIComponent(key)}=`;
    const v = encodeURIComponent(String(value));
    out += k + v;
    if (SECRET_PARAMS.has(key.toLowerCase())) {
      safe += `${k}[redacted]`;
      secrets.push(String(value), v);
    } else {
      safe += k + v;
    }
  }
  return [out, safe, secrets];
}

/** What each exchange of a call sends: the URL and the init (ky's signal is added). */
export interface Wire {
  url: string;
  init: {
    method: HttpMethod;
    headers: Record<string, string>;
    body: string | null;
    redirect: "manual";
  };
}

/** One call in flight: what its ky hooks and the error mapping share. */
export interface Call {
  method: HttpMethod;
  /** The URL, credentials redacted: the only form logged or kept. */
  url: string;
  requestId: string;
  timeoutMs: number;
  totalTimeoutMs: number;
  maxResponseSize: number;
  policy: RetryPolicy;
  /** When the total timeout passes, in the runtime's ms. */
  deadline: number;
  /** The caller's signal. */
  userSignal: AbortSignal | undefined;
  /** Values that must not show up in an error's cause. */
  secrets: readonly string[];
  /** The URL and init each exchange sends. */
  wire: Wire;
  /** The jitter's random number for the retry being planned. */
  draw: number;
  /** The body of the latest answer, read within the limits. */
  body: string;
  /** Attempt number (1-based) and start of the latest attempt, for the debug log. */
  attempt: number;
  attemptStart: number;
  /** The attempt whose answer was logged last, so that no answer is logged twice. */
  logged: number;
}

/** Internal: the result of a successful call. */
export interface CallResult {
  envelope: Envelope | undefined;
  status: number;
  requestId: string;
  /** The URL called, credentials redacted. */
  url: string;
  /** The answer's headers, as `withResponse()` hands them out. */
  headers: ResponseHeaders;
}

/** What ends an exchange the total deadline falls into. */
export class DeadlinePassed extends Error {
  override readonly name = "DeadlinePassed";
  constructor() {
    super("The call's total timeout passed");
  }
}
