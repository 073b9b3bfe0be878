import { UnpodConnectionError } from "@unpod/core";
import { describe, expect, it } from "vitest";
import { createTokenCache, type TokenSource } from "../src/tokenSource.js";
import { FakeClock } from "./clock.js";
import { fakeToken } from "./tokens.js";

const never = new AbortController().signal;

function setup(source: TokenSource, o: { staleMargin?: number; token?: string } = {}) {
  const clock = new FakeClock(1_700_000_000_000);
  const cache = createTokenCache({
    source,
    token: o.token,
    fetch: () => {
      throw new Error("no fetch in these tests");
    },
    clock,
    staleMarginMs: (o.staleMargin ?? 30) * 1000,
    timeoutMs: 10_000,
  });
  return { clock, cache };
}

/** A source that hands out tokens valid `ttl` seconds from `clock`, counting calls. */
function counting(clockRef: { clock?: FakeClock }, ttl = 600) {
  const calls = { n: 0 };
  const source = async () => {
    calls.n += 1;
    const now = (clockRef.clock as FakeClock).now() / 1000;
    return fakeToken({ iat: now, exp: now + ttl, jti: String(calls.n) });
  };
  return { calls, source };
}

describe("token source", () => {
  it("is single-flight: concurrent callers share one fetch", async () => {
    const ref: { clock?: FakeClock } = {};
    const { calls, source } = counting(ref);
    const { clock, cache } = setup(source);
    ref.clock = clock;
    const [a, b, c] = await Promise.all([cache.get(never), cache.get(never), cache.get(never)]);
    expect(calls.n).toBe(1);
    expect(a).toBe(b);
    expect(b).toBe(c);
  });

  it("reuses a token until it is stale (a margin before exp), then fetches anew", async () => {
    const ref: { clock?: FakeClock } = {};
    const { calls, source } = counting(ref, 600);
    const { clock, cache } = setup(source, { staleMargin: 30 });
    ref.clock = clock;
    const first = await cache.get(never);
    clock.advance(569_000); // 31 s left: fresh
    expect(await cache.get(never)).toBe(first);
    expect(calls.n).toBe(1);
    clock.advance(2_000); // 29 s left: stale
    expect(await cache.get(never)).not.toBe(first);
    expect(calls.n).toBe(2);
  });

  it("caps the margin at a quarter of a short token's life", async () => {
    const ref: { clock?: FakeClock } = {};
    const { calls, source } = counting(ref, 40);
    const { clock, cache } = setup(source, { staleMargin: 30 });
    ref.clock = clock;
    await cache.get(never);
    clock.advance(29_000); // 11 s left > 10 s (a quarter of 40 s)
    await cache.get(never);
    expect(calls.n).toBe(1);
    clock.advance(2_000);
    await cache.get(never);
    expect(calls.n).toBe(2);
  });

  it("backs off after failures instead of hammering the source", async () => {
    let calls = 0;
    let fail = true;
    const ref: { clock?: FakeClock } = {};
    const { clock, cache } = setup(async () => {
      calls += 1;
      if (fail) throw new TypeError("backend down");
      const now = (ref.clock as FakeClock).now() / 1000;
      return fakeToken({ exp: now + 600 });
    });
    ref.clock = clock;
    const first = await cache.get(never).catch((e: unknown) => e);
    expect(first).toMatchObject({ name: "UnpodConnectionError", code: "network_error" });
    // Within the back-off: fails at once with the same error, no call.
    expect(await cache.get(never).catch((e: unknown) => e)).toBe(first);
    expect(calls).toBe(1);
    clock.advance(1000);
    await cache.get(never).catch(() => {});
    expect(calls).toBe(2);
    clock.advance(1000); // second back-off is 2 s
    await cache.get(never).catch(() => {});
    expect(calls).toBe(2);
    clock.advance(1000);
    fail = false;
    await expect(cache.get(never)).resolves.toMatch(/\./);
    expect(calls).toBe(3);
  });

  it("lets each caller abort on its own while the shared fetch goes on", async () => {
    let resolve!: (t: string) => void;
    const ref: { clock?: FakeClock } = {};
    const { clock, cache } = setup(() => new Promise<string>((r) => (resolve = r)));
    ref.clock = clock;
    const ctl = new AbortController();
    const aborted = cache.get(ctl.signal);
    const other = cache.get(never);
    ctl.abort();
    await expect(aborted).rejects.toMatchObject({ code: "aborted" });
    const token = fakeToken({ exp: clock.now() / 1000 + 600 });
    resolve(token);
    await expect(other).resolves.toBe(token);
  });

  it("times out a source that never answers", async () => {
    const { clock, cache } = setup(() => new Promise<string>(() => {}));
    const result = cache.get(never).catch((e: unknown) => e);
    clock.advance(10_000);
    expect(await result).toMatchObject({ code: "timeout" });
  });

  it("refuses an expired or malformed token from the source", async () => {
    const expired = setup(async () => fakeToken({ exp: 1 }));
    await expect(expired.cache.get(never)).rejects.toMatchObject({ code: "token_expired" });
    const garbage = setup(async () => "garbage");
    await expect(garbage.cache.get(never)).rejects.toMatchObject({ code: "invalid_token" });
    const none = setup(async () => undefined as never);
    await expect(none.cache.get(never)).rejects.toMatchObject({ code: "invalid_token" });
  });

  it("keeps the source's own SDK errors", async () => {
    const { cache } = setup(async () => {
      throw new UnpodConnectionError("timeout", "slow backend");
    });
    await expect(cache.get(never)).rejects.toMatchObject({ message: "slow backend" });
  });

  it("keeps the newest token offered (a pushed token_refreshed)", () => {
    const { cache } = setup(async () => "");
    const a = fakeToken({ exp: 2_000_000_000 });
    const b = fakeToken({ exp: 2_000_000_100 });
    cache.offer(b);
    cache.offer(a);
    expect(cache.latest()).toBe(b);
    expect(cache.exp()).toBe(2_000_000_100);
  });
});
