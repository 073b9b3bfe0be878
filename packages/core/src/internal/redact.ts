// Credential scrubbing for everything an error keeps (messages, URLs, bodies). It runs in
// browsers on every error, so it must cost linear time on hostile input, and it scans at
// most MAX_SCRUBBED characters of any one text.

/** Longest text {@link redact} scans; longer ones are clipped first (see {@link clip}). */
export const MAX_SCRUBBED = 16 * 1024;

// A run of credential characters (tokens, JWTs, query and JSON values) at the very end,
// short enough that the scrubber might not recognise it as the start of a credential
// (`Token 0123…`). Longer runs keep enough to be recognised (16 characters after `Token`,
// a JWT's first dot). Linear: the lookbehind lets a match start only where a run starts.
const SHORT_RUN_AT_END = /(?<![\w.~+/=-])[\w.~+/=-]{1,63}$/;

/**
 * The first `max` characters of `text`, less a short run of credential characters the cut
 * may have gone through: a cut credential could keep a start too short to be recognised as
 * one. Returns `text` itself when it is short enough; otherwise the kept part plus `…`, at
 * most `max` characters in all.
 */
export const clip = (text: string, max: number): string =>
  text.length <= max ? text : `${text.slice(0, max - 1).replace(SHORT_RUN_AT_END, "")}…`;

// `Token <value>` / `Bearer <value>`: 16+ characters, so prose such as "Token has expired."
// survives. Linear: each match attempt starts at a keyword and scans only the whitespace
// and the value after it, which no other attempt rescans.
const AUTHORIZATION = /\b((?:Token|Bearer)\s+)[\w.~+/=-]{16,}/gi;
// Credential-named query parameters and JSON fields (`?access_token=…`, `"api_secret": "…"`).
const FIELD =
  /((?:[?&]|")(?:access_|api_?)?(?:token|secret|key|password)(?:=|"\s*:\s*"))[^&#\s"]*/gi;
// A maximal run of the characters a JWT is made of. The engine takes each run whole and
// resumes after it, so a run is scanned once however many `eyJ` it holds.
const JWT_ALPHABET_RUN = /[\w.-]+/g;

/**
 * A JWT is `eyJ…` (a base64url JSON header), a dot and more: from the first `eyJ` of a run
 * that has a dot after it, to the end of the run.
 */
function redactJwtIn(run: string): string {
  const start = run.indexOf("eyJ");
  if (start < 0 || run.lastIndexOf(".") < start + 3) return run;
  return `${run.slice(0, start)}[redacted-jwt]`;
}

/**
 * Removes anything that looks like a credential from `text`, in time linear in its length
 * (whatever it holds), without any cap: {@link redact} is what errors use.
 * - `Token <value>` / `Bearer <value>` authorization values;
 * - JWTs (header.payload[.signature]);
 * - credential-named query parameters and JSON fields.
 */
export function scrub(text: string): string {
  return text
    .replace(AUTHORIZATION, "$1[redacted]")
    .replace(JWT_ALPHABET_RUN, redactJwtIn)
    .replace(FIELD, "$1[redacted]");
}

/**
 * What errors keep of a text: at most {@link MAX_SCRUBBED} characters (clipped between
 * words), scrubbed of credentials.
 */
export const redact = (text: string): string => scrub(clip(text, MAX_SCRUBBED));
