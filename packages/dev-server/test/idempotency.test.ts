// Idempotency-Key on POST and PATCH: the first answer that took effect is replayed to a
// retry (Idempotent-Replayed: true), another request with the key is 422, one still
// running is 409; keys are per credential, expire, and are bounded. Counted in the store.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { DevServer } from "../src/index.js";
import { IdempotencyStore } from "../src/rest/idempotency.js";
import { api, FakeClock, start } from "./helpers.js";

const BRIDGES = "telephony/bridges/";
const bridgeCount = async (s: DevServer) => (await api(s, `${BRIDGES}?page_size=100`)).json.count;
const create = (s: DevServer, key: string | undefined, body: unknown, token?: string) =>
  api(s, BRIDGES, {
    method: "POST",
    body,
    token,
    headers: key === undefined ? {} : { "Idempotency-Key": key },
  });

describe("replay", () => {
  let s: DevServer;
  beforeAll(async () => {
    s = await start({ apiTokens: ["a".repeat(40), "b".repeat(40)] });
  });
  afterAll(() => s.close());

  test("the same key and body: the first answer again, flagged, and one bridge", async () => {
    const before = await bridgeCount(s);
    const first = await create(s, "k-same", { name: "Support" });
    const again = await create(s, "k-same", { name: "Support" });
    expect(first.status).toBe(201);
    expect(first.headers.get("idempotent-replayed")).toBeNull();
    expect(again.status).toBe(201);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(again.text).toBe(first.text);
    expect(await bridgeCount(s)).toBe(before + 1);
    expect(s.requests.slice(-3, -1).map((r) => [r.idempotencyKey, r.replayed])).toEqual([
      ["k-same", false],
      ["k-same", true],
    ]);
  });

  test("the same key with another body, path or scope is 422, and changes nothing", async () => {
    await create(s, "k-other", { name: "Sales" });
    const before = await bridgeCount(s);
    const body = await create(s, "k-other", { name: "Sales 2" });
    expect(body.status).toBe(422);
    expect(body.json.message).toMatch(/different request/);
    const path = await api(s, "telephony/provider-configurations/", {
      method: "POST",
      body: { name: "Sales" },
      headers: { "Idempotency-Key": "k-other" },
    });
    expect(path.status).toBe(422);
    const scope = await api(s, BRIDGES, {
      method: "POST",
      body: { name: "Sales" },
      product: "another-product",
      headers: { "Idempotency-Key": "k-other" },
    });
    expect(scope.status).toBe(422);
    expect(await bridgeCount(s)).toBe(before);
  });

  test("keys belong to the credential that sent them", async () => {
    const before = await bridgeCount(s);
    const mine = await create(s, "k-shared", { name: "Mine" }, "a".repeat(40));
    const theirs = await create(s, "k-shared", { name: "Mine" }, "b".repeat(40));
    expect(theirs.headers.get("idempotent-replayed")).toBeNull();
    expect(theirs.json.data.slug).not.toBe(mine.json.data.slug);
    expect(await bridgeCount(s)).toBe(before + 2);
    // An unknown token never sees a replay, only its 401.
    expect((await create(s, "k-shared", { name: "Mine" }, "c".repeat(40))).status).toBe(401);
  });

  test("a failed answer is not remembered: the key works for the corrected request", async () => {
    const bad = await create(s, "k-fix", { name: "" });
    expect(bad.status).toBe(400);
    const good = await create(s, "k-fix", { name: "Fixed" });
    expect(good.status).toBe(201);
    expect(good.headers.get("idempotent-replayed")).toBeNull();
  });

  test("PATCH too; GET ignores the header", async () => {
    const { slug } = (await create(s, undefined, { name: "P" })).json.data;
    const patch = () =>
      api(s, `${BRIDGES}${slug}/`, {
        method: "PATCH",
        body: { name: "Q" },
        headers: { "Idempotency-Key": "k-patch" },
      });
    expect((await patch()).headers.get("idempotent-replayed")).toBeNull();
    expect((await patch()).headers.get("idempotent-replayed")).toBe("true");
    const get = () => api(s, BRIDGES, { headers: { "Idempotency-Key": "k-get" } });
    expect((await get()).headers.get("idempotent-replayed")).toBeNull();
    expect((await get()).headers.get("idempotent-replayed")).toBeNull();
  });

  test("a key must be 1 to 255 characters", async () => {
    expect((await create(s, "x".repeat(256), { name: "Long" })).status).toBe(400);
    expect((await create(s, "", { name: "Empty" })).status).toBe(400);
    expect((await create(s, "x".repeat(255), { name: "Max" })).status).toBe(201);
  });

  test("reset() forgets every key", async () => {
    await create(s, "k-reset", { name: "R" });
    await s.reset();
    const after = await create(s, "k-reset", { name: "R" });
    expect(after.status).toBe(201);
    expect(after.headers.get("idempotent-replayed")).toBeNull();
  });
});

