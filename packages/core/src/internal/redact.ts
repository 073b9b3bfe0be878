// Credentials that may end up in a message or URL: `Token <hex>` / `Bearer <x>`
// authorization values, JWTs, and credential-named query parameters.
const PATTERNS: [RegExp, string][] = [
  [/\b(Token|Bearer)\s+[^\s"',;]+/gi, "$1 [redacted]"],
  [/eyJ[\w-]*\.[\w-]*\.[\w-]*/g, "[redacted-jwt]"],
  [/([?&](?:access_token|token|api_token|secret|api_secret|key)=)[^&#\s]*/gi, "$1[redacted]"],
];

/** Removes anything that looks like a credential from `text`. */
export function redact(text: string): string {
  let out = text;
  for (const [re, to] of PATTERNS) out = out.replace(re, to);
  return out;
}
