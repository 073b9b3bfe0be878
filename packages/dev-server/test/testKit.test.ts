// The test kit: reset() back to a fresh start, createClient() and createToken() wired to the
// server's credentials, faults.add() with its remover (newest rule wins), afterHandler
// faults, and the request log's new fields.
import { decodeToken, isUnpodArgumentError } from "@unpod/core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { DevServer } from "../src/index.js";
import { api, FakeClock, RtcClient, rtcUrl, start } from "./helpers.js";

const P = "/api/v2/platform/";

describe("createClient and createToken", () => {
  let s: DevServer;
  beforeAll(async () => {
    s = await start();
  });
  afterAll(() => s.close());

  test("createClient() talks to this server with its credentials, and takes options", async () => {
    const page = await s.createClient().telephony.bridges.list();
    expect(page.data.length).toBeGreaterThan(0);
    expect(s.requests.at(-1)).toMatchObject({
      path: `${P}telephony/bridges/`,
      status: 200,
      scopeHeaders: ["Org-Handle", "Product-ID"],
      requestId: page.requestId,
    });
    const unscoped = s.createClient({ orgHandle: undefined });
    await expect(unscoped.spaces.list()).rejects.toMatchObject({ code: "missing_header" });
    expect(() => s.createClient({ timeout: -1 })).toThrow(
      expect.objectContaining({ option: "timeout" }),
    );
  });

  test("createToken() joins the room with text and voice by default; grant changes it", async () => {
    const token = await s.createToken({ identity: "alice", room: "support", name: "Alice" });
    expect(decodeToken(token).claims).toMatchObject({
      iss: s.credentials.apiKey,
      sub: "alice",
      name: "Alice",
      video: {
        room: "support",
        roomJoin: true,
        canPublish: true,
        canSubscribe: true,
        canPublishData: true,
      },
    });
    const c = await RtcClient.connect(rtcUrl(s, { access_token: token }));
    expect(await c.next("joined")).toMatchObject({
      room: "support",
      participant: { identity: "alice" },
    });
    c.ws.terminate();

    const mute = await s.createToken({
      identity: "bob",
      room: "support",
      grant: { canPublishData: false },
    });
    const m = await RtcClient.connect(rtcUrl(s, { access_token: mute }));
    await m.next("joined");
    m.send({ type: "user_text", seq: 1, text: "hi" });
    expect(await m.next("error")).toMatchObject({ code: "permission_denied" });
    m.ws.terminate();

    const refused = await s.createToken({
      identity: "eve",
      room: "support",
      grant: { roomJoin: false },
    });
    await expect(RtcClient.connect(rtcUrl(s, { access_token: refused }))).rejects.toMatchObject({
      status: 403,
    });
  });

  test("createToken() names a bad option", async () => {
    for (const [options, option] of [
      [{ identity: "a", room: "" }, "room"],
      [{ identity: "", room: "r" }, "identity"],
      [{ identity: "a", room: "r", grant: { canPublsh: true } }, "grant.canPublsh"],
      [{ identity: "a", room: "r", ttl: "forever" }, "ttl"],
    ] as const) {
      const error = await s.createToken(options as never).catch((e: unknown) => e);
      expect(isUnpodArgumentError(error) && error.option).toBe(option);
    }
  });

  test("createToken() dates the token by the server's clock", async () => {
    const clock = new FakeClock(Date.UTC(2030, 0, 1));
    const timed = await start({ clock });
    try {
      const { claims } = decodeToken(
        await timed.createToken({ identity: "a", room: "r", ttl: "10m" }),
      );
      expect(claims.nbf).toBe(Date.UTC(2030, 0, 1) / 1000);
      expect(claims.exp).toBe(Date.UTC(2030, 0, 1) / 1000 + 600);
    } finally {
      await timed.close();
    }
  });
});

