// What an injected fault does to one request: the same for the REST API, the validate
// endpoint and the WebSocket upgrade. Each transport only turns the outcome into its own
// kind of answer (a fetch Response, or bytes written on the upgrading socket).
import { type Logger, RTC_PATH, RTC_VALIDATE_PATH } from "@unpod/core";
import { type FaultEffect, faultMessage, MALFORMED_BODY } from "./faults.js";
import { failureBody } from "./rest/envelope.js";

/** What to do with a request a fault hit. */
export type FaultOutcome =
  /** Serve the real answer (the fault only added latency). */
  | { kind: "pass" }
  /** Destroy the connection without an answer. */
  | { kind: "drop" }
  /**
   * Send this answer instead of the real one: `body` is sent as `application/json` (even
   * when it is the malformed one), with `headers` besides.
   */
  | { kind: "answer"; status: number; headers: Record<string, string>; body: string };

/**
 * Applies a fault to one request: logs it, waits its latency, and says what to answer.
 *
 * @param fault - The effect of the rule that matched.
 * @param request - The request's method and path (no query string).
 * @param logger - Where "fault injected" is logged.
 * @returns The outcome for the transport to carry out.
 */
export async function applyFault(
  fault: FaultEffect,
  request: { method: string; path: string },
  logger: Logger,
): Promise<FaultOutcome> {
  logger.warn?.("fault injected", { method: request.method, path: request.path, kind: fault.kind });
  if (fault.latency > 0) await new Promise((resolve) => setTimeout(resolve, fault.latency));
  switch (fault.kind) {
    case "delay":
      return { kind: "pass" };
    case "drop":
      return { kind: "drop" };
    case "malformed":
      return { kind: "answer", status: 200, headers: {}, body: MALFORMED_BODY };
    case "status": {
      const realtime = request.path === RTC_PATH || request.path === RTC_VALIDATE_PATH;
      const headers: Record<string, string> =
        fault.retryAfter === undefined ? {} : { "Retry-After": String(fault.retryAfter) };
      return {
        kind: "answer",
        status: fault.status,
        headers,
        body: JSON.stringify(failureBody(fault.status, faultMessage(fault, realtime))),
      };
    }
  }
}
