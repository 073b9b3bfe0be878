// Access-token throughput: @unpod/node (the BUILT dist, what ships) beside
// livekit-server-sdk, same claims, one process. Run: pnpm --filter @unpod/node bench
//
// Each op is what an app does per request: sign = new AccessToken(…) + addGrant + toJwt();
// verify = verifier.verify(jwt) with a verifier built once. Both libraries get the same
// identity, name, metadata, attributes, ttl and room grant. Warm-up, then ROUNDS rounds of
// ROUND_MS each, alternating libraries; the table shows each side's median round.
import { AccessToken as LkAccessToken, TokenVerifier as LkTokenVerifier } from "livekit-server-sdk";
import { AccessToken, TokenVerifier } from "../dist/index.js";

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 15);
const ROUND_MS = Number(process.env.BENCH_ROUND_MS ?? 300);
const WARMUP_MS = Number(process.env.BENCH_WARMUP_MS ?? 800);
const BATCH = 64;

const apiKey = "APIbench";
const apiSecret = "bench-secret-0123456789abcdef0123456789abcdef";
const identity = "user-42";
const options = {
  identity,
  name: "Ada",
  metadata: '{"plan":"pro"}',
  attributes: { tier: "gold" },
  ttl: "10m",
};
const grant = {
  roomJoin: true,
  room: "support",
  canPublish: true,
  canSubscribe: true,
  canPublishData: true,
};

const unpodSign = () => new AccessToken({ apiKey, apiSecret, ...options }).addGrant(grant).toJwt();
const lkSign = () => {
  const t = new LkAccessToken(apiKey, apiSecret, options);
  t.addGrant(grant);
  return t.toJwt();
};
const unpodVerifier = new TokenVerifier({ keys: { [apiKey]: apiSecret } });
const lkVerifier = new LkTokenVerifier(apiKey, apiSecret);
const unpodJwt = await unpodSign();
const lkJwt = await lkSign();
// Sanity: each side accepts the other's token (same claims), so both verify the same work.
await unpodVerifier.verify(lkJwt);
await lkVerifier.verify(unpodJwt);

async function run(fn, ms) {
  // Start every round on a collected heap, so one library's garbage is not billed to the
  // other (the bench script runs node with --expose-gc).
  globalThis.gc?.();
  let ops = 0;
  const start = performance.now();
  const end = start + ms;
  while (performance.now() < end) {
    for (let i = 0; i < BATCH; i++) await fn();
    ops += BATCH;
  }
  return (ops * 1000) / (performance.now() - start);
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const cases = [
  { name: "sign   (new AccessToken…toJwt())", unpod: unpodSign, lk: lkSign, target: 2.0 },
  {
    name: "verify (TokenVerifier.verify())",
    unpod: () => unpodVerifier.verify(unpodJwt),
    lk: () => lkVerifier.verify(unpodJwt),
    target: 1.8,
  },
];

for (const c of cases) {
  await run(c.unpod, WARMUP_MS);
  await run(c.lk, WARMUP_MS);
  c.u = [];
  c.l = [];
  for (let r = 0; r < ROUNDS; r++) {
    // Alternate the order so neither side always runs on a warmer or cooler machine.
    if (r % 2 === 0) {
      c.u.push(await run(c.unpod, ROUND_MS));
      c.l.push(await run(c.lk, ROUND_MS));
    } else {
      c.l.push(await run(c.lk, ROUND_MS));
      c.u.push(await run(c.unpod, ROUND_MS));
    }
  }
}

const fmt = (n) => Math.round(n).toLocaleString("en-US").padStart(10);
console.log(
  `@unpod/node vs livekit-server-sdk — Node ${process.version}, ${ROUNDS} rounds × ${ROUND_MS} ms, median ops/s\n`,
);
console.log(
  "| operation                          | @unpod/node ops/s | livekit-server-sdk ops/s | ratio | target |",
);
console.log(
  "|------------------------------------|------------------:|-------------------------:|------:|-------:|",
);
let failed = false;
for (const c of cases) {
  const u = median(c.u);
  const l = median(c.l);
  const ratio = u / l;
  if (ratio < c.target) failed = true;
  console.log(
    `| ${c.name.padEnd(34)} | ${fmt(u).padStart(17)} | ${fmt(l).padStart(24)} | ${ratio.toFixed(2).padStart(4)}× | ≥ ${c.target.toFixed(1)}× ${ratio >= c.target ? "✓" : "✗"} |`,
  );
}
console.log(
  `\nrounds (ops/s): ${cases.map((c) => `${c.name.split(" ")[0]} unpod [${c.u.map(Math.round).join(", ")}] livekit [${c.l.map(Math.round).join(", ")}]`).join("; ")}`,
);
if (failed)
  console.log("\nbelow target on this machine (the bench reports; it does not fail the build)");
