// Connect and resume-after-drop times on loopback, on the BUILT packages:
// `pnpm --filter @unpod/browser bench` (or `node bench/connect.mjs [runs]`).
// connect: new UnpodSession().connect() until `joined` (token check, upgrade, session start).
// resume: the server kills the socket (1006) until the session is `connected` again, resumed.
// Peer, in the same run: bare `ws` doing the least the protocol allows (open the upgrade URL,
// wait for `joined`; on resume, the same with `reconnect=1&sid&last_seq`), so the figures are
// also ratios: what the session adds over the wire's own cost.
import { startDevServer } from "@unpod/dev-server";
import { AccessToken } from "@unpod/node";
import { WebSocket } from "ws";
import { UnpodSession } from "../dist/index.js";
import { percentile } from "./scenario.mjs";

const runs = Number(process.argv[2] ?? 200);
const server = await startDevServer();
const mint = async () => {
  const t = new AccessToken({
    apiKey: server.credentials.apiKey,
    apiSecret: server.credentials.apiSecret,
    identity: "bench",
    ttl: "1h",
  });
  t.addGrant({ room: "bench", roomJoin: true, canPublishData: true });
  return t.toJwt();
};
const token = await mint();
const stats = (name, xs) => {
  const sorted = [...xs].sort((a, b) => a - b);
  const f = (v) => `${v.toFixed(2)} ms`;
  return {
    name,
    runs: xs.length,
    p50: f(percentile(sorted, 50)),
    p95: f(percentile(sorted, 95)),
    max: f(sorted.at(-1)),
  };
};

/** The peer: one bare upgrade until its `joined` frame. Resolves with the socket and frame. */
const bareJoin = (query) =>
  new Promise((resolve, reject) => {
    const ws = new WebSocket(`${server.rtcUrl}/v1/rtc?access_token=${token}${query}`);
    ws.once("error", reject);
    ws.once("message", (data) => {
      const joined = JSON.parse(String(data));
      if (joined.type !== "joined") reject(new Error(`expected joined, got ${joined.type}`));
      else resolve({ ws, joined });
    });
  });
const bareClose = (ws) =>
  new Promise((resolve) => {
    ws.once("close", resolve);
    ws.close(1000);
  });

// Warm up (JIT, sockets).
for (let i = 0; i < 20; i++) {
  const s = new UnpodSession({ serverUrl: server.rtcUrl, token, WebSocket });
  await s.connect();
  await s.disconnect();
  await bareClose((await bareJoin("")).ws);
}

// Interleaved, so the session and its peer see the same machine.
const connect = [];
const connectPeer = [];
for (let i = 0; i < runs; i++) {
  const s = new UnpodSession({ serverUrl: server.rtcUrl, token, WebSocket });
  let t0 = performance.now();
  await s.connect();
  connect.push(performance.now() - t0);
  await s.disconnect();

  t0 = performance.now();
  const { ws } = await bareJoin("");
  connectPeer.push(performance.now() - t0);
  await bareClose(ws);
}

const resume = [];
// A drop of a healthy connection (up ≥ 10 s) is resumed at once by the default policy; after
// a brief one it waits on purpose (no reconnect storms). Every connection in this loop would
// be brief, so the session's clock is moved 10 s forward before each drop instead of waiting
// 10 s: the figure is the resume of a healthy connection, with the default policy.
let skew = 0;
const resumePeer = [];
const clock = {
  now: () => Date.now() + skew,
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (id) => clearTimeout(id),
};
const s = new UnpodSession({ serverUrl: server.rtcUrl, token, WebSocket, clock });
await s.connect();
const sid = s.getSnapshot().sessionId;
for (let i = 0; i < runs; i++) {
  const back = new Promise((resolve) => {
    const off = s.on("state", ({ state }) => {
      if (state === "connected") {
        off();
        resolve();
      }
    });
  });
  skew += 10_000;
  const t0 = performance.now();
  server.rtc.dropSession(sid);
  await back;
  resume.push(performance.now() - t0);
  if (s.getSnapshot().sessionId !== sid) throw new Error("resume started a new session");
}
await s.disconnect();

// The peer's resume: a bare socket, dropped by the server, reopened with the resume query.
let bare = await bareJoin("");
const bareSid = bare.joined.session_id;
for (let i = 0; i < runs; i++) {
  const closed = new Promise((resolve) => bare.ws.once("close", resolve));
  const t0 = performance.now();
  server.rtc.dropSession(bareSid);
  await closed;
  bare = await bareJoin(`&reconnect=1&sid=${bareSid}&last_seq=${bare.joined.seq}`);
  resumePeer.push(performance.now() - t0);
  if (!bare.joined.resumed) throw new Error("the peer's resume started a new session");
}
await bareClose(bare.ws);
await server.close();

const table = [
  stats("connect (new session)", connect),
  stats("  peer: bare ws", connectPeer),
  stats("resume after drop", resume),
  stats("  peer: bare ws", resumePeer),
];
console.table(table);
const median = (xs) =>
  percentile(
    [...xs].sort((a, b) => a - b),
    50,
  );
const p50 = median(resume);
console.log(
  `p50 session / bare ws: connect ${(median(connect) / median(connectPeer)).toFixed(2)}×, ` +
    `resume ${(p50 / median(resumePeer)).toFixed(2)}×`,
);
console.log(`resume p50 ${p50.toFixed(2)} ms (target ≤ 100 ms): ${p50 <= 100 ? "OK" : "OVER"}`);
process.exit(p50 <= 100 ? 0 : 1);
