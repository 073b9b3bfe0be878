// What a call ends with: the envelope of a success, or one of our typed errors. The
// platform's rules are ours, not ky's: a 2xx whose envelope reports a failure is that
// failure, and 206 always is one.
import {
  type Envelope,
  errorFromResponse,
  UnpodApiError,
  UnpodArgumentError,
  UnpodConnectionError,
} from "@unpod/core";
import { keptHeaders } from "@unpod/core/internal";
import { isTimeoutError } from "ky";
import { BodyTooLarge } from "./httpBody.js";
import { type Call, type CallResult, DeadlinePassed } from "./httpCall.js";
import { describe, safeCause } from "./httpCause.js";

const requestOf = (call: Call) => ({
  method: call.method,
  url: call.url,
  requestId: call.requestId,
});

/**
 * The error for a failed answer (any status but 2xx, and 206), from the body read.
 *
 * @param now - Current time in ms, for an HTTP-date `Retry-After`.
 */
export function answerError(call: Call, response: Response, now: number): UnpodApiError {
  const { status } = response;
  const request = requestOf(call);
  return (
    errorFromResponse({ status, body: call.body, request, headers: response.headers, now }) ??
    new UnpodApiError("http_error", `HTTP ${status}`, {
      status,
      request,
      headers: response.headers,
    })
  );
}

/**
 * The envelope of the answer ky handed back, or the error it stands for.
 *
 * @throws {@link UnpodApiError} for every failure, a 2xx whose envelope says so included.
 */
export function resultOf(call: Call, response: Response, now: number): CallResult {
  const { status } = response;
  const request = requestOf(call);
  const text = call.body;
  const done = (envelope: Envelope | undefined): CallResult => ({
    envelope,
    status,
    requestId: call.requestId,
    url: call.url,
    headers: keptHeaders(response.headers),
  });
  if (status < 200 || status >= 300 || status === 206) throw answerError(call, response, now);
  if (status === 204 || text === "") return done(undefined);
  let parsed: Partial<Envelope> | null;
  try {
    parsed = JSON.parse(text);
  } catch (cause) {
    throw new UnpodApiError("http_error", `HTTP ${status} with a body that is not JSON`, {
      status,
      request,
      body: text,
      cause: safeCause(cause, call.secrets),
      headers: response.headers,
    });
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
    throw new UnpodApiError("http_error", `HTTP ${status} without the platform's envelope`, {
      status,
      request,
      body: text,
      headers: response.headers,
    });
  }
  // The common case, decided here without building errorFromResponse's input: a 2xx
  // whose envelope reports success (core treats status_code < 300 the same way).
  const code = parsed.status_code;
  if (typeof code !== "number" || code < 300) return done(parsed as Envelope);
  const error = errorFromResponse({
    status,
    body: parsed,
    request,
    headers: response.headers,
    now,
  });
  if (error) throw error;
  return done(parsed as Envelope);
}

/** The error for a call the caller aborted; the caller's reason is the cause. */
export function abortedError(call: Call): UnpodConnectionError {
  return new UnpodConnectionError(
    "aborted",
    `${call.method} ${call.url} was aborted by the caller`,
    { cause: call.userSignal?.reason },
  );
}

/**
 * The error for a call that ended without an answer to map (what ky threw).
 *
 * @param now - Current time in ms: past the deadline, whatever ended the call is a timeout.
 */
export function failureOf(call: Call, error: unknown, now: number): Error {
  if (error instanceof BodyTooLarge) {
    return new UnpodApiError(
      "response_too_large",
      `${call.method} ${call.url} answered with a body over the ${error.maxBytes} bytes allowed (maxResponseSize)`,
      { status: error.status, request: requestOf(call), headers: error.headers },
    );
  }
  if (call.userSignal?.aborted) return abortedError(call);
  if (error instanceof DeadlinePassed || now >= call.deadline) {
    return new UnpodConnectionError(
      "timeout",
      `${call.method} ${call.url} exceeded its total timeout of ${call.totalTimeoutMs} ms`,
    );
  }
  // A timed-out attempt may have reached the server, and is never retried. (ky's error
  // holds the request, URL and Authorization header included: it is not kept.)
  if (isTimeoutError(error)) {
    return new UnpodConnectionError(
      "timeout",
      `${call.method} ${call.url} exceeded its timeout of ${call.timeoutMs} ms`,
    );
  }
  if (error instanceof UnpodArgumentError) return error;
  const cause = safeCause(error, call.secrets);
  return new UnpodConnectionError(
    "network_error",
    `${call.method} ${call.url} failed before any answer: ${describe(cause)}`,
    { cause },
  );
}
