// `pnpm bench` for @unpod/agent: one runner serving 200 concurrent calls through the dev
// server, against the dev server's echo agent in the same run.
//
//   node bench/turns.mjs [--calls 200] [--rounds 10] [--window 1000]
//
// Three processes: the dev server (bench/server-child.mjs), the runner (runner-child.mjs,
// the BUILT package) and the callers here (plain `ws` sockets speaking the real-time
// protocol). Every caller keeps its session open; each round, every caller sends one
// `user_text` at a random moment of a `--window` ms window (about 200 turns/s, not one
// burst) and times it until the first `agent_reply` of that turn: for a runner's call, the
// first delta of its stream; for the echo agent, its one reply. Echo and runner callers are
// interleaved in the same rounds, so both see the same load. Target: the runner adds at most
// 2 ms at p50.
import { fork } from "node:child_process";
import { once } from "node:events";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { AccessToken } from "@unpod/node";
import WebSocket from "ws";

const { values } = parseArgs({
  options: {
    calls: { type: "string", default: "200" },
    rounds: { type: "string", default: "10" },
    window: { type: "string", default: "1000" },
  },
});
const N = Number(values.calls);
const ROUNDS = Number(values.rounds);
const WINDOW = Number(values.window);
const here = import.meta.dirname;

const server = fork(join(here, "server-child.mjs"));
const [ready] = await once(server, "message");
const ask = async (msg, key) => {
  server.send(msg);
  for (;;) {
    const [reply] = await once(server, "message");
    if (key in reply) return reply[key];
  }
};
const { rtcUrl, credentials } = ready;
const runner = fork(join(here, "runner-child.mjs"), [
  JSON.stringify({ rtcUrl, apiToken: credentials.apiToken, orgHandle: credentials.orgHandle }),
]);
await once(runner, "message");

/** A caller: a session on `room`, with the time each of its turns was sent. */
async function caller(i, room) {
  const token = await new AccessToken({
    apiKey: credentials.apiKey,
    apiSecret: credentials.apiSecret,
    identity: `caller-${room}-${i}`,
    ttl: "1h",
  })
    .addGrant({ room, roomJoin: true, canPublishData: true })
    .toJwt();
  const ws = new WebSocket(`${rtcUrl}/v1/rtc?access_token=${token}`);
  const c = { ws, seq: 0, sentAt: new Map(), latencies: [], pending: new Map() };
  await new Promise((resolve, reject) => {
    ws.on("message", (data) => {
      const f = JSON.parse(String(data));
      if (f.type === "joined") resolve();
      if (f.type === "agent_reply" && c.sentAt.has(f.turn_id)) {
        c.latencies.push(performance.now() - c.sentAt.get(f.turn_id));
        c.sentAt.delete(f.turn_id);
        c.pending.get(f.turn_id)?.();
      }
      if (f.seq) ws.send(JSON.stringify({ type: "ack", seq: f.seq }));
    });
    ws.once("error", reject);
  });
  return c;
}

function turn(c) {
  c.seq += 1;
  const turnId = `t${c.seq}`;
  return new Promise((resolve) => {
    c.pending.set(turnId, resolve);
    c.sentAt.set(turnId, performance.now());
    c.ws.send(JSON.stringify({ type: "user_text", seq: c.seq, text: `turn ${c.seq}` }));
  });
}

const runnerCallers = [];
const echoCallers = [];
for (let i = 0; i < N; i += 20) {
  const batch = Math.min(20, N - i);
  runnerCallers.push(
    ...(await Promise.all(Array.from({ length: batch }, (_, k) => caller(i + k, "bench-runner")))),
  );
  echoCallers.push(
    ...(await Promise.all(Array.from({ length: batch }, (_, k) => caller(i + k, "bench-echo")))),
  );
}
// Every runner call live (bridged) before timing starts.
for (let t = Date.now(); (await ask("calls", "calls")) < N; ) {
  if (Date.now() - t > 30_000) throw new Error("the runner's calls did not all go live");
  await new Promise((r) => setTimeout(r, 50));
}

// One warm-up round, not counted.
const everyone = [...runnerCallers, ...echoCallers];
const round = () =>
  Promise.all(
    everyone.map(
      (c) =>
        new Promise((resolve) => setTimeout(() => turn(c).then(resolve), Math.random() * WINDOW)),
    ),
  );
await round();
for (const c of everyone) c.latencies.length = 0;
const t0 = performance.now();
for (let r = 0; r < ROUNDS; r++) await round();
const wall = performance.now() - t0;

const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
};
const stats = (callers) => {
  const all = callers.flatMap((c) => c.latencies);
  return { n: all.length, p50: pct(all, 50), p95: pct(all, 95), p99: pct(all, 99) };
};
const viaRunner = stats(runnerCallers);
const echo = stats(echoCallers);
const added = viaRunner.p50 - echo.p50;
const f = (ms) => `${ms.toFixed(2)} ms`.padStart(9);
const load = (await import("node:os")).loadavg()[0];
console.log(
  `@unpod/agent: ${N} calls through one runner + ${N} echo sessions, ${ROUNDS} rounds of one turn each per ${WINDOW} ms (${((2 * N * ROUNDS) / (wall / 1000)).toFixed(0)} turns/s, load average ${load.toFixed(2)}, ${process.version})`,
);
console.log("  user text sent → first agent_reply      p50        p95        p99   turns");
console.log(
  `  echo agent (dev server)           ${f(echo.p50)}  ${f(echo.p95)}  ${f(echo.p99)}   ${echo.n}`,
);
console.log(
  `  runner (first delta)              ${f(viaRunner.p50)}  ${f(viaRunner.p95)}  ${f(viaRunner.p99)}   ${viaRunner.n}`,
);
console.log(
  `  the runner adds at p50: ${added.toFixed(2)} ms (target ≤ 2 ms): ${added <= 2 ? "yes" : "NO"}`,
);
console.log(
  JSON.stringify({
    calls: N,
    rounds: ROUNDS,
    windowMs: WINDOW,
    echo,
    runner: viaRunner,
    addedP50Ms: added,
  }),
);

for (const c of everyone) c.ws.terminate();
runner.send("close");
await once(runner, "exit");
await ask("close", "closed");
if (echo.n !== N * ROUNDS || viaRunner.n !== N * ROUNDS) {
  console.error("some turns were not answered");
  process.exitCode = 1;
}
