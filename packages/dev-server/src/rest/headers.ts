import type { Context } from "hono";
import { fail } from "./envelope.js";
import type { RestDeps } from "./types.js";

/** The platform's 400 for a missing `Org-Handle` (its own wording). */
export const ORG_HANDLE_REQUIRED = "Organization handle is required in Org-Handle header";

/** The `Org-Handle` header, or the platform's 400. */
export function requireOrgHandle(c: Context): string | Response {
  const handle = c.req.header("org-handle")?.trim();
  return handle ? handle : fail(400, ORG_HANDLE_REQUIRED);
}

/** The `Org-Handle` of a known organization, or the platform's 400 (no header) or 404. */
export function requireOrganization(c: Context, deps: RestDeps): string | Response {
  const handle = requireOrgHandle(c);
  if (typeof handle !== "string") return handle;
  return deps.store.organization(handle) ? handle : fail(404, "Organization not found");
}

/** The `Product-ID` header (read case-insensitively, as the platform does), if any. */
export function productId(c: Context): string | undefined {
  return c.req.header("product-id")?.trim() || undefined;
}

/** A path parameter (empty when absent: then no record matches). */
export function param(c: Context, name: string): string {
  return c.req.param(name) ?? "";
}
