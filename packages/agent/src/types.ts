/**
 * Where an {@link AgentRunner} writes what it does. Every method is optional; leave one out
 * to drop that level. Lines never carry a credential, a call token or a bridge URL's query.
 *
 * (The same shape as `@unpod/node`'s and `@unpod/dev-server`'s loggers: `console` fits.)
 *
 * @example
 * ```ts
 * import { AgentRunner } from "@unpod/agent";
 * const runner = new AgentRunner({
 *   agentId: "support",
 *   onTurn: (turn) => `You said: ${turn.text}`,
 *   logger: { info: (message, fields) => console.log(message, fields ?? "") },
 * });
 * ```
 */
export interface AgentLogger {
  /** Every frame-level decision. */
  debug?(message: string, fields?: Record<string, unknown>): void;
  /** Registered, calls started and ended, reconnects. */
  info?(message: string, fields?: Record<string, unknown>): void;
  /** Refused jobs, bridges refused, handler errors. */
  warn?(message: string, fields?: Record<string, unknown>): void;
  /** The fatal error that stops the runner. */
  error?(message: string, fields?: Record<string, unknown>): void;
}

/**
 * Time as the runner sees it: heartbeats, reconnect backoff, handshake and drain timeouts
 * all go through one, so a test can move time instead of sleeping.
 */
export interface AgentClock {
  /** Current time in ms since epoch. */
  now(): number;
  /** Schedules `callback` after `ms`; returns a handle for {@link AgentClock.clearTimeout}. */
  setTimeout(callback: () => void, ms: number): unknown;
  /** Cancels a callback scheduled with {@link AgentClock.setTimeout}. */
  clearTimeout(handle: unknown): void;
}
