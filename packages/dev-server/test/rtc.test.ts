import { createHmac } from "node:crypto";
import { decodeToken } from "@unpod/core";
import { TokenVerifier } from "@unpod/node";
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import type { DevServer } from "../src/index.js";
import {
  FakeClock,
  type Frame,
  mint,
  RtcClient,
  rtcUrl,
  signRaw,
  start,
  validate,
  waitFor,
} from "./helpers.js";

let server: DevServer;
let clock: FakeClock;
const open: RtcClient[] = [];
beforeAll(async () => {
  clock = new FakeClock();
  server = await start({ clock });
});
afterAll(() => server.close());
afterEach(() => {
  for (const c of open.splice(0)) c.ws.terminate();
});

async function connect(params: Record<string, string | number>): Promise<RtcClient> {
  const c = await RtcClient.connect(rtcUrl(server, params));
  open.push(c);
  return c;
}

async function refused(params: Record<string, string | number>) {
  try {
    const c = await RtcClient.connect(rtcUrl(server, params));
    c.ws.terminate();
  } catch (e) {
    return e as { status: number; body: unknown };
  }
  throw new Error("upgrade was accepted");
}

/**
 * Both the upgrade and the validate endpoint give exactly this refusal: PROTOCOL.md's status
 * and message, the reason code, and a hint (matched when given); returns the hint.
 */
async function expectRefusal(
  params: Record<string, string | number>,
  status: number,
  message: string,
  reason: string,
  hint: RegExp = /\S/,
): Promise<string> {
  const r = await refused(params);
  expect(r.status).toBe(status);
  const expected = { status_code: status, message, reason, hint: expect.stringMatching(hint) };
  expect(r.body).toEqual(expected);
  const v = await validate(server, params);
  expect(v.status).toBe(status);
  expect(v.json).toEqual(r.body);
  return (r.body as { hint: string }).hint;
}

const now = () => clock.now();

describe("joining", () => {
  test("joined is the first frame, with the protocol's fields", async () => {
    const token = await mint(server, { identity: "ada", name: "Ada", room: "support", now: now() });
    const c = await connect({ access_token: token });
    const joined = await c.next();
    expect(joined).toEqual({
      type: "joined",
      seq: 1,
      session_id: expect.stringMatching(/^SE_[0-9a-f]{32}$/),
      room: "support",
      participant: { identity: "ada", name: "Ada" },
      resumed: false,
      client_seq: 0,
      resume_window_s: 30,
      server_time: now(),
    });
    expect(server.rtc.sessions()).toContainEqual({
      sessionId: joined.session_id,
      identity: "ada",
      room: "support",
      connected: true,
      lastSeq: 1,
    });
  });
  test("validate answers 200 OK for a token that would be accepted", async () => {
    const token = await mint(server, { now: now() });
    expect(await validate(server, { access_token: token })).toEqual({
      status: 200,
      json: { status_code: 200, message: "OK" },
    });
  });
  test("the echo agent answers user_text; ping gets pong without seq", async () => {
    const c = await connect({ access_token: await mint(server, { now: now() }) });
    await c.next("joined");
    c.send({ type: "user_text", seq: 1, text: "hello" });
    expect(await c.next()).toEqual({
      type: "user_turn",
      seq: 2,
      turn_id: "t1",
      text: "hello",
      final: true,
    });
    expect(await c.next()).toEqual({
      type: "agent_reply",
      seq: 3,
      turn_id: "t1",
      text: "Echo: hello",
      final: true,
    });
    c.send({ type: "ping", t: 12345 });
    expect(await c.next()).toEqual({ type: "pong", t: 12345 });
  });
});

