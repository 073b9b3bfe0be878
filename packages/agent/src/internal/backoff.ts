/** First reconnect delay, before jitter. */
export const BACKOFF_BASE_MS = 1000;
/** Largest reconnect delay, before jitter. */
export const BACKOFF_MAX_MS = 30_000;

/**
 * The reconnect delay before attempt `attempt` (1, 2, 3…): 1 s doubling up to 30 s, then
 * ±50 % jitter (the reference's rule), so a fleet of runners that lost the orchestrator at
 * once does not come back at once.
 *
 * @param attempt - 1 for the first reconnect.
 * @param random - A number in [0, 1), e.g. `Math.random()`.
 * @returns Milliseconds, between 0.5 × and 1.5 × the capped exponential delay.
 */
export function backoffDelay(attempt: number, random: number): number {
  const exp = Math.min(
    BACKOFF_MAX_MS,
    BACKOFF_BASE_MS * 2 ** Math.min(30, Math.max(0, attempt - 1)),
  );
  return Math.round(exp * (0.5 + random));
}
