import { AccessToken } from "@unpod/node";
import { currentUser } from "../../../lib/session";

/**
 * `GET /api/unpod-token` → `{"token": "…"}`: a short-lived access token for the signed-in
 * user, read by `<UnpodProvider tokenSource="/api/unpod-token">` on every new connection.
 * Same origin as the page, so the session cookie goes along and no CORS is needed.
 *
 * `AccessToken` reads `UNPOD_API_KEY` and `UNPOD_API_SECRET` from the server's environment;
 * this file runs only on the server, so they never reach a browser bundle.
 */
export async function GET(): Promise<Response> {
  const user = await currentUser();
  if (!user) {
    return Response.json(
      { error: "Not signed in (lib/session.ts is a development stub: replace it)." },
      { status: 401, headers: { "Cache-Control": "no-store" } },
    );
  }
  const token = await new AccessToken({ identity: user.id, name: user.name, ttl: "10m" })
    .addGrant({
      roomJoin: true,
      room: `support-${user.id}`,
      canPublishData: true, // text
      canPublish: true, // the microphone (voice)
    })
    .toJwt();
  return Response.json({ token }, { headers: { "Cache-Control": "no-store" } });
}
