// The HTTP side of fault injection: a Hono middleware that applies the rule a request
// matches, before the real handler or (`afterHandler`) once it has answered.
import type { Logger } from "@unpod/core";
import type { MiddlewareHandler } from "hono";
import { applyFault } from "./applyFault.js";
import type { FaultInjector } from "./faults.js";
import type { AppEnv } from "./rest/types.js";

/** Thrown to unwind Hono after a `drop` fault destroyed the socket. */
export class DroppedConnection extends Error {}

/**
 * Applies fault rules to every HTTP request but the `/__dev/*` admin routes.
 *
 * @param faults - The rule table.
 * @param dropped - Where a dropped request's socket is noted (the request log reads it).
 * @param logger - Where "fault injected" is logged.
 */
export function faultMiddleware(
  faults: FaultInjector,
  dropped: WeakSet<object>,
  logger: Logger,
): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (c.req.path.startsWith("/__dev/")) return next();
    const fault = faults.take(c.req.method, c.req.path);
    if (!fault) return next();
    // The request takes effect first; only its answer is replaced or lost.
    if (fault.afterHandler) await next();
    const outcome = await applyFault(fault, { method: c.req.method, path: c.req.path }, logger);
    if (outcome.kind === "pass") return fault.afterHandler ? undefined : next();
    if (outcome.kind === "answer") {
      const answer = new Response(outcome.body, {
        status: outcome.status,
        headers: { "Content-Type": "application/json", ...outcome.headers },
      });
      if (!fault.afterHandler) return answer;
      // Cleared first, or Hono would copy the real answer's headers onto the fault's.
      c.res = undefined;
      c.res = answer;
      return undefined;
    }
    dropped.add(c.env.incoming);
    c.env.incoming.socket.destroy();
    // Nobody will read this: the socket is gone. Status 0 marks the drop in the log.
    c.res = new Response(null, { status: 500 });
    throw new DroppedConnection();
  };
}
