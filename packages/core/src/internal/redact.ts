// Credentials that may end up in a message, URL or body kept on an error:
// - `Token <value>` / `Bearer <value>` authorization values (16+ characters, so prose such
//   as "Token has expired." survives);
// - JWTs (header.payload[.signature]);
// - credential-named query parameters and JSON fields (`?access_token=…`, `"api_secret": "…"`).
const PATTERNS: [RegExp, string][] = [
  [/\b(Token|Bearer)(\s+)[\w.~+/=-]{16,}/gi, "$1$2[redacted]"],
  [/eyJ[\w-]*\.[\w.-]*/g, "[redacted-jwt]"],
  [
    /((?:[?&]|")(?:access_|api_?)?(?:token|secret|key|password)(?:=|"\s*:\s*"))[^&#\s"]*/gi,
    "$1[redacted]",
  ],
];

/** Removes anything that looks like a credential from `text`. */
export function redact(text: string): string {
  let out = text;
  for (const [re, to] of PATTERNS) out = out.replace(re, to);
  return out;
}
