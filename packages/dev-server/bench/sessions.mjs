// N concurrent real-time sessions against the BUILT dev server on loopback.
//
//   node bench/sessions.mjs [--sessions 1000] [--concurrency 50] [--inproc | --peer]
//
// The server runs in a child process (--inproc: in this process instead; --peer: the bare
// `ws` server of peer-child.mjs instead of the dev server, for comparison); the clients
// (plain `ws` sockets) run here. Tokens are minted before timing starts. For each session it
// measures the time from opening the socket to receiving `joined`; with every session still
// open it then sends one `user_text` per session and times the echo agent's `agent_reply`.
// Memory is the server process's RSS / heap after GC, before vs. with N sessions open.
import { fork } from "node:child_process";
import { once } from "node:events";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { AccessToken } from "@unpod/node";
import WebSocket from "ws";
import { memory } from "./memory.mjs";

const { values } = parseArgs({
  options: {
    sessions: { type: "string", default: "1000" },
    concurrency: { type: "string", default: "50" },
    inproc: { type: "boolean", default: false },
    peer: { type: "boolean", default: false },
  },
});
const N = Number(values.sessions);
const C = Math.min(Number(values.concurrency), N);

const server = await (async () => {
  if (values.inproc) {
    const { startDevServer } = await import("../dist/index.js");
    const s = await startDevServer({ idleTimeout: 3600, resumeWindow: 3600 });
    return {
      rtcUrl: s.rtcUrl,
      credentials: s.credentials,
      baseline: memory(),
      memory: async () => memory(),
      stats: async () => s.rtc.stats(),
      close: () => s.close(),
    };
  }
  const child = fork(
    join(import.meta.dirname, values.peer ? "peer-child.mjs" : "server-child.mjs"),
    {
      execArgv: [
        "--expose-gc",
        ...(process.env.BENCH_SERVER_NODE_ARGS?.split(" ").filter(Boolean) ?? []),
      ],
    },
  );
  const ask = async (msg, key) => {
    child.send(msg);
    for (;;) {
      const [reply] = await once(child, "message");
      if (key in reply) return reply[key];
    }
  };
  const [ready] = await once(child, "message");
  return {
    rtcUrl: ready.rtcUrl,
    credentials: ready.credentials,
    baseline: ready.memory,
    memory: () => ask("memory", "memory"),
    stats: () => ask("stats", "stats"),
    close: () => ask("close", "closed"),
  };
})();

const tokens = await Promise.all(
  Array.from({ length: N }, (_, i) =>
    new AccessToken({
      apiKey: server.credentials.apiKey,
      apiSecret: server.credentials.apiSecret,
      identity: `bench-${i}`,
      ttl: "1h",
    })
      .addGrant({ roomJoin: true, room: `room-${i % 50}`, canPublishData: true })
      .toJwt(),
  ),
);
const baseline = await server.memory();

const sockets = new Array(N);
const connectMs = new Array(N);
function connect(i) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const ws = new WebSocket(`${server.rtcUrl}/v1/rtc?access_token=${tokens[i]}`, {
      perMessageDeflate: false,
    });
    ws.once("message", (data) => {
      const f = JSON.parse(String(data));
      if (f.type !== "joined") return reject(new Error(`first frame was ${f.type}`));
      connectMs[i] = performance.now() - t0;
      sockets[i] = ws;
      resolve();
    });
    ws.once("error", reject);
    ws.once("unexpected-response", (_req, res) => reject(new Error(`refused: ${res.statusCode}`)));
  });
}

const wall0 = performance.now();
let next = 0;
await Promise.all(
  Array.from({ length: C }, async () => {
    while (next < N) await connect(next++);
  }),
);
const wallMs = performance.now() - wall0;
const stats = await server.stats();
const loaded = await server.memory();

// Echo round trip with all N sessions open: one user_text each, all at once.
const echoMs = new Array(N);
await Promise.all(
  sockets.map(
    (ws, i) =>
      new Promise((resolve) => {
        const t0 = performance.now();
        ws.on("message", (data) => {
          if (JSON.parse(String(data)).type === "agent_reply") {
            echoMs[i] = performance.now() - t0;
            resolve();
          }
        });
        ws.send(JSON.stringify({ type: "user_text", seq: 1, text: `hello ${i}` }));
      }),
  ),
);

for (const ws of sockets) ws.terminate();
await server.close();

const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
};
const f = (ms) => `${ms.toFixed(2)} ms`;
const mib = (b) => `${(b / 1024 / 1024).toFixed(1)} MiB`;
const kib = (b) => `${(b / 1024).toFixed(1)} KiB`;
const result = {
  sessions: N,
  concurrency: C,
  server: values.peer ? "bare ws (peer)" : "dev server",
  process: values.inproc ? "same process" : "child process",
  node: process.version,
  connect: {
    p50: pct(connectMs, 50),
    p95: pct(connectMs, 95),
    p99: pct(connectMs, 99),
    max: Math.max(...connectMs),
  },
  connectWallMs: wallMs,
  echo: { p50: pct(echoMs, 50), p95: pct(echoMs, 95), p99: pct(echoMs, 99) },
  activeSockets: stats.activeSockets,
  liveSessions: stats.sessions,
  serverCpuPerConnectUs: (loaded.cpuUs - baseline.cpuUs) / N,
  rssDelta: loaded.rss - baseline.rss,
  heapDelta: loaded.heapUsed - baseline.heapUsed,
};
const load = (await import("node:os")).loadavg()[0];
result.loadAverage1m = load;
console.log(
  `${result.server}: ${N} sessions, ${C} connecting at a time, server in ${result.process} (load average ${load.toFixed(2)})`,
);
console.log(
  `  connect → joined   p50 ${f(result.connect.p50)}  p95 ${f(result.connect.p95)}  p99 ${f(result.connect.p99)}  max ${f(result.connect.max)}`,
);
console.log(
  `  all connected in   ${f(wallMs)} (${((N / wallMs) * 1000).toFixed(0)} sessions/s); open: ${stats.activeSockets} sockets, ${stats.sessions} sessions`,
);
console.log(
  `  server CPU         ${(result.serverCpuPerConnectUs / 1000).toFixed(3)} ms per connect (user+system; ${values.inproc ? "includes the clients" : "server process only"})`,
);
console.log(
  `  echo round trip    p50 ${f(result.echo.p50)}  p95 ${f(result.echo.p95)}  p99 ${f(result.echo.p99)} (all ${N} at once)`,
);
console.log(
  `  server memory      RSS +${mib(result.rssDelta)} (${kib(result.rssDelta / N)}/session), heap +${mib(result.heapDelta)} (${kib(result.heapDelta / N)}/session)`,
);
console.log(JSON.stringify(result));
if (stats.sessions !== N) {
  console.error(`expected ${N} live sessions, the server reports ${stats.sessions}`);
  process.exitCode = 1;
}