describe("refusals before the upgrade (and /v1/rtc/validate says the same)", () => {
  test("expired token on a new connection → 403 Token has expired.", async () => {
    const issued = now() - 3600_000;
    const token = await mint(server, { ttl: 60, now: issued });
    const expiredAt = new Date(Math.floor(issued / 1000) * 1000 + 60_000).toISOString();
    const hint = await expectRefusal({ access_token: token }, 403, "Token has expired.", "expired");
    expect(hint).toContain(`expired at ${expiredAt}`);
    expect(hint).toMatch(/fresh token/);
  });
  test("within the clock tolerance an expired token is still accepted", async () => {
    const token = await mint(server, { ttl: 60, now: now() - 65_000 });
    const c = await connect({ access_token: token });
    expect((await c.next()).type).toBe("joined");
  });
  test("malformed requests → 400, each with its reason", async () => {
    const token = await mint(server, { now: now() });
    const M = "Malformed request.";
    await expectRefusal({}, 400, M, "missing_token", /access_token=<jwt>/);
    await expectRefusal({ access_token: "" }, 400, M, "missing_token");
    await expectRefusal({ access_token: token, reconnect: 1 }, 400, M, "bad_sid", /session_id/);
    await expectRefusal({ access_token: token, reconnect: 1, sid: "bad sid!" }, 400, M, "bad_sid");
    await expectRefusal(
      { access_token: token, reconnect: 1, sid: "SE_x", last_seq: -1 },
      400,
      M,
      "bad_last_seq",
      /non-negative integer/,
    );
    await expectRefusal(
      { access_token: token, reconnect: "maybe" },
      400,
      M,
      "bad_reconnect",
      /1 or true/,
    );
  });
  test("a bad token → 401 Invalid token., with the reason and what to do", async () => {
    const { apiKey, apiSecret } = server.credentials;
    const exp = Math.floor(now() / 1000) + 600;
    const claims = { iss: apiKey, sub: "u", exp, video: { roomJoin: true, room: "r" } };
    const I = "Invalid token.";

    const forged = await signRaw("x".repeat(40), claims);
    const badSignature = await expectRefusal({ access_token: forged }, 401, I, "bad_signature");
    expect(badSignature).toContain(JSON.stringify(apiKey));
    expect(badSignature).toMatch(/UNPOD_API_SECRET/);

    await expectRefusal({ access_token: "not.a.jwt" }, 401, I, "malformed", /compact JWT/);
    const [h, p] = forged.split(".");
    await expectRefusal({ access_token: `${h}.${p}.` }, 401, I, "bad_signature");
    await expectRefusal({ access_token: `${h}.${p}` }, 401, I, "malformed");
    await expectRefusal({ access_token: "x".repeat(9000) }, 401, I, "too_large", /8192/);
    await expectRefusal(
      { access_token: await signRaw(apiSecret, claims, "HS512") },
      401,
      I,
      "bad_algorithm",
      /HS256/,
    );
    await expectRefusal(
      { access_token: await signRaw(apiSecret, { ...claims, exp: "soon" }) },
      401,
      I,
      "bad_claims",
      /"exp" claim is of the wrong type/,
    );
    await expectRefusal(
      { access_token: await signRaw(apiSecret, { ...claims, iss: undefined }) },
      401,
      I,
      "bad_claims",
      /"iss" claim is missing/,
    );

    // A header field no verifier may act on (a key URL), correctly signed.
    const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString("base64url");
    const unsigned = `${b64({ alg: "HS256", x5u: "https://example.com/k" })}.${b64(claims)}`;
    const mac = createHmac("sha256", apiSecret).update(unsigned).digest("base64url");
    await expectRefusal(
      { access_token: `${unsigned}.${mac}` },
      401,
      I,
      "bad_header",
      /"x5u" is not accepted/,
    );

    const future = await signRaw(apiSecret, { ...claims, nbf: exp - 60 });
    const notYet = await expectRefusal({ access_token: future }, 401, I, "not_yet_valid");
    expect(notYet).toContain(new Date((exp - 60) * 1000).toISOString());
    expect(notYet).toMatch(/clock/);
  });
  test("a token signed by a key the dev server does not know names the key, never a secret", async () => {
    const { apiKey, apiSecret } = server.credentials;
    const exp = Math.floor(now() / 1000) + 600;
    // The secret the backend used: the dev server does not know it, and must not echo it.
    const theirSecret = "their-secret-0123456789abcdefghijklmnop";
    const token = await signRaw(theirSecret, {
      iss: "APIfromLastRestart",
      sub: "u",
      exp,
      video: { roomJoin: true, room: "r" },
    });
    const hint = await expectRefusal({ access_token: token }, 401, "Invalid token.", "unknown_key");
    expect(hint).toContain('API key "APIfromLastRestart"');
    expect(hint).toMatch(/new credentials on every start/);
    expect(hint).toMatch(/UNPOD_API_KEY and UNPOD_API_SECRET/);
    for (const secret of [theirSecret, apiSecret]) expect(hint).not.toContain(secret);
    // The dev server's own key is not the one to name: the token's is.
    expect(hint).not.toContain(apiKey);

    // A huge iss is cut, not echoed whole.
    const long = await signRaw(theirSecret, {
      iss: `API${"k".repeat(500)}`,
      sub: "u",
      exp,
      video: { roomJoin: true, room: "r" },
    });
    const cut = await expectRefusal({ access_token: long }, 401, "Invalid token.", "unknown_key");
    expect(cut).toContain(`"API${"k".repeat(61)}…"`);
    expect(cut.length).toBeLessThan(500);
  });
  test("a grant that does not allow joining → 403 Permission denied.", async () => {
    const exp = Math.floor(now() / 1000) + 600;
    const base = { iss: server.credentials.apiKey, sub: "u", exp };
    const sign = (c: Record<string, unknown>) =>
      signRaw(server.credentials.apiSecret, { ...base, ...c });
    const P = "Permission denied.";
    await expectRefusal(
      { access_token: await sign({ video: { roomJoin: false, room: "r" } }) },
      403,
      P,
      "no_room_join",
      /roomJoin: true/,
    );
    await expectRefusal(
      { access_token: await sign({ video: { roomJoin: true } }) },
      403,
      P,
      "no_room",
      /names no room/,
    );
    await expectRefusal({ access_token: await sign({}) }, 403, P, "no_room_join");
    await expectRefusal(
      { access_token: await sign({ sub: undefined, video: { roomJoin: true, room: "r" } }) },
      403,
      P,
      "no_identity",
      /identity/,
    );
  });
  test("resume of an unknown session, or with another identity → 404 Session not found.", async () => {
    const token = await mint(server, { identity: "bob", now: now() });
    const N = "Session not found.";
    await expectRefusal(
      { access_token: token, reconnect: 1, sid: "SE_nope" },
      404,
      N,
      "session_not_found",
      /start a new session/,
    );
    const c = await connect({ access_token: token });
    const sid = (await c.next("joined")).session_id as string;
    const eve = await mint(server, { identity: "eve", now: now() });
    await expectRefusal({ access_token: eve, reconnect: 1, sid }, 404, N, "session_not_found");
    const otherRoom = await mint(server, { identity: "bob", room: "elsewhere", now: now() });
    await expectRefusal(
      { access_token: otherRoom, reconnect: 1, sid },
      404,
      N,
      "session_not_found",
    );
    // A last_seq the server never sent is malformed.
    await expectRefusal(
      { access_token: token, reconnect: 1, sid, last_seq: 99 },
      400,
      "Malformed request.",
      "last_seq_ahead",
      /highest server seq/,
    );
  });
  test("a path other than /v1/rtc is not upgraded; a plain GET of /v1/rtc is 426", async () => {
    const r = await new Promise<{ status: number }>((resolve, reject) => {
      RtcClient.connect(`${server.rtcUrl}/v1/other?access_token=x`).then(
        () => reject(new Error("accepted")),
        resolve,
      );
    });
    expect(r.status).toBe(404);
    const plain = await fetch(`${server.url}/v1/rtc`);
    expect(plain.status).toBe(426);
  });
  test("the counters move", async () => {
    const before = server.rtc.stats();
    await refused({});
    await validate(server, {});
    const c = await connect({ access_token: await mint(server, { now: now() }) });
    await c.next("joined");
    const after = server.rtc.stats();
    expect(after.refused).toBe(before.refused + 1);
    expect(after.validates).toBe(before.validates + 1);
    expect(after.upgrades).toBe(before.upgrades + 1);
    expect(after.activeSockets).toBeGreaterThanOrEqual(1);
  });
});

