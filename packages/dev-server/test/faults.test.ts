import { isUnpodError, UnpodArgumentError } from "@unpod/core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { DevServer } from "../src/index.js";
import { api, mint, RtcClient, rtcUrl, start } from "./helpers.js";

describe("fault injection is off unless asked for, and only on loopback", () => {
  test("a default server refuses faults.set/clear and has no admin routes", async () => {
    const s = await start();
    try {
      expect(() => s.faults.set({ path: "/x", status: 500 })).toThrow(UnpodArgumentError);
      try {
        s.faults.clear();
      } catch (e) {
        expect(isUnpodError(e) && (e as UnpodArgumentError).option).toBe("faults");
      }
      const r = await fetch(`${s.url}/__dev/rtc/stats`, {
        headers: { "X-Dev-Admin": s.adminSecret },
      });
      expect(r.status).toBe(404);
    } finally {
      await s.close();
    }
  });
  test("faults: true is refused on a non-loopback host and under NODE_ENV=production", async () => {
    await expect(start({ faults: true, host: "0.0.0.0" })).rejects.toMatchObject({
      name: "UnpodArgumentError",
      option: "faults",
    });
    const env = process.env.NODE_ENV;
    process.env.NODE_ENV = "production";
    try {
      await expect(start({ faults: true })).rejects.toMatchObject({ option: "faults" });
    } finally {
      process.env.NODE_ENV = env;
    }
  });
  test("bad rules are refused, naming the field", async () => {
    const s = await start({ faults: true });
    try {
      expect(() => s.faults.set({ path: "no-slash", status: 500 })).toThrow(/rule\.path/);
      expect(() => s.faults.set({ path: "/x", status: 200 })).toThrow(/rule\.status/);
      expect(() => s.faults.set({ path: "/x", status: 500, drop: true })).toThrow(/at most one/);
      expect(() => s.faults.set({ path: "/x" })).toThrow(/does nothing/);
      expect(() => s.faults.set({ path: "/x", status: 500, times: 0 })).toThrow(/rule\.times/);
    } finally {
      await s.close();
    }
  });
});

describe("REST faults", () => {
  let s: DevServer;
  beforeAll(async () => {
    s = await start({ faults: true });
  });
  afterAll(() => s.close());

  test("503 twice, then the real answer", async () => {
    s.faults.set({ method: "GET", path: "/api/v2/platform/spaces/", status: 503, times: 2 });
    const a = await api(s, "spaces/");
    const b = await api(s, "spaces/");
    const c = await api(s, "spaces/");
    expect([a.status, b.status, c.status]).toEqual([503, 503, 200]);
    expect(a.json).toEqual({
      status_code: 503,
      message: "Service temporarily unavailable, try again later.",
    });
    // Only GET matched: a POST elsewhere was never affected.
    expect(s.requests.slice(-3).map((r) => r.status)).toEqual([503, 503, 200]);
  });
  test("429 with Retry-After", async () => {
    s.faults.set({ path: "/api/v2/platform/**", status: 429, retryAfter: 2, times: 1 });
    const r = await api(s, "agents/sales-assistant/tasks/");
    expect(r.status).toBe(429);
    expect(r.headers.get("retry-after")).toBe("2");
    expect(r.json).toEqual({
      status_code: 429,
      message: "Request was throttled. Expected available in 2 seconds.",
    });
    expect((await api(s, "agents/sales-assistant/tasks/")).status).toBe(200);
  });
  test("latency delays the real answer", async () => {
    s.faults.set({ path: "/api/v2/platform/organizations/", latency: 150, times: 1 });
    const t0 = performance.now();
    const r = await api(s, "organizations/");
    expect(r.status).toBe(200);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(140);
  });
  test("drop destroys the connection; the log records status 0", async () => {
    s.faults.set({ path: "/api/v2/platform/spaces/*/tasks/", drop: true, times: 1 });
    await expect(api(s, "spaces/ANY/tasks/")).rejects.toThrow(/fetch failed/);
    expect(s.requests.at(-1)).toMatchObject({
      method: "GET",
      path: "/api/v2/platform/spaces/ANY/tasks/",
      status: 0,
      replayed: false,
    });
    expect((await api(s, "spaces/ANY/tasks/")).status).toBe(206);
  });
  test("malformed: 200 with a body that does not parse", async () => {
    s.faults.set({
      method: "get",
      path: /^\/api\/v2\/platform\/telephony\//g,
      malformed: true,
      times: 1,
    });
    const r = await api(s, "telephony/numbers/");
    expect(r.status).toBe(200);
    expect(r.json).toBeUndefined();
    expect(() => JSON.parse(r.text)).toThrow();
    expect((await api(s, "telephony/numbers/")).json.status_code).toBe(200);
  });
  test("clear() removes every rule", async () => {
    s.faults.set({ path: "/api/v2/platform/organizations/", status: 500 });
    expect((await api(s, "organizations/")).status).toBe(500);
    s.faults.clear();
    expect((await api(s, "organizations/")).status).toBe(200);
  });
});