describe("reset()", () => {
  test("puts back the fixtures, the log, the faults, the counters, and ends every session", async () => {
    const s = await start({ faults: true });
    try {
      const client = s.createClient();
      const initial = (await client.telephony.bridges.list({ pageSize: 100 })).data;
      const created = await client.telephony.bridges.create({ name: "Temp" });
      await client.telephony.bridges.delete(initial[0]?.slug as string);
      s.faults.add({ path: `${P}agents/`, status: 503 });
      const c = await RtcClient.connect(
        rtcUrl(s, { access_token: await s.createToken({ identity: "a", room: "r" }) }),
      );
      await c.next("joined");
      expect(s.rtc.stats().upgrades).toBe(1);

      await s.reset();

      expect(await c.next("leave")).toMatchObject({ reason: "session_ended" });
      expect(await c.closed).toMatchObject({ code: 1000 });
      expect(s.rtc.sessions()).toEqual([]);
      expect(s.rtc.stats()).toMatchObject({ upgrades: 0, sessions: 0, activeSockets: 0 });
      expect(s.requests).toEqual([]);
      const after = (await client.telephony.bridges.list({ pageSize: 100 })).data;
      expect(after).toEqual(initial);
      expect(after.map((b) => b.slug)).not.toContain(created.slug);
      expect((await api(s, "agents/")).status).toBe(200); // the fault is gone
      expect(s.requests.map((r) => r.path)).toEqual([`${P}telephony/bridges/`, `${P}agents/`]);
      // New ids continue from the fixtures', as on a fresh start.
      const fresh = await start();
      try {
        const again = await client.telephony.bridges.create({ name: "Temp" });
        const first = await fresh.createClient().telephony.bridges.create({ name: "Temp" });
        expect(again.id).toBe(first.id);
      } finally {
        await fresh.close();
      }
    } finally {
      await s.close();
    }
  });

  test("works without faults: true, and a reset server still serves sessions", async () => {
    const s = await start();
    try {
      await s.reset();
      const c = await RtcClient.connect(
        rtcUrl(s, { access_token: await s.createToken({ identity: "a", room: "r" }) }),
      );
      await c.next("joined");
      c.ws.terminate();
    } finally {
      await s.close();
    }
  });
});

describe("faults.add", () => {
  let s: DevServer;
  beforeAll(async () => {
    s = await start({ faults: true });
  });
  afterAll(() => s.close());

  test("the newest matching rule wins; its remover takes it back out", async () => {
    s.faults.add({ path: `${P}**`, status: 503 });
    const remove = s.faults.add({ path: `${P}agents/`, status: 404 });
    expect((await api(s, "agents/")).status).toBe(404);
    expect((await api(s, "spaces/")).status).toBe(503);
    remove();
    remove(); // a second call does nothing
    expect((await api(s, "agents/")).status).toBe(503);
    s.faults.clear();
    expect((await api(s, "agents/")).status).toBe(200);
  });

  test("set() (deprecated) keeps its order: oldest first, after every add() rule", async () => {
    s.faults.set({ path: `${P}agents/`, status: 502, times: 1 });
    s.faults.set({ path: `${P}agents/`, status: 504, times: 1 });
    s.faults.add({ path: `${P}agents/`, status: 500, times: 1 });
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await api(s, "agents/")).status);
    expect(statuses).toEqual([500, 502, 504, 200]);
  });

  test("rules are bounded", () => {
    const removers = Array.from({ length: 1000 }, () => s.faults.add({ path: "/x", status: 500 }));
    expect(() => s.faults.add({ path: "/x", status: 500 })).toThrow(
      expect.objectContaining({ option: "rule" }),
    );
    for (const remove of removers) remove();
    expect(() => s.faults.add({ path: "/x", status: 500 })()).not.toThrow();
  });

  test("afterHandler: the POST takes effect, its answer is replaced or lost", async () => {
    const count = async () => (await api(s, "telephony/bridges/")).json.count;
    const before = await count();
    s.faults.add({
      method: "POST",
      path: `${P}telephony/bridges/`,
      status: 503,
      afterHandler: true,
      times: 1,
    });
    const replaced = await api(s, "telephony/bridges/", { method: "POST", body: { name: "A" } });
    expect(replaced.status).toBe(503);
    expect(replaced.json).toEqual({
      status_code: 503,
      message: "Service temporarily unavailable, try again later.",
    });
    expect(await count()).toBe(before + 1);
    s.faults.add({
      method: "POST",
      path: `${P}telephony/bridges/`,
      drop: true,
      afterHandler: true,
      times: 1,
    });
    await expect(
      api(s, "telephony/bridges/", { method: "POST", body: { name: "B" } }),
    ).rejects.toThrow(/fetch failed/);
    expect(s.requests.at(-1)).toMatchObject({ method: "POST", status: 0 });
    expect(await count()).toBe(before + 2);
    expect(() => s.faults.add({ path: "/x", status: 500, afterHandler: "yes" as never })).toThrow(
      expect.objectContaining({ option: "rule.afterHandler" }),
    );
  });
});
