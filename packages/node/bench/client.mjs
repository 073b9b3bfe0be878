// Per-request cost of UnpodClient vs a bare ky call vs a raw fetch of the same endpoint,
// on a loopback node:http server (in a child process, so it does not share our event
// loop), at concurrency 1 and 64, in one run. Imports the BUILT package (dist/): it
// measures what ships. Run: pnpm --filter @unpod/node build && node bench/client.mjs
//
// Contenders (same URL, same headers, same JSON body parsed):
//   fetch      await (await fetch(url, { headers })).json()
//   ky         await ky.get(url, { headers }).json()                 (ky's defaults)
//   ky-lean    ky.create({ retry: 0, timeout: false, throwHttpErrors: false }), .text() + JSON.parse
//   client     await client.spaces.list()                            (headers, request id,
//              timeout timer, retry bookkeeping, envelope checks, error mapping, Page)
import { fork } from "node:child_process";
import { createServer } from "node:http";
import { performance } from "node:perf_hooks";
import ky from "ky";
import { UnpodClient } from "../dist/index.js";

const TOKEN = "0123456789abcdef0123456789abcdef01234567";
const BODY = JSON.stringify({
  status_code: 200,
  message: "Spaces fetched successfully",
  data: Array.from({ length: 3 }, (_, i) => ({
    name: `Space ${i}`,
    slug: `space-${i}`,
    token: `TOKEN${i}ABCDEFGHIJKLMNOPQRSTUVWX`,
    description: "A space",
    privacy_type: "shared",
    space_type: "general",
    content_type: "contact",
    organization: { name: "Unpod Dev", domain_handle: "unpod-dev" },
  })),
  count: 3,
});

if (process.argv[2] === "server") {
  const server = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      res.writeHead(200, {
        "content-type": "application/json",
        "content-length": Buffer.byteLength(BODY),
      });
      res.end(BODY);
    });
  });
  server.keepAliveTimeout = 60_000;
  server.listen(0, "127.0.0.1", () => process.send?.(server.address().port));
  process.on("disconnect", () => process.exit(0));
} else {
  await main();
}

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function main() {
  const child = fork(new URL(import.meta.url).pathname, ["server"], { stdio: "inherit" });
  const port = await new Promise((resolve) => child.once("message", resolve));
  const base = `http://127.0.0.1:${port}/api/v2/platform/`;
  const url = `${base}spaces/?page=1`;
  const headers = {
    Authorization: `Token ${TOKEN}`,
    Accept: "application/json",
    "Org-Handle": "unpod-dev",
    "Product-ID": "unpod.dev",
    "X-Unpod-SDK": "node/0.1.0",
  };
  const lean = ky.create({ retry: 0, timeout: false, throwHttpErrors: false });
  const client = new UnpodClient({
    apiToken: TOKEN,
    baseUrl: base,
    orgHandle: "unpod-dev",
    productId: "unpod.dev",
  });

  const contenders = {
    fetch: async () => (await (await fetch(url, { headers })).json()).data,
    ky: async () => (await ky.get(url, { headers }).json()).data,
    "ky-lean": async () => JSON.parse(await (await lean.get(url, { headers })).text()).data,
    client: async () => (await client.spaces.list()).data,
  };

  // Sanity: every contender reads the same three spaces.
  for (const [name, call] of Object.entries(contenders)) {
    const data = await call();
    if (!Array.isArray(data) || data.length !== 3) throw new Error(`${name} returned ${data}`);
  }

  // The machine may be busy (2 cores, other processes): many short rounds, contenders
  // interleaved and rotated, so drift hits every contender alike. Reported per contender:
  // p50/p99 over all samples, the median of the per-round p50s, and CPU time per request
  // of this process (the server runs in a child process and is not counted).
  const plan = {
    1: { rounds: Number(process.env.BENCH_ROUNDS_1 ?? 20), perRound: 200 },
    64: { rounds: Number(process.env.BENCH_ROUNDS_64 ?? 10), perRound: 1280 },
  };
  const names = Object.keys(contenders);
  const results = {};
  console.log(
    `UnpodClient bench — Node ${process.version}, loopback HTTP/1.1 keep-alive, server in a child process`,
  );
  for (const concurrency of [1, 64]) {
    const { rounds, perRound } = plan[concurrency];
    const samples = Object.fromEntries(names.map((k) => [k, []]));
    const roundP50 = Object.fromEntries(names.map((k) => [k, []]));
    const cpu = Object.fromEntries(names.map((k) => [k, 0]));
    const wall = Object.fromEntries(names.map((k) => [k, 0]));
    for (const call of Object.values(contenders)) await run(call, concurrency, 512, []); // warm-up
    for (let round = 0; round < rounds; round++) {
      const order = names.slice(round % names.length).concat(names.slice(0, round % names.length));
      for (const name of order) {
        const chunk = [];
        const c0 = process.cpuUsage();
        wall[name] += await run(contenders[name], concurrency, perRound, chunk);
        const used = process.cpuUsage(c0);
        cpu[name] += used.user + used.system;
        chunk.sort((a, b) => a - b);
        roundP50[name].push(percentile(chunk, 50));
        samples[name].push(...chunk);
      }
    }
    results[concurrency] = {};
    for (const name of names) {
      const list = samples[name].sort((a, b) => a - b);
      const medians = roundP50[name].sort((a, b) => a - b);
      results[concurrency][name] = {
        n: list.length,
        p50: percentile(list, 50),
        p99: percentile(list, 99),
        roundP50: percentile(medians, 50),
        cpuUs: cpu[name] / list.length,
        rps: (list.length / wall[name]) * 1000,
      };
    }
  }

  for (const concurrency of [1, 64]) {
    const r = results[concurrency];
    console.log(`\nconcurrency ${concurrency}`);
    console.log("contender   requests   p50 ms   p99 ms  p50/round  CPU µs/req    req/s");
    for (const [name, s] of Object.entries(r)) {
      console.log(
        `${name.padEnd(10)} ${String(s.n).padStart(9)} ${s.p50.toFixed(3).padStart(8)} ${s.p99.toFixed(3).padStart(8)} ${s.roundP50.toFixed(3).padStart(10)} ${s.cpuUs.toFixed(0).padStart(11)} ${s.rps.toFixed(0).padStart(8)}`,
      );
    }
    const ratio = (a, b, k) => (r[a][k] / r[b][k]).toFixed(2);
    for (const k of ["p50", "roundP50", "p99", "cpuUs"]) {
      console.log(
        `${k.padEnd(8)} client/ky ${ratio("client", "ky", k)}  client/ky-lean ${ratio("client", "ky-lean", k)}  ky/fetch ${ratio("ky", "fetch", k)}  client/fetch ${ratio("client", "fetch", k)}`,
      );
    }
  }
  await layersOnly();
  console.log("\ntarget: client/ky ≤ 1.15 at p50");
  child.disconnect();
  child.kill();
}