/** Connects, says one thing, and returns the session id and the frames so far. */
async function session(opts: { identity?: string; ttl?: number } = {}) {
  const token = await mint(server, {
    identity: opts.identity ?? "carol",
    ttl: opts.ttl ?? 3600,
    now: now(),
  });
  const c = await connect({ access_token: token });
  const joined = await c.next("joined");
  return { c, token, sid: joined.session_id as string };
}

describe("resume", () => {
  test("reconnect after the token expired is accepted (expiry only matters for the first connection)", async () => {
    const s = await startWith({ idleTimeout: 3600 });
    try {
      const token = await mint(s.server, { identity: "dan", ttl: 60, now: s.clock.now() });
      const c = await RtcClient.connect(rtcUrl(s.server, { access_token: token }));
      const sid = (await c.next("joined")).session_id as string;
      s.clock.advance(100_000); // the token expired 40 s ago (tolerance 10 s)
      s.server.rtc.dropSession(sid);
      await c.closed;
      s.clock.advance(5_000);
      // A new session with this token is refused, a resume is not.
      expect((await validate(s.server, { access_token: token })).status).toBe(403);
      expect((await validate(s.server, { access_token: token, reconnect: 1, sid })).json).toEqual({
        status_code: 200,
        message: "OK",
      });
      const again = await RtcClient.connect(
        rtcUrl(s.server, { access_token: token, reconnect: 1, sid, last_seq: 1 }),
      );
      const joined = await again.next("joined");
      expect(joined).toMatchObject({ session_id: sid, resumed: true });
      again.ws.terminate();
    } finally {
      await s.server.close();
    }
  });
  test("replays every frame after last_seq, in order, once; a resent client frame is processed once", async () => {
    const { c, token, sid } = await session();
    c.send({ type: "user_text", seq: 1, text: "one" });
    await c.next("agent_reply"); // seq 3
    server.rtc.dropSession(sid);
    expect((await c.closed).code).toBe(1006);
    server.rtc.push(sid, { type: "agent_reply", turn_id: "p1", text: "while away", final: true });
    server.rtc.push(sid, { type: "agent_reply", turn_id: "p2", text: "still away", final: true });
    expect(server.rtc.sessions().find((x) => x.sessionId === sid)).toMatchObject({
      connected: false,
      lastSeq: 5,
    });

    // The client had processed only up to seq 1 (joined) before the drop.
    const r = await connect({ access_token: token, reconnect: 1, sid, last_seq: 1 });
    const joined = await r.next();
    expect(joined).toMatchObject({ type: "joined", session_id: sid, resumed: true, client_seq: 1 });
    expect(joined.seq).toBe(6);
    const replayed = [await r.next(), await r.next(), await r.next(), await r.next()];
    expect(replayed.map((f) => [f.seq, f.type, f.text])).toEqual([
      [2, "user_turn", "one"],
      [3, "agent_reply", "Echo: one"],
      [4, "agent_reply", "while away"],
      [5, "agent_reply", "still away"],
    ]);
    // The client resends seq 1 (it never saw it confirmed): ignored. Then seq 2: answered.
    r.send({ type: "user_text", seq: 1, text: "one" });
    r.send({ type: "ping", t: 1 });
    expect(await r.next()).toEqual({ type: "pong", t: 1 });
    r.send({ type: "user_text", seq: 2, text: "two" });
    expect(await r.next()).toMatchObject({ type: "user_turn", seq: 7, turn_id: "t2" });
    expect(await r.next()).toMatchObject({ type: "agent_reply", seq: 8, text: "Echo: two" });
    // Across both sockets a seq always names the same frame (a replay is byte-identical), and
    // a client that drops what it has processed sees every frame exactly once.
    const bySeq = new Map<number, string>();
    for (const f of [...c.frames, ...r.frames]) {
      if (f.seq === undefined || f.type === "joined") continue;
      const text = JSON.stringify(f);
      expect(bySeq.get(f.seq) ?? text).toBe(text);
      bySeq.set(f.seq, text);
    }
    const seen = new Set<number>([1]); // processed before the drop: joined only
    const delivered = r.frames.filter(
      (f) => f.seq !== undefined && f.type !== "joined" && !seen.has(f.seq),
    );
    expect(delivered.map((f) => f.seq)).toEqual([2, 3, 4, 5, 7, 8]);
  });
  test("ack trims the buffer: acknowledged frames are not replayed", async () => {
    const { c, token, sid } = await session();
    c.send({ type: "user_text", seq: 1, text: "a" });
    await c.next("agent_reply"); // 2, 3
    c.send({ type: "ack", seq: 3 });
    c.send({ type: "ping", t: 0 });
    await c.next("pong"); // the ack has been processed
    server.rtc.push(sid, { type: "user_turn", turn_id: "x", text: "after ack", final: false });
    server.rtc.dropSession(sid);
    await c.closed;
    const r = await connect({ access_token: token, reconnect: 1, sid, last_seq: 0 });
    await r.next("joined");
    const f = await r.next();
    expect(f).toMatchObject({ seq: 4, text: "after ack" });
  });
  test("the server acknowledges client frames (v1.1 ack): after 32 at once, else 250 ms after the first", async () => {
    const { c } = await session();
    c.send({ type: "user_text", seq: 1, text: "one" });
    await c.next("agent_reply");
    c.send({ type: "ping", t: 1 });
    await c.next("pong"); // nothing acknowledged yet: the 250 ms have not passed
    expect(c.frames.some((f) => f.type === "ack")).toBe(false);
    clock.advance(250);
    expect(await c.next("ack")).toEqual({ type: "ack", client_seq: 1 }); // no seq: never replayed
    for (let seq = 2; seq <= 33; seq++) c.send({ type: "user_text", seq, text: `t${seq}` });
    // 32 more frames: acknowledged at once, without waiting for the clock.
    expect(await c.next("ack")).toEqual({ type: "ack", client_seq: 33 });
  });
  test("a resume from before frames dropped from the replay buffer is refused (404), never silently lossy", async () => {
    const { c, token, sid } = await session();
    c.ws.terminate();
    await c.closed;
    await waitFor(() => server.rtc.sessions().some((x) => x.sessionId === sid && !x.connected));
    // 12 MB of replies while the client is away: past the 8 MiB byte cap of the buffer.
    const text = "x".repeat(60_000);
    for (let i = 0; i < 200; i++) {
      server.rtc.push(sid, { type: "agent_reply", turn_id: `big${i}`, text, final: true });
    }
    await expectRefusal(
      { access_token: token, reconnect: 1, sid, last_seq: 1 },
      404,
      "Session not found.",
      "replay_lost",
      /dropped from the session's replay buffer/,
    );
    // A client that had seen everything up to the last dropped frame could still resume.
    const lastSeq = server.rtc.sessions().find((x) => x.sessionId === sid)?.lastSeq as number;
    const kept = Math.floor((8 * 1024 * 1024) / 60_100);
    const r = await connect({ access_token: token, reconnect: 1, sid, last_seq: lastSeq - kept });
    expect(await r.next()).toMatchObject({ type: "joined", resumed: true });
    expect((await r.next()).seq).toBe(lastSeq - kept + 1);
  });
  test("the replay buffer is capped at 10,000 frames too", async () => {
    const { c, token, sid } = await session();
    c.ws.terminate();
    await c.closed;
    await waitFor(() => server.rtc.sessions().some((x) => x.sessionId === sid && !x.connected));
    for (let i = 0; i < 10_001; i++) {
      server.rtc.push(sid, { type: "agent_reply", turn_id: `n${i}`, text: "n", final: true });
    }
    await expectRefusal(
      { access_token: token, reconnect: 1, sid, last_seq: 1 },
      404,
      "Session not found.",
      "replay_lost",
    );
    const r = await connect({ access_token: token, reconnect: 1, sid, last_seq: 2 });
    await r.next("joined");
    expect((await r.next()).seq).toBe(3);
  });
  test("the resume window: 404 once it has passed", async () => {
    const { c, token, sid } = await session();
    c.ws.terminate();
    await c.closed;
    await waitFor(() => server.rtc.sessions().some((x) => x.sessionId === sid && !x.connected));
    clock.advance(29_000);
    expect((await validate(server, { access_token: token, reconnect: 1, sid })).status).toBe(200);
    clock.advance(2_000);
    await expectRefusal(
      { access_token: token, reconnect: 1, sid },
      404,
      "Session not found.",
      "session_not_found",
    );
    expect(server.rtc.sessions().some((x) => x.sessionId === sid)).toBe(false);
  });
  test("a resume while the old socket is open replaces it: leave {replaced} and 4009", async () => {
    const { c, token, sid } = await session();
    const r = await connect({ access_token: token, reconnect: 1, sid, last_seq: 1 });
    expect(await c.next()).toMatchObject({ type: "leave", reason: "replaced" });
    expect(await c.closed).toMatchObject({ code: 4009 });
    expect(await r.next()).toMatchObject({ type: "joined", resumed: true });
    r.send({ type: "user_text", seq: 1, text: "still here" });
    expect(await r.next()).toMatchObject({ type: "user_turn", text: "still here" });
  });
  test("restart closes every socket with 1012 and keeps sessions resumable", async () => {
    const { c, token, sid } = await session();
    await server.rtc.restart();
    expect((await c.closed).code).toBe(1012);
    const r = await connect({ access_token: token, reconnect: 1, sid, last_seq: 1 });
    expect(await r.next()).toMatchObject({ type: "joined", resumed: true });
  });
});