describe("real-time faults and the admin routes", () => {
  let s: DevServer;
  beforeAll(async () => {
    s = await start({ faults: true });
  });
  afterAll(() => s.close());
  const admin = (path: string, init: RequestInit = {}, secret?: string) =>
    fetch(`${s.url}${path}`, {
      ...init,
      headers: {
        "X-Dev-Admin": secret ?? s.adminSecret,
        "Content-Type": "application/json",
        ...init.headers,
      },
    });

  test("the upgrade can be refused with a status, or dropped", async () => {
    const token = await mint(s);
    s.faults.set({ path: "/v1/rtc", status: 503, retryAfter: 1, times: 1 });
    await expect(RtcClient.connect(rtcUrl(s, { access_token: token }))).rejects.toMatchObject({
      status: 503,
      body: { status_code: 503, message: expect.any(String) },
    });
    s.faults.set({ path: "/v1/rtc**", status: 429, times: 2 });
    await expect(RtcClient.connect(rtcUrl(s, { access_token: token }))).rejects.toMatchObject({
      status: 429,
      body: { status_code: 429, message: "Too many requests." },
      headers: { "retry-after": "1" },
    });
    const v = await fetch(`${s.url}/v1/rtc/validate?access_token=${token}`);
    expect(v.status).toBe(429);
    expect(await v.json()).toEqual({ status_code: 429, message: "Too many requests." });
    s.faults.set({ path: "/v1/rtc", drop: true, times: 1 });
    await expect(RtcClient.connect(rtcUrl(s, { access_token: token }))).rejects.toBeDefined();
    const c = await RtcClient.connect(rtcUrl(s, { access_token: token }));
    expect((await c.next()).type).toBe("joined");
    c.ws.terminate();
  });
  test("admin routes need X-Dev-Admin (compared in constant time)", async () => {
    expect((await admin("/__dev/rtc/stats", {}, "wrong")).status).toBe(401);
    const none = await fetch(`${s.url}/__dev/rtc/stats`);
    expect(none.status).toBe(401);
    expect(await none.json()).toEqual({
      status_code: 401,
      message: "Invalid or missing X-Dev-Admin header.",
    });
    const ok = await admin("/__dev/rtc/stats");
    expect(ok.status).toBe(200);
    expect((await ok.json()).data).toMatchObject({
      upgrades: expect.any(Number),
      sessions: expect.any(Number),
    });
    const pre = await fetch(`${s.url}/__dev/rtc/drop`, { method: "OPTIONS" });
    expect(pre.status).toBe(204);
    expect(pre.headers.get("access-control-allow-headers")).toMatch(/X-Dev-Admin/);
  });
  test("push and drop through the admin routes; the pushed frames are replayed on resume", async () => {
    const token = await mint(s, { identity: "admin-test" });
    const c = await RtcClient.connect(rtcUrl(s, { access_token: token }));
    const sid = (await c.next("joined")).session_id as string;
    const pushed = await admin(`/__dev/rtc/push?sid=${sid}`, {
      method: "POST",
      body: JSON.stringify({ text: "hi", count: 2 }),
    });
    expect(pushed.status).toBe(200);
    expect(await c.next()).toMatchObject({
      type: "agent_reply",
      seq: 2,
      text: "hi 1",
      final: true,
    });
    expect(await c.next()).toMatchObject({ type: "agent_reply", seq: 3, text: "hi 2" });
    expect((await admin(`/__dev/rtc/drop?sid=${sid}`, { method: "POST" })).status).toBe(204);
    expect((await c.closed).code).toBe(1006);
    expect((await admin("/__dev/rtc/drop?sid=SE_unknown", { method: "POST" })).status).toBe(404);
    const r = await RtcClient.connect(
      rtcUrl(s, { access_token: token, reconnect: 1, sid, last_seq: 2 }),
    );
    expect(await r.next()).toMatchObject({ type: "joined", resumed: true });
    expect(await r.next()).toMatchObject({ seq: 3, text: "hi 2" });
    r.ws.terminate();
  });
  test("faults can be set and cleared over HTTP", async () => {
    const set = await admin("/__dev/faults", {
      method: "POST",
      body: JSON.stringify({ path: "/api/v2/platform/organizations/", status: 502, times: 1 }),
    });
    expect(set.status).toBe(204);
    expect((await api(s, "organizations/")).status).toBe(502);
    const bad = await admin("/__dev/faults", {
      method: "POST",
      body: JSON.stringify({ path: "x" }),
    });
    expect(bad.status).toBe(400);
    await admin("/__dev/faults", {
      method: "POST",
      body: JSON.stringify({ path: "/api/v2/platform/organizations/", status: 500 }),
    });
    expect((await admin("/__dev/faults", { method: "DELETE" })).status).toBe(204);
    expect((await api(s, "organizations/")).status).toBe(200);
  });
  test("restart over HTTP closes sockets with 1012", async () => {
    const c = await RtcClient.connect(rtcUrl(s, { access_token: await mint(s) }));
    await c.next("joined");
    expect((await admin("/__dev/rtc/restart", { method: "POST" })).status).toBe(204);
    expect((await c.closed).code).toBe(1012);
  });
});
