/**
 * Where the dev server writes what it does. Every method is optional; leave one out to
 * drop that level. Lines never contain API tokens, access tokens or secrets: the server
 * logs method, path (without the query string) and status, and session ids and identities
 * for the real-time side.
 *
 * @example
 * ```ts
 * import { startDevServer } from "@unpod/dev-server";
 * const server = await startDevServer({
 *   logger: { info: (message, fields) => console.log(message, fields ?? "") },
 * });
 * await server.close();
 * ```
 */
export interface DevServerLogger {
  /** Fine-grained events (every frame-level decision). */
  debug?(message: string, fields?: Record<string, unknown>): void;
  /** Requests, sessions joined and ended. */
  info?(message: string, fields?: Record<string, unknown>): void;
  /** Refused upgrades, protocol violations, injected faults. */
  warn?(message: string, fields?: Record<string, unknown>): void;
  /** Unexpected failures inside the server (a bug: please report it). */
  error?(message: string, fields?: Record<string, unknown>): void;
}