// The same three stacks with the socket taken out: a fetch that does the request-side
// work undici's does (build a Request from its arguments) and answers at once. What is
// left is the CPU cost of the layers themselves, which a busy machine blurs less.
async function layersOnly() {
  const fakeFetch = (input, init) => {
    new Request(input, init);
    return Promise.resolve(
      new Response(BODY, { status: 200, headers: { "content-type": "application/json" } }),
    );
  };
  const base = "http://127.0.0.1:9/api/v2/platform/";
  const url = `${base}spaces/?page=1`;
  const headers = {
    Authorization: `Token ${TOKEN}`,
    Accept: "application/json",
    "Org-Handle": "unpod-dev",
  };
  const kyFake = ky.create({ fetch: fakeFetch });
  const client = new UnpodClient({
    apiToken: TOKEN,
    baseUrl: base,
    orgHandle: "unpod-dev",
    productId: "unpod.dev",
    fetch: fakeFetch,
  });
  const stacks = {
    fetch: async () => JSON.parse(await (await fakeFetch(url, { headers })).text()),
    ky: () => kyFake.get(url, { headers }).json(),
    client: () => client.spaces.list(),
  };
  const times = Object.fromEntries(Object.keys(stacks).map((k) => [k, []]));
  for (let round = 0; round < 28; round++) {
    for (const [name, call] of Object.entries(stacks)) {
      const t0 = performance.now();
      for (let i = 0; i < 300; i++) await call();
      if (round >= 3) times[name].push(((performance.now() - t0) / 300) * 1000);
    }
  }
  const med = (list) => list.sort((a, b) => a - b)[list.length >> 1];
  const m = Object.fromEntries(Object.entries(times).map(([k, v]) => [k, med(v)]));
  console.log("\nlayers only (no socket; median of 25 rounds × 300 sequential calls)");
  for (const [name, us] of Object.entries(m))
    console.log(`${name.padEnd(10)} ${us.toFixed(1).padStart(8)} µs/call`);
  console.log(
    `client/ky ${(m.client / m.ky).toFixed(2)}  ky/fetch ${(m.ky / m.fetch).toFixed(2)}  client/fetch ${(m.client / m.fetch).toFixed(2)}`,
  );
}

// `total` requests through `concurrency` workers; per-request latencies go to `out`.
async function run(call, concurrency, total, out) {
  let left = total;
  const started = performance.now();
  const worker = async () => {
    while (left > 0) {
      left--;
      const t0 = performance.now();
      await call();
      out.push(performance.now() - t0);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return performance.now() - started;
}
