import { parseServerFrame } from "@unpod/core";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { WebSocket } from "ws";
import type { DevServer } from "../src/index.js";
import { type FrameHost, handleMessage } from "../src/rtc/frames.js";
import { type Connection, Session, type UnsequencedFrame } from "../src/rtc/session.js";
import { api, mint, RtcClient, rtcUrl, start } from "./helpers.js";

/** A frame host that records what the handler sends. */
function harness(canPublishData: boolean) {
  const sent: string[] = [];
  const session = new Session("SE_fuzz", {
    iss: "K",
    sub: "fuzzer",
    exp: 2_000_000_000,
    video: { roomJoin: true, room: "r", canPublishData },
  });
  const ws = {
    readyState: 1,
    OPEN: 1,
    send: (d: string) => sent.push(d),
    close() {},
    terminate() {},
  };
  const conn: Connection = {
    ws: ws as unknown as WebSocket,
    session,
    lastActivity: 0,
    idleTimer: undefined,
    violations: 0,
    audio: false,
  };
  session.connection = conn;
  const events: string[] = [];
  const host: FrameHost = {
    send(s: Session, frame: UnsequencedFrame) {
      s.lastSeq += 1;
      const { type, ...rest } = frame;
      const data = JSON.stringify({ type, seq: s.lastSeq, ...rest });
      s.keep(s.lastSeq, data);
      sent.push(data);
    },
    userText(s: Session, seq: number, text: string) {
      this.send(s, { type: "user_turn", turn_id: `t${seq}`, text, final: true });
      this.send(s, { type: "agent_reply", turn_id: `t${seq}`, text: `Echo: ${text}`, final: true });
    },
    clientFrameProcessed() {},
    pong(_c, t) {
      sent.push(JSON.stringify({ type: "pong", t }));
    },
    clientLeft(s) {
      events.push("left");
      s.ended = true;
    },
    protocolViolation(_c, s) {
      events.push("4400");
      s.ended = true;
    },
    debug() {},
  };
  return { sent, session, conn, host, events };
}

const knownType = fc.constantFrom(
  "user_text",
  "ack",
  "ping",
  "leave",
  "joined",
  "pong",
  "",
  "__proto__",
  "constructor",
);
const fieldValue = fc.oneof(
  fc.integer({ min: -5, max: 1_000 }),
  fc.double(),
  fc.string({ maxLength: 30 }),
  fc.boolean(),
  fc.constant(null),
  fc.constant(Number.MAX_SAFE_INTEGER + 2),
  fc.array(fc.integer(), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.integer(), { maxKeys: 3 }),
);
const frameLike = fc
  .record(
    {
      type: fc.oneof(knownType, fc.string({ maxLength: 10 })),
      seq: fieldValue,
      t: fieldValue,
      text: fieldValue,
    },
    { requiredKeys: [] },
  )
  .map((f) => JSON.stringify(f));
const message = fc.oneof(
  { weight: 4, arbitrary: frameLike },
  { weight: 2, arbitrary: fc.json() },
  { weight: 2, arbitrary: fc.string({ maxLength: 200 }) },
  { weight: 1, arbitrary: fc.string({ unit: "grapheme", maxLength: 50 }) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      "{",
      "[]",
      "null",
      '{"type":1}',
      '{"type":"user_text","seq":1,"text":"x"}',
    ),
  },
  {
    weight: 1,
    arbitrary: fc
      .integer({ min: 4001, max: 70_000 })
      .map((n) => JSON.stringify({ type: "user_text", seq: 1, text: "x".repeat(n) })),
  },
);
const raw = fc.oneof(
  { weight: 8, arbitrary: message.map((m) => ({ data: Buffer.from(m), binary: false })) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.uint8Array({ maxLength: 64 }), fc.boolean())
      .map(([b, binary]) => ({ data: Buffer.from(b), binary })),
  },
  {
    weight: 1,
    arbitrary: fc
      .array(message, { maxLength: 3 })
      .map((ms) => ({ data: ms.map((m) => Buffer.from(m)), binary: false })),
  },
);

