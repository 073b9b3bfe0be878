/** Serves the voice test page and the built bundles on 127.0.0.1. */
export function servePage(): Promise<{ origin: string; close(): Promise<void> }>;
/** The page instruments (tap, recorded streams, contexts and frames, autoplay shim): `page.addInitScript(instrument)`. */
export function instrument(): void;
/** In-page helpers, as `window.h`: `page.evaluate(helpers)`. */
export function helpers(): void;
