/** A JSON response. */
export function json(
  body: unknown,
  status: number,
  headers: Record<string, string> = {},
): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "Content-Type": "application/json", ...headers },
  });
}

/**
 * The platform's response envelope, as Unpod's `UnpodJSONRenderer` writes it:
 * - success: `{status_code, message, data, count?}`;
 * - below 401 (400 and the 206 business failures): `{status_code, message, data: {}, errors?}`;
 * - 401 and above: `{status_code, message}`.
 */
export function ok(
  data: unknown,
  options: { message?: string | undefined; count?: number; status?: 200 | 201 } = {},
): Response {
  const body: Record<string, unknown> = {
    status_code: options.status ?? 200,
    message: options.message ?? "Success",
    data,
  };
  if (options.count !== undefined) body.count = options.count;
  return json(body, options.status ?? 200);
}

/** A failure envelope's body; see {@link ok} for the shapes by status. */
export function failureBody(
  status: number,
  message: string,
  options: { errors?: unknown; data?: Record<string, unknown> } = {},
): Record<string, unknown> {
  const body: Record<string, unknown> = { status_code: status, message };
  if (status < 401) {
    body.data = options.data ?? {};
    if (options.errors !== undefined) body.errors = options.errors;
  }
  return body;
}

/** A failure envelope; see {@link ok} for the shapes by status. */
export function fail(
  status: number,
  message: string,
  options: {
    errors?: unknown;
    data?: Record<string, unknown>;
    headers?: Record<string, string>;
  } = {},
): Response {
  return json(failureBody(status, message, options), status, options.headers);
}

/** 204, no body. */
export function noContent(): Response {
  return new Response(null, { status: 204 });
}

/** Django's own 404 page (DEBUG off): what the platform answers for a path no route matches. */
export const DJANGO_NOT_FOUND = `<!doctype html>
<html lang="en">
<head>
  <title>Not Found</title>
</head>
<body>
  <h1>Not Found</h1><p>The requested resource was not found on this server.</p>
</body>
</html>
`;

/** Django's 404 page as a response. */
export function djangoNotFound(): Response {
  return new Response(DJANGO_NOT_FOUND, {
    status: 404,
    headers: { "Content-Type": "text/html; charset=utf-8" },
  });
}
