import type { UnpodError } from "@unpod/core";
import { HEALTHY_CONNECTION_MS, type ReconnectContext } from "../reconnectPolicy.js";

/**
 * The current run of reconnect attempts. The count survives a connection that drops within
 * {@link HEALTHY_CONNECTION_MS} of joining, so a server that accepts and then drops every
 * socket walks the policy up to its limit instead of restarting it at attempt 1 (delay 0)
 * each time; a connection that stayed up that long starts a new run.
 */
export class ReconnectStreak {
  #attempts = 0;
  #startedAt = 0;
  #connectedMs = 0;

  /** A joined connection dropped after `connectedMs`, at `now`. */
  dropped(now: number, connectedMs: number): void {
    this.#connectedMs = connectedMs;
    if (connectedMs >= HEALTHY_CONNECTION_MS) this.#attempts = 0;
    if (this.#attempts === 0) this.#startedAt = now;
  }

  /** Counts the next attempt and describes it to the policy. */
  next(now: number, error: UnpodError): ReconnectContext {
    this.#attempts += 1;
    return {
      attempt: this.#attempts,
      elapsedMs: now - this.#startedAt,
      error,
      connectedMs: this.#connectedMs,
    };
  }

  /** A new session (`connect()`): no attempts yet. */
  reset(): void {
    this.#attempts = 0;
    this.#connectedMs = 0;
  }
}