describe("during a session", () => {
  test("user_text without canPublishData → error permission_denied with ref_seq", async () => {
    const token = await mint(server, { canPublishData: false, now: now() });
    const c = await connect({ access_token: token });
    await c.next("joined");
    c.send({ type: "user_text", seq: 1, text: "let me in" });
    expect(await c.next()).toEqual({
      type: "error",
      seq: 2,
      code: "permission_denied",
      message: expect.any(String),
      ref_seq: 1,
    });
    c.send({ type: "ping", t: 2 });
    expect(await c.next()).toEqual({ type: "pong", t: 2 });
  });
  test("client leave → leave {client_left}, close 1000, the session is gone", async () => {
    const { c, token, sid } = await session();
    c.send({ type: "leave", seq: 1 });
    expect(await c.next()).toMatchObject({ type: "leave", reason: "client_left" });
    expect((await c.closed).code).toBe(1000);
    await expectRefusal(
      { access_token: token, reconnect: 1, sid },
      404,
      "Session not found.",
      "session_not_found",
    );
  });
  test("idle: nothing for 30 s closes the socket with 4008; the session stays resumable", async () => {
    const { c, token, sid } = await session();
    clock.advance(20_000);
    c.send({ type: "ping", t: 1 });
    await c.next("pong");
    clock.advance(20_000); // 20 s since the ping: still open
    c.send({ type: "ping", t: 2 });
    await c.next("pong");
    clock.advance(30_001);
    expect((await c.closed).code).toBe(4008);
    expect((await validate(server, { access_token: token, reconnect: 1, sid })).status).toBe(200);
  });
  test("malformed frames get error frames; too large ones too_large; five violations close 4400", async () => {
    const { c, token, sid } = await session();
    c.send("not json");
    expect(await c.next()).toMatchObject({ type: "error", code: "bad_frame" });
    c.send({ type: "user_text", seq: 7 });
    expect(await c.next()).toMatchObject({ type: "error", code: "bad_frame", ref_seq: 7 });
    c.send({ type: "teleport", seq: 3 });
    expect(await c.next()).toMatchObject({ type: "error", code: "unknown_type", ref_seq: 3 });
    c.send({ type: "user_text", seq: 8, text: "x".repeat(5000) });
    expect(await c.next()).toMatchObject({ type: "error", code: "too_large", ref_seq: 8 });
    c.send("y".repeat(70_000));
    expect(await c.next()).toMatchObject({ type: "error", code: "too_large" });
    c.send({ type: "ack", seq: 999 });
    expect(await c.next()).toMatchObject({ type: "error", code: "bad_frame" });
    expect((await c.closed).code).toBe(4400);
    await expectRefusal(
      { access_token: token, reconnect: 1, sid },
      404,
      "Session not found.",
      "session_not_found",
    );
  });
  test("binary frames in a session without audio are bad_frame (audio: see rtcVoice.test.ts)", async () => {
    const { c } = await session();
    c.ws.send(Buffer.from([1, 2, 3, 4]));
    c.send({ type: "ping", t: 5 });
    expect(await c.next()).toMatchObject({ type: "error", code: "bad_frame" });
    expect(await c.next()).toEqual({ type: "pong", t: 5 });
  });
});

