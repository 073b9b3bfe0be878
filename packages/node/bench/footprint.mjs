// Installed footprint of @unpod/node with its dependencies, as a user gets it: pack
// @unpod/core and @unpod/node exactly as they would be published (`pnpm pack`), install
// the tarballs with npm into an empty directory, and add up the bytes under node_modules.
// The peer, livekit-server-sdk (the version in our catalog), is installed the same way.
//
// Run: pnpm --filter @unpod/node build && node bench/footprint.mjs
// Needs the npm registry (jose, ky and the peer are downloaded); prints "skipped" without it.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const here = resolve(import.meta.dirname, "..");
const TARGET = 1.5 * 1024 * 1024;

function bytes(dir) {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) total += bytes(p);
    else if (entry.isFile()) total += statSync(p).size;
  }
  return total;
}

// Every temporary directory, removed at the end whatever happened.
const dirs = [];

function install(specs) {
  const dir = mkdtempSync(join(tmpdir(), "unpod-footprint-"));
  dirs.push(dir);
  writeFileSync(join(dir, "package.json"), '{"name":"footprint","private":true}\n');
  execFileSync(
    "npm",
    ["install", "--no-audit", "--no-fund", "--no-package-lock", "--omit=dev", ...specs],
    { cwd: dir, stdio: ["ignore", "ignore", "pipe"] },
  );
  const modules = join(dir, "node_modules");
  const perPackage = {};
  for (const name of readdirSync(modules)) {
    if (name.startsWith(".")) continue;
    const names = name.startsWith("@")
      ? readdirSync(join(modules, name)).map((n) => `${name}/${n}`)
      : [name];
    for (const n of names) perPackage[n] = bytes(join(modules, n));
  }
  return { total: bytes(modules), perPackage };
}

const kb = (n) => `${(n / 1024).toFixed(0)} KB`;
const mb = (n) => `${(n / 1024 / 1024).toFixed(2)} MB`;

const packs = mkdtempSync(join(tmpdir(), "unpod-packs-"));
dirs.push(packs);
try {
  for (const pkg of ["core", "node"]) {
    execFileSync("pnpm", ["pack", "--pack-destination", packs], {
      cwd: resolve(here, "..", pkg),
      stdio: "ignore",
    });
  }
  const tarballs = readdirSync(packs).map((f) => join(packs, f));
  let ours;
  try {
    ours = install(tarballs);
  } catch (error) {
    console.log(`footprint: skipped (npm install failed: ${String(error.stderr ?? error).trim()})`);
  }
  if (ours) report(ours);
} finally {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
}

function report(ours) {
  console.log("installed footprint of @unpod/node (npm install of the packed tarballs):");
  for (const [name, size] of Object.entries(ours.perPackage).sort((a, b) => b[1] - a[1])) {
    console.log(`  ${name.padEnd(20)} ${kb(size).padStart(8)}`);
  }
  const verdict = ours.total <= TARGET ? "target ≤ 1.5 MB met" : "target ≤ 1.5 MB NOT met";
  console.log(`  ${"total".padEnd(20)} ${mb(ours.total).padStart(8)}   (${verdict})`);

  const catalog = readFileSync(resolve(here, "../../pnpm-workspace.yaml"), "utf8");
  const range = /livekit-server-sdk:\s*(\S+)/.exec(catalog)?.[1] ?? "latest";
  try {
    const peer = install([`livekit-server-sdk@${range}`]);
    console.log(
      `livekit-server-sdk@${range}: ${mb(peer.total)}  →  @unpod/node is ${(
        (100 * ours.total) / peer.total
      ).toFixed(0)}% of it`,
    );
  } catch {
    console.log(`livekit-server-sdk@${range}: skipped (npm install failed)`);
  }
}
