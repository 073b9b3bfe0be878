// `pnpm bench` for the dev server: 1,000 concurrent sessions, connected 10 and 50 at a time,
// against the dev server and against the bare `ws` peer (bench/peer-child.mjs), each run in
// a fresh child process one after the other. Prints one table; the target is p99
// connect → joined ≤ 50 ms with 1,000 sessions held.
//
//   node bench/compare.mjs [--sessions 1000] [--concurrency 10,50]
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { parseArgs } from "node:util";

const { values } = parseArgs({
  options: {
    sessions: { type: "string", default: "1000" },
    concurrency: { type: "string", default: "10,50" },
  },
});
const script = join(import.meta.dirname, "sessions.mjs");
const run = (c, peer) => {
  const args = [script, "--sessions", values.sessions, "--concurrency", c];
  if (peer) args.push("--peer");
  const out = execFileSync(process.execPath, args, { encoding: "utf8" });
  // The report, then its last line: the result as JSON.
  const lines = out.trimEnd().split("\n");
  const result = JSON.parse(lines.pop());
  console.log(lines.join("\n"));
  return result;
};

const rows = [];
for (const c of values.concurrency.split(",")) {
  const dev = run(c, false);
  const peer = run(c, true);
  rows.push({ c, dev, peer });
}
const ms = (x) => x.toFixed(1).padStart(6);
console.log(
  `\n${values.sessions} sessions held | in flight | dev server p50 / p99 | bare ws p50 / p99 | p99 ratio | dev RSS/session | p99 ≤ 50 ms`,
);
for (const { c, dev, peer } of rows) {
  console.log(
    `${" ".repeat(19)}| ${c.padStart(9)} | ${ms(dev.connect.p50)} / ${ms(dev.connect.p99)} ms | ${ms(peer.connect.p50)} / ${ms(peer.connect.p99)} ms | ${(dev.connect.p99 / peer.connect.p99).toFixed(2).padStart(8)}× | ${(dev.rssDelta / dev.sessions / 1024).toFixed(1).padStart(10)} KiB | ${dev.connect.p99 <= 50 ? "yes" : "no"}`,
  );
}
