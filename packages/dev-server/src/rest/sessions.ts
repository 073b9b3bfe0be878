import { type FieldErrors, hasErrors, readObject, stringField } from "./body.js";
import { fail, ok } from "./envelope.js";
import type { RouteDef } from "./types.js";

/** Largest `metadata`, as JSON, in characters: it travels in runner frames (64 Ki at most). */
export const MAX_SESSION_METADATA = 16 * 1024;

/**
 * Session tokens (Unpod's `POST …/speech/v1/sessions/token`, as the Python SDK's
 * `sessions.create_token` calls it): `{"pipe_id", "metadata"?}` → `{"token", "expires_at"}`
 * in the platform's envelope. The token is short-lived (`SESSION_TOKEN_TTL_S`) and
 * single-use, for a session served by the pipe's agent. Authorization: `Token` (no
 * `Org-Handle` needed).
 */
export function sessionRoutes(): RouteDef[] {
  return [
    {
      path: "/speech/v1/sessions/token",
      methods: {
        POST: async (c, deps) => {
          const body = await readObject(c, deps.maxBodySize, "Invalid session token request.");
          if (body instanceof Response) return body;
          const errors: FieldErrors = {};
          const pipeId = stringField(body, "pipe_id", errors, { required: true, max: 128 });
          const metadata = body.metadata ?? {};
          if (typeof metadata !== "object" || metadata === null || Array.isArray(metadata)) {
            errors.metadata = ["Expected a dictionary of items."];
          } else if (JSON.stringify(metadata).length > MAX_SESSION_METADATA) {
            errors.metadata = [
              `Ensure this field has no more than ${MAX_SESSION_METADATA} characters as JSON.`,
            ];
          }
          if (hasErrors(errors)) return fail(400, "Invalid session token request.", { errors });
          const pipe = deps.sessions.pipes.get(pipeId as string);
          if (!pipe) return fail(404, "Pipe not found");
          const minted = await deps.sessions.tokens.mint(pipe, metadata as Record<string, unknown>);
          if (!minted)
            return fail(429, "Too many session tokens are live; wait for some to expire.");
          return ok(minted, { message: "Session token created" });
        },
      },
    },
  ];
}
