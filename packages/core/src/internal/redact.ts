/**
 * Removes anything that looks like a credential from `text`:
 * - `Token <value>` / `Bearer <value>` authorization values (16+ characters, so prose such
 *   as "Token has expired." survives);
 * - JWTs (header.payload[.signature]);
 * - credential-named query parameters and JSON fields (`?access_token=…`, `"api_secret": "…"`).
 */
export const redact = (text: string): string =>
  text
    .replace(/\b((?:Token|Bearer)\s+)[\w.~+/=-]{16,}/gi, "$1[redacted]")
    .replace(/eyJ[\w-]*\.[\w.-]*/g, "[redacted-jwt]")
    .replace(
      /((?:[?&]|")(?:access_|api_?)?(?:token|secret|key|password)(?:=|"\s*:\s*"))[^&#\s"]*/gi,
      "$1[redacted]",
    );
