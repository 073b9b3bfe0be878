/**
 * Serves the voice test page and the built bundles on 127.0.0.1: the page at `/`, the same
 * page under a CSP that forbids `blob:` scripts at `/strict-csp`, the worklet file at
 * `/browser/voice-worklet.js`.
 */
export function servePage(): Promise<{ origin: string; close(): Promise<void> }>;
/** The page instruments (tap, recorded streams, contexts and frames, autoplay shim): `page.addInitScript(instrument)`. */
export function instrument(): void;
/** In-page helpers, as `window.h`: `page.evaluate(helpers)`. */
export function helpers(): void;
