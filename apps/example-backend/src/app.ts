import { AccessToken, decodeToken, isUnpodError } from "@unpod/node";
import { type Context, Hono } from "hono";
import { cors } from "hono/cors";
import type { ExampleBackendConfig } from "./config.js";

/** Options of {@link createApp}: the configuration, and a `fetch` for the dev-server proxy. */
export interface CreateAppOptions extends Omit<ExampleBackendConfig, "host" | "port"> {
  /** Used to call the dev server's admin route. @defaultValue `globalThis.fetch` */
  fetch?: typeof fetch | undefined;
}

// Identities and rooms are names, not free text: they end up in tokens and logs.
const NAME = /^[A-Za-z0-9_.-]{1,64}$/;
const SESSION_ID = /^[A-Za-z0-9_-]{1,128}$/;

/** The platform's error envelope, so the browser SDK reads our errors like the platform's. */
const fail = (c: Context, status: 400 | 404 | 502, message: string) =>
  c.json({ status_code: status, message }, status);

/**
 * Who is asking. A real backend takes the identity from its own authentication (a session
 * cookie, a verified ID token) — never from what the page says. This demo has no users, so
 * it trusts the name the page sends; replace this one function.
 */
async function currentUser(c: Context): Promise<{ identity?: unknown; room?: unknown }> {
  if (c.req.method === "POST") {
    const body: unknown = await c.req.json().catch(() => ({}));
    return typeof body === "object" && body !== null ? body : {};
  }
  return { identity: c.req.query("identity"), room: c.req.query("room") };
}

/** The real-time server as an `http(s)://` origin, for the dev server's admin routes. */
const adminBase = (serverUrl: string) =>
  serverUrl.replace(/^ws(s?):/, "http$1:").replace(/\/+$/, "");

/**
 * The example backend: a token endpoint and the demo's dev-only drop proxy.
 *
 * - `GET|POST /api/token` — `identity` and `room` (query string, or JSON body for POST) →
 *   `{ token, serverUrl, identity, room, expiresAt }`: a short-lived access token that lets
 *   that identity join that room and send text. `@unpod/browser` accepts the URL itself as
 *   a token source.
 * - `GET /api/config` — `{ serverUrl, devTools }` for the page.
 * - `POST /api/dev/drop?sid=…` — asks the dev server to drop that session's socket (only
 *   when `devAdminSecret` is set; the secret never reaches the browser).
 * - `GET /api/health`.
 *
 * CORS lets the pages at `allowedOrigins` call all of them.
 *
 * @param options - Credentials, server URL, origins, token lifetime, dev admin secret.
 * @returns The Hono app; serve it with `@hono/node-server` (see `server.ts`) or any runtime.
 * @throws {@link UnpodArgumentError} from `AccessToken` on a bad key, secret or ttl (checked
 *   once, here).
 */
export function createApp(options: CreateAppOptions): Hono {
  const { apiKey, apiSecret, serverUrl, tokenTtl, devAdminSecret } = options;
  const send = options.fetch ?? globalThis.fetch;
  // Fail at startup, not on the first request, when the key, secret or ttl is unusable.
  void new AccessToken({ apiKey, apiSecret, ttl: tokenTtl });

  const app = new Hono();
  app.use(
    "/api/*",
    cors({
      origin: options.allowedOrigins,
      allowMethods: ["GET", "POST", "OPTIONS"],
      allowHeaders: ["Content-Type"],
      exposeHeaders: ["X-Audio-Received-Bytes"],
      maxAge: 600,
    }),
  );

  app.get("/api/health", (c) => c.json({ ok: true }));

  app.get("/api/config", (c) => c.json({ serverUrl, devTools: devAdminSecret !== undefined }));

  const mint = async (c: Context) => {
    const { identity, room } = await currentUser(c);
    if (typeof identity !== "string" || !NAME.test(identity)) {
      return fail(c, 400, "identity must be 1-64 letters, digits, '_', '.' or '-'.");
    }
    if (typeof room !== "string" || !NAME.test(room)) {
      return fail(c, 400, "room must be 1-64 letters, digits, '_', '.' or '-'.");
    }
    // One token per participant and room, short-lived: the session keeps itself connected
    // with the fresh tokens the server pushes, and a new session asks here again.
    const token = await new AccessToken({ apiKey, apiSecret, identity, ttl: tokenTtl })
      .addGrant({
        roomJoin: true,
        room,
        canPublish: true,
        canSubscribe: true,
        canPublishData: true,
      })
      .toJwt();
    const { exp } = decodeToken(token).claims;
    c.header("Cache-Control", "no-store");
    return c.json({ token, serverUrl, identity, room, expiresAt: exp });
  };
  app.get("/api/token", mint);
  app.post("/api/token", mint);

  /**
   * Forwards one dev-tools request for the page's own session to the dev server's admin
   * route, with the admin secret (which never reaches the browser); `answer` turns the dev
   * server's response into the page's.
   */
  const devTool =
    (method: "GET" | "POST", route: string, answer: (res: Response) => Promise<Response>) =>
    async (c: Context) => {
      if (devAdminSecret === undefined) return fail(c, 404, "Dev tools are off.");
      const sid = c.req.query("sid");
      // One session at a time: the page may act on its own session, never on everyone's.
      if (sid === undefined || !SESSION_ID.test(sid)) return fail(c, 400, "sid is required.");
      try {
        const res = await send(`${adminBase(serverUrl)}${route}?sid=${encodeURIComponent(sid)}`, {
          method,
          headers: { "X-Dev-Admin": devAdminSecret },
          signal: AbortSignal.timeout(5_000),
        });
        return await answer(res);
      } catch (error) {
        return fail(
          c,
          502,
          `The dev server did not answer (${isUnpodError(error) ? error.code : "network"}).`,
        );
      }
    };

  // Drops the page's socket: the demo's "simulate network drop". The dev server's status
  // and body (204 on success), none of its headers.
  app.post(
    "/api/dev/drop",
    devTool("POST", "/__dev/rtc/drop", async (res) => {
      const body = res.status === 204 ? null : await res.text();
      return new Response(body, {
        status: res.status,
        headers: { "Content-Type": res.headers.get("content-type") ?? "application/json" },
      });
    }),
  );

  // What the dev server received from the page's microphone, as a WAV: the demo's "is my
  // mic getting through?" link, and what its end-to-end test listens to.
  app.get(
    "/api/dev/uplink",
    devTool("GET", "/__dev/rtc/audio", async (res) => {
      const received = res.headers.get("x-dev-audio-received-bytes");
      return new Response(await res.arrayBuffer(), {
        status: res.status,
        headers: {
          "Content-Type": res.headers.get("content-type") ?? "application/octet-stream",
          "Cache-Control": "no-store",
          ...(received !== null && { "X-Audio-Received-Bytes": received }),
        },
      });
    }),
  );

  app.notFound((c) => fail(c, 404, "Not found."));
  return app;
}
