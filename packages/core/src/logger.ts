/**
 * Structured fields of one log line. The SDK never puts a secret in them: no API token,
 * access token, secret, header or body.
 */
export type LogFields = Readonly<Record<string, unknown>>;

/**
 * Where an Unpod object writes what it does — the `logger` option of `UnpodClient`, the
 * dev server and the browser session alike (no Unpod package ever uses `console`). Every
 * method is optional: leave one out to drop that level; pass `console` to print everything,
 * or an adapter to pino or winston. A logger that throws is ignored.
 *
 * @example
 * ```ts
 * import type { Logger } from "@unpod/core";
 * const logger: Logger = {
 *   warn: (message, fields) => console.warn(`[unpod] ${message}`, fields ?? {}),
 * };
 * ```
 */
export interface Logger {
  /**
   * Fine-grained detail (each request and response, each frame-level decision).
   *
   * @param message - A short event name, e.g. `unpod.request`.
   * @param fields - Structured details, never a secret.
   */
  debug?(message: string, fields?: LogFields): void;
  /**
   * Ordinary events (a session joined or ended, a request answered).
   *
   * @param message - A short event name.
   * @param fields - Structured details, never a secret.
   */
  info?(message: string, fields?: LogFields): void;
  /**
   * Something went wrong and was handled: a retry, a refused frame, an injected fault.
   *
   * @param message - A short event name.
   * @param fields - Structured details, never a secret.
   */
  warn?(message: string, fields?: LogFields): void;
  /**
   * An unexpected failure inside the SDK (please report it).
   *
   * @param message - A short event name.
   * @param fields - Structured details, never a secret.
   */
  error?(message: string, fields?: LogFields): void;
}