describe("the frame handler never crashes and only ever sends valid frames", () => {
  // CPU-bound, not a timing test: room for a loaded 2-core runner (it takes ~3 s alone).
  test("any sequence of client messages", { timeout: 60_000 }, () => {
    fc.assert(
      fc.property(fc.boolean(), fc.array(raw, { maxLength: 25 }), (canPublishData, msgs) => {
        const h = harness(canPublishData);
        let lastClientSeq = 0;
        for (const m of msgs) {
          expect(() => handleMessage(h.host, h.conn, m.data as Buffer, m.binary)).not.toThrow();
          expect(h.session.clientSeq).toBeGreaterThanOrEqual(lastClientSeq);
          lastClientSeq = h.session.clientSeq;
        }
        let seq = 0;
        for (const text of h.sent) {
          const frame = parseServerFrame(text); // throws on anything malformed
          expect(frame).not.toBeNull();
          if (frame && "seq" in frame) {
            expect(frame.seq).toBe(seq + 1);
            seq = frame.seq;
          }
        }
        expect(h.events.filter((e) => e === "4400").length).toBeLessThanOrEqual(1);
      }),
      { numRuns: 1500 },
    );
  });
  test("a user_text is answered once per client seq, whatever the order", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 20 }), { maxLength: 40 }), (seqs) => {
        const h = harness(true);
        for (const seq of seqs)
          handleMessage(
            h.host,
            h.conn,
            Buffer.from(JSON.stringify({ type: "user_text", seq, text: `m${seq}` })),
            false,
          );
        const turns = h.sent
          .map((t) => JSON.parse(t))
          .filter((f) => f.type === "agent_reply")
          .map((f) => f.turn_id);
        expect(new Set(turns).size).toBe(turns.length);
        // Processed: exactly the client seqs that were higher than every seq before them.
        let max = 0;
        const expected: string[] = [];
        for (const s of seqs)
          if (s > max) {
            max = s;
            expected.push(`t${s}`);
          }
        expect(turns).toEqual(expected);
      }),
      { numRuns: 500 },
    );
  });
});

describe("a real server under random input", () => {
  let server: DevServer;
  beforeAll(async () => {
    server = await start();
  });
  afterAll(() => server.close());

  test("random frames over real sockets: the server keeps answering", async () => {
    const token = await mint(server, { identity: "fuzz" });
    const batches = fc.sample(fc.array(message, { minLength: 1, maxLength: 12 }), {
      numRuns: 40,
      seed: 42,
    });
    let closed4400 = 0;
    for (const batch of batches) {
      const c = await RtcClient.connect(rtcUrl(server, { access_token: token }));
      await c.next("joined");
      for (const m of batch) c.send(m);
      c.send({ type: "ping", t: 7 });
      const outcome = await Promise.race([
        c.next("pong").then(() => "pong"),
        c.closed.then((e) => `closed ${e.code}`),
      ]);
      if (outcome !== "pong") {
        expect(outcome).toBe("closed 4400");
        closed4400 += 1;
      }
      for (const f of c.frames) expect(() => parseServerFrame(JSON.stringify(f))).not.toThrow();
      c.ws.terminate();
    }
    expect((await api(server, "organizations/")).status).toBe(200);
    expect(closed4400).toBeLessThan(batches.length);
  });

  test("garbage on the raw TCP socket (bad upgrades, random bytes) never takes the server down", async () => {
    const { connect } = await import("node:net");
    const port = Number(new URL(server.url).port);
    const token = await mint(server, { identity: "raw" });
    const upgrade = (extra: string) =>
      `GET /v1/rtc?access_token=${token} HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n${extra}\r\n`;
    const payloads = [
      upgrade(""), // no key, no version
      upgrade("Sec-WebSocket-Key: short\r\nSec-WebSocket-Version: 13\r\n"),
      upgrade("Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 99\r\n"),
      `POST /v1/rtc?access_token=${token} HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n`,
      "GET /v1/rtc HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n",
      ...fc.sample(fc.string({ minLength: 1, maxLength: 300 }), { numRuns: 30, seed: 3 }),
      ...fc
        .sample(fc.uint8Array({ minLength: 1, maxLength: 300 }), { numRuns: 30, seed: 4 })
        .map((b) => Buffer.from(b).toString("latin1")),
    ];
    await Promise.all(
      payloads.map(
        (p) =>
          new Promise<void>((resolve) => {
            const sock = connect(port, "127.0.0.1", () => sock.end(Buffer.from(p, "latin1")));
            sock.on("data", () => {});
            sock.on("error", () => resolve());
            sock.on("close", () => resolve());
            sock.setTimeout(2000, () => sock.destroy());
          }),
      ),
    );
    expect((await api(server, "organizations/")).status).toBe(200);
    const c = await RtcClient.connect(rtcUrl(server, { access_token: token }));
    expect((await c.next()).type).toBe("joined");
    c.ws.terminate();
  });

  test("random connect parameters: validate always answers with a protocol status and body", async () => {
    const token = await mint(server, { identity: "fuzz-2" });
    const value = fc.oneof(
      fc.string({ maxLength: 40 }),
      fc.constant(token),
      fc.integer().map(String),
      fc.constantFrom("1", "0", "true"),
    );
    const samples = fc.sample(
      fc.record(
        { access_token: value, reconnect: value, sid: value, last_seq: value },
        { requiredKeys: [] },
      ),
      { numRuns: 150, seed: 7 },
    );
    const MESSAGES: Record<number, string[]> = {
      200: ["OK"],
      400: ["Malformed request."],
      401: ["Invalid token."],
      403: ["Token has expired.", "Permission denied."],
      404: ["Session not found."],
    };
    for (const params of samples) {
      const u = new URL("/v1/rtc/validate", server.url);
      for (const [k, v] of Object.entries(params)) u.searchParams.set(k, v as string);
      const res = await fetch(u);
      const body = (await res.json()) as { status_code: number; message: string };
      expect(MESSAGES[res.status]).toContain(body.message);
      expect(body.status_code).toBe(res.status);
    }
  });
});
