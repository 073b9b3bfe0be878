// The `/__dev/*` admin routes (behind the X-Dev-Admin secret): real-time stats and sessions,
// the request log, socket drops and restarts, pushed frames, fault rules, and the voice
// agent's routes. What `server.rtc`, `server.faults` and `server.requests` do in-process, over
// HTTP for a page or another process.
import { UnpodArgumentError } from "@unpod/core";
import type { Hono } from "hono";
import type { FaultInjector } from "./faults.js";
import { constantTimeEqual } from "./internal/secure.js";
import type { DevServerRequest } from "./requestLog.js";
import { asObject, readJson } from "./rest/body.js";
import { fail, json, noContent } from "./rest/envelope.js";
import type { AppEnv } from "./rest/types.js";
import type { RtcHub } from "./rtc/hub.js";
import { mountVoiceAdmin } from "./rtc/voice/voiceRoutes.js";

/** Mounts the admin routes on the dev server's app. */
export function mountAdmin(
  app: Hono<AppEnv>,
  deps: {
    adminSecret: string;
    hub: RtcHub;
    faults: FaultInjector;
    requests: DevServerRequest[];
    maxBodySize: number;
  },
): void {
  const cors = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Headers": "X-Dev-Admin, Content-Type",
    "Access-Control-Allow-Methods": "GET, POST, DELETE, OPTIONS",
  };
  app.use("/__dev/*", async (c, next) => {
    if (c.req.method === "OPTIONS") return new Response(null, { status: 204, headers: cors });
    const given = c.req.header("x-dev-admin") ?? "";
    if (!constantTimeEqual(given, deps.adminSecret)) {
      const res = fail(401, "Invalid or missing X-Dev-Admin header.");
      for (const [k, v] of Object.entries(cors)) res.headers.set(k, v);
      return res;
    }
    await next();
    for (const [k, v] of Object.entries(cors)) c.res.headers.set(k, v);
  });
  const sidOf = (c: { req: { query(name: string): string | undefined } }) => c.req.query("sid");
  const guard = (fn: () => Response | Promise<Response>) => async () => {
    try {
      return await fn();
    } catch (error) {
      if (error instanceof UnpodArgumentError) {
        return error.option === "sessionId"
          ? fail(404, "Session not found.")
          : fail(400, error.message);
      }
      throw error;
    }
  };
  app.get("/__dev/rtc/stats", () =>
    json({ status_code: 200, message: "OK", data: deps.hub.control.stats() }, 200),
  );
  app.get("/__dev/rtc/sessions", () =>
    json({ status_code: 200, message: "OK", data: deps.hub.control.sessions() }, 200),
  );
  app.get("/__dev/requests", () =>
    json({ status_code: 200, message: "OK", data: deps.requests }, 200),
  );
  app.post("/__dev/rtc/drop", (c) =>
    guard(() => {
      const sid = sidOf(c);
      if (sid) deps.hub.control.dropSession(sid);
      else deps.hub.control.dropAll();
      return noContent();
    })(),
  );
  app.post("/__dev/rtc/restart", async () => {
    await deps.hub.restart();
    return noContent();
  });
  app.post("/__dev/rtc/push", async (c) => {
    const read = await readJson(c, deps.maxBodySize);
    if (read instanceof Response) return read;
    const body = asObject(read.body) ?? {};
    const count = body.count ?? 1;
    if (typeof body.text !== "string") return fail(400, "text: must be a string");
    if (!Number.isSafeInteger(count) || (count as number) < 1 || (count as number) > 1000) {
      return fail(400, "count: must be an integer between 1 and 1000");
    }
    const type = body.type === "user_turn" ? "user_turn" : "agent_reply";
    const sid = sidOf(c);
    const targets = sid ? [sid] : deps.hub.control.sessions().map((s) => s.sessionId);
    return guard(() => {
      for (const target of targets) {
        for (let i = 0; i < (count as number); i++) {
          const text = count === 1 ? (body.text as string) : `${body.text as string} ${i + 1}`;
          deps.hub.control.push(target, {
            type,
            turn_id: deps.hub.control.nextPushTurn(),
            text,
            final: body.final !== false,
          });
        }
      }
      return json(
        { status_code: 200, message: "OK", data: { pushed: targets.length * (count as number) } },
        200,
      );
    })();
  });
  app.post("/__dev/faults", async (c) => {
    const read = await readJson(c, deps.maxBodySize);
    if (read instanceof Response) return read;
    const body = asObject(read.body);
    if (!body) return fail(400, "rule: must be a JSON object");
    return guard(() => {
      deps.faults.set(body as never);
      return noContent();
    })();
  });
  app.delete("/__dev/faults", () => {
    deps.faults.clear();
    return noContent();
  });
  mountVoiceAdmin(app, deps);
}
