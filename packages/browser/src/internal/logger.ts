import type { Logger } from "../types.js";

/** A {@link Logger} with both methods present and never throwing. */
export interface SafeLogger {
  debug(message: string, data?: Record<string, unknown>): void;
  warn(message: string, data?: Record<string, unknown>): void;
}

/**
 * Wraps the app's logger so that calling it can never break the session: a missing method
 * is skipped and a throwing one is ignored (there is nowhere left to report it).
 */
export function safeLogger(logger: Logger | undefined): SafeLogger {
  const call = (level: keyof Logger, message: string, data?: Record<string, unknown>) => {
    try {
      logger?.[level]?.(message, data);
    } catch {
      // logging must not change what the session does
    }
  };
  return {
    debug: (message, data) => call("debug", message, data),
    warn: (message, data) => call("warn", message, data),
  };
}