async function startWith(opts: { idleTimeout?: number; resumeWindow?: number } = {}) {
  const c = new FakeClock();
  const s = await start({ clock: c, ...opts });
  return { server: s, clock: c };
}

describe("token refresh", () => {
  test("token_refreshed at 3/4 of the lifetime: same identity, grants and TTL, newer exp", async () => {
    const s = await startWith();
    try {
      const token = await mint(s.server, {
        identity: "erin",
        name: "Erin",
        room: "r9",
        ttl: 4,
        now: s.clock.now(),
      });
      const c = await RtcClient.connect(rtcUrl(s.server, { access_token: token }));
      await c.next("joined");
      s.clock.advance(2_900);
      c.send({ type: "ping", t: 0 });
      expect(await c.next()).toEqual({ type: "pong", t: 0 }); // not yet
      s.clock.advance(100);
      const refreshed = await c.next("token_refreshed");
      const old = decodeToken(token).claims;
      const { claims } = decodeToken(refreshed.token as string);
      expect(refreshed.expires_at).toBe(claims.exp);
      expect(claims.exp - (claims.nbf as number)).toBe(4);
      expect(claims.exp).toBeGreaterThan(old.exp);
      expect(claims).toMatchObject({ iss: old.iss, sub: "erin", name: "Erin", video: old.video });
      const verifier = new TokenVerifier({
        keys: { [s.server.credentials.apiKey]: s.server.credentials.apiSecret },
        currentDate: () => new Date(s.clock.now()),
      });
      await expect(verifier.verify(refreshed.token as string)).resolves.toMatchObject({
        sub: "erin",
      });
      // And again, 3 s later (3/4 of the new token's 4 s).
      s.clock.advance(3_000);
      const second = await c.next("token_refreshed");
      expect(second.expires_at as number).toBeGreaterThan(refreshed.expires_at as number);
      // The refreshed token opens new sessions.
      const d = await RtcClient.connect(rtcUrl(s.server, { access_token: second.token as string }));
      expect((await d.next()).type).toBe("joined");
      c.ws.terminate();
      d.ws.terminate();
    } finally {
      await s.server.close();
    }
  });
});

describe("shutdown", () => {
  test("close() sends leave {server_shutdown} and closes 1001", async () => {
    const s = await startWith();
    const token = await mint(s.server, { now: s.clock.now() });
    const c = await RtcClient.connect(rtcUrl(s.server, { access_token: token }));
    await c.next("joined");
    await s.server.close();
    expect(await c.next()).toMatchObject({ type: "leave", reason: "server_shutdown" });
    expect((await c.closed).code).toBe(1001);
  });
});

export type { Frame };
