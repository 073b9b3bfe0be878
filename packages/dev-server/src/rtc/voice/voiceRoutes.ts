import { UnpodArgumentError } from "@unpod/core";
import type { Hono } from "hono";
import { readJson } from "../../rest/body.js";
import { fail, json } from "../../rest/envelope.js";
import type { AppEnv } from "../../rest/types.js";
import type { RtcHub } from "../hub.js";
import type { SayRequest } from "./voiceControl.js";

/**
 * The voice admin routes, mounted with the other `/__dev/*` routes (so only with
 * `faults: true`, and behind the `X-Dev-Admin` check):
 *
 * - `GET /__dev/rtc/audio?sid=…` → `audio/wav`: the uplink so far (input rate, mono, PCM16),
 *   with `X-Dev-Audio-Received-Bytes` and `X-Dev-Audio-Dropped-Bytes`;
 * - `POST /__dev/rtc/say?sid=…` with `{"text"?, "tone_hz"?, "duration_ms"?}` →
 *   `{"data": {"turn_id": "say-N"}}`;
 * - `POST /__dev/rtc/interrupt?sid=…` → `{"data": {"turn_id": "…" | null}}`.
 *
 * Answers: 400 for a missing `sid` or a bad body field (the message names it), 404 for an
 * unknown session, 409 for a session without audio (or, for `say`, a full speech queue).
 */
export function mountVoiceAdmin(
  app: Hono<AppEnv>,
  deps: { hub: RtcHub; maxBodySize: number },
): void {
  const withSession = (sid: string | undefined, fn: (sid: string) => Response): Response => {
    if (!sid) return fail(400, "sid: required (the session id)");
    try {
      return fn(sid);
    } catch (error) {
      if (!(error instanceof UnpodArgumentError)) throw error;
      if (error.option !== "sessionId") return fail(400, error.message);
      const live = deps.hub.control.sessions().some((s) => s.sessionId === sid);
      return live ? fail(409, error.message) : fail(404, "Session not found.");
    }
  };

  app.get("/__dev/rtc/audio", (c) =>
    withSession(c.req.query("sid"), (sid) => {
      const audio = deps.hub.control.audio(sid);
      return new Response(audio.wav, {
        status: 200,
        headers: {
          "Content-Type": "audio/wav",
          "X-Dev-Audio-Received-Bytes": String(audio.receivedBytes),
          "X-Dev-Audio-Dropped-Bytes": String(audio.droppedBytes),
          "Access-Control-Expose-Headers": "X-Dev-Audio-Received-Bytes, X-Dev-Audio-Dropped-Bytes",
        },
      });
    }),
  );
  app.post("/__dev/rtc/say", async (c) => {
    const read = await readJson(c, deps.maxBodySize);
    if (read instanceof Response) return read;
    return withSession(c.req.query("sid"), (sid) => {
      const turnId = deps.hub.control.say(sid, read.body as SayRequest);
      return json({ status_code: 200, message: "OK", data: { turn_id: turnId } }, 200);
    });
  });
  app.post("/__dev/rtc/interrupt", (c) =>
    withSession(c.req.query("sid"), (sid) => {
      const turnId = deps.hub.control.interrupt(sid) ?? null;
      return json({ status_code: 200, message: "OK", data: { turn_id: turnId } }, 200);
    }),
  );
}
