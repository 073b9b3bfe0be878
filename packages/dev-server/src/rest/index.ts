import { Hono } from "hono";
import { agentRoutes } from "./agents.js";
import { authenticate } from "./auth.js";
import { callLogRoutes } from "./callLogs.js";
import { djangoNotFound, fail } from "./envelope.js";
import { sessionRoutes } from "./sessions.js";
import { spaceRoutes } from "./spaces.js";
import { telephonyRoutes } from "./telephony.js";
import type { AppEnv, RestDeps, RouteDef } from "./types.js";

/** Where the platform API lives. */
export const API_PREFIX = "/api/v2/platform";

/** Every platform route, in one table. */
export function platformRoutes(): RouteDef[] {
  return [
    ...spaceRoutes(),
    ...agentRoutes(),
    ...telephonyRoutes(),
    ...callLogRoutes(),
    ...sessionRoutes(),
  ];
}

/** A Hono path (`/spaces/:token/`, `/x/:id{[0-9]+}/`) as a RegExp over the whole path. */
function pathRegExp(path: string): RegExp {
  const re = path.replace(/:[A-Za-z]+(\{([^}]+)\})?/g, (_m, _g, custom: string | undefined) =>
    custom ? `(?:${custom})` : "[^/]+",
  );
  return new RegExp(`^${API_PREFIX}${re}$`);
}

/**
 * The platform API as a Hono app mounted at {@link API_PREFIX}. In the order Django does it:
 * a path without its trailing slash that would match gets a 301 to the slashed path
 * (`APPEND_SLASH`); no route → Django's HTML 404; then authentication (401), then the view
 * (a method the route does not serve → 405).
 */
export function createPlatformApp(deps: RestDeps, apiTokens: readonly string[]): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const routes = platformRoutes();
  const patterns = routes.map((r) => pathRegExp(r.path));

  app.use("*", async (c, next) => {
    const path = c.req.path;
    if (!path.endsWith("/") && patterns.some((re) => re.test(`${path}/`))) {
      const url = new URL(c.req.url);
      return new Response(null, {
        status: 301,
        headers: { Location: `${path}/${url.search}`, "Content-Length": "0" },
      });
    }
    if (!patterns.some((re) => re.test(path))) return djangoNotFound();
    const denied = authenticate(c, apiTokens);
    if (denied) return denied;
    return next();
  });

  for (const route of routes) {
    for (const [method, handler] of Object.entries(route.methods)) {
      app.on(method, `${API_PREFIX}${route.path}`, (c) => handler(c, deps));
    }
    app.all(`${API_PREFIX}${route.path}`, (c) =>
      fail(405, `Method "${c.req.method}" not allowed.`),
    );
  }
  return app;
}