describe("bounds", () => {
  test("a key expires after the ttl, on the server's clock", async () => {
    const clock = new FakeClock();
    const s = await start({ clock, idempotency: { ttl: "1h" } });
    try {
      await create(s, "k-ttl", { name: "T" });
      clock.advance(3_599_000);
      expect((await create(s, "k-ttl", { name: "T" })).headers.get("idempotent-replayed")).toBe(
        "true",
      );
      clock.advance(1_000);
      expect(
        (await create(s, "k-ttl", { name: "T" })).headers.get("idempotent-replayed"),
      ).toBeNull();
    } finally {
      await s.close();
    }
  });

  test("at most maxKeys are kept: the oldest is forgotten first", async () => {
    const s = await start({ idempotency: { maxKeys: 2 } });
    try {
      for (const key of ["k1", "k2", "k3"]) await create(s, key, { name: key });
      const replayed = async (key: string) =>
        (await create(s, key, { name: key })).headers.get("idempotent-replayed");
      expect(await replayed("k3")).toBe("true");
      expect(await replayed("k1")).toBeNull(); // forgotten: created again (and k2 forgotten now)
      expect(await replayed("k3")).toBe("true");
    } finally {
      await s.close();
    }
  });

  test("idempotency: false ignores the header, as a server without it", async () => {
    const s = await start({ idempotency: false });
    try {
      const before = await bridgeCount(s);
      await create(s, "k-off", { name: "Off" });
      const again = await create(s, "k-off", { name: "Off" });
      expect(again.headers.get("idempotent-replayed")).toBeNull();
      expect(await bridgeCount(s)).toBe(before + 2);
    } finally {
      await s.close();
    }
  });

  test.each([
    [{ idempotency: { ttl: 0 } }, "idempotency.ttl"],
    [{ idempotency: { maxKeys: 0 } }, "idempotency.maxKeys"],
    [{ idempotency: true }, "idempotency"],
  ])("refuses %j", async (options, option) => {
    await expect(start(options as never)).rejects.toMatchObject({ option });
  });
});

describe("IdempotencyStore", () => {
  test("a retry while the first request still runs is 409; afterwards it is a replay", async () => {
    const store = new IdempotencyStore({
      ttlMs: 60_000,
      maxKeys: 10,
      clock: new FakeClock(),
      maxBodySize: 1024,
    });
    let finish: (response: Response) => void = () => {};
    let sent = 0;
    const send = () => {
      sent += 1;
      return new Promise<Response>((resolve) => {
        finish = resolve;
      });
    };
    const request = () =>
      new Request("http://127.0.0.1/api/v2/platform/x/", {
        method: "POST",
        headers: { "Idempotency-Key": "k", Authorization: "Token t" },
        body: "{}",
      });
    const first = store.handle(request(), send);
    await new Promise((resolve) => setImmediate(resolve));
    const during = await store.handle(request(), send);
    expect(during.status).toBe(409);
    finish(new Response('{"ok":1}', { status: 201 }));
    expect((await first).status).toBe(201);
    const after = await store.handle(request(), send);
    expect(after.headers.get("idempotent-replayed")).toBe("true");
    expect(await after.text()).toBe('{"ok":1}');
    expect(sent).toBe(1);
    expect(store.size).toBe(1);
  });

  test("a request whose handler throws frees its key", async () => {
    const store = new IdempotencyStore({
      ttlMs: 60_000,
      maxKeys: 10,
      clock: new FakeClock(),
      maxBodySize: 1024,
    });
    const request = new Request("http://127.0.0.1/x/", {
      method: "POST",
      headers: { "Idempotency-Key": "k" },
      body: "{}",
    });
    await expect(store.handle(request, () => Promise.reject(new Error("boom")))).rejects.toThrow(
      "boom",
    );
    expect(store.size).toBe(0);
  });
});
