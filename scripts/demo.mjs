#!/usr/bin/env node
// `pnpm demo`: build what the demo needs, start the dev server (faults on, loopback only),
// the example agent (a TypeScript AgentRunner: the demo's replies come from it), the example
// backend and the example app, print ONE URL, and stop everything on Ctrl+C / SIGTERM.
//
//   node scripts/demo.mjs [--no-build] [--port <n>] [--verbose]
//
//   --no-build   use the dist/ folders as they are (the e2e test does; CI built them)
//   --port <n>   port of the app (default 5173, or a free one when 5173 is taken; 0 = any)
//   --verbose    show the logs of the four processes
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const started = performance.now();
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const HOST = "127.0.0.1";

const { values: args } = parseArgs({
  options: {
    "no-build": { type: "boolean" },
    port: { type: "string" },
    verbose: { type: "boolean" },
    help: { type: "boolean", short: "h" },
  },
});
if (args.help) {
  console.log("Usage: pnpm demo [--no-build] [--port <n>] [--verbose]");
  process.exit(0);
}
const wantedPort = args.port === undefined ? undefined : Number(args.port);
if (
  wantedPort !== undefined &&
  !(Number.isSafeInteger(wantedPort) && wantedPort >= 0 && wantedPort < 65536)
) {
  console.error(`demo: --port must be 0 … 65535, got ${args.port}`);
  process.exit(2);
}

/** @type {{ name: string; child: import("node:child_process").ChildProcess; tail: string[] }[]} */
const children = [];
let stopping = false;

const say = (text) => console.log(`[demo] ${text}`);

/** Starts a long-running child; its output is kept (last 40 lines) for when it fails. */
function start(name, file, argv, options = {}) {
  const inherited = Object.entries(process.env).filter(
    ([name]) => !options.dropPrefix || !name.startsWith(options.dropPrefix),
  );
  const child = spawn(process.execPath, [file, ...argv], {
    cwd: options.cwd ?? ROOT,
    env: { ...Object.fromEntries(inherited), ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const entry = { name, child, tail: [] };
  const keep = (chunk) => {
    for (const line of String(chunk).split("\n")) {
      if (!line) continue;
      entry.tail.push(line);
      if (entry.tail.length > 40) entry.tail.shift();
      if (args.verbose) console.log(`[${name}] ${line}`);
    }
  };
  child.stdout.on("data", keep);
  child.stderr.on("data", keep);
  child.on("exit", (code, signal) => {
    if (stopping) return;
    console.error(`[demo] ${name} stopped unexpectedly (${signal ?? `exit ${code}`}):`);
    for (const line of entry.tail) console.error(`  ${line}`);
    void stop(1);
  });
  children.push(entry);
  return child;
}

/** Resolves with the first stdout line matching `re` (its match), or rejects when the child exits. */
function waitForLine(child, re, what) {
  return new Promise((resolveLine, reject) => {
    let buffered = "";
    const onData = (chunk) => {
      buffered += String(chunk);
      const match = buffered.match(re);
      if (match) {
        child.stdout.off("data", onData);
        resolveLine(match);
      }
    };
    child.stdout.on("data", onData);
    child.once("exit", () => reject(new Error(`${what} exited before it was ready`)));
  });
}

/** Polls `url` until it answers 2xx. */
async function waitForHttp(url, what, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      if (res.ok) return;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) throw new Error(`${what} did not answer at ${url}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A free TCP port on the loopback interface (`preferred` when it is free). */
function freePort(preferred = 0) {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once("error", (error) => {
      if (preferred !== 0) resolvePort(freePort(0));
      else reject(error);
    });
    server.listen(preferred, HOST, () => {
      const { port } = server.address();
      server.close(() => resolvePort(port));
    });
  });
}

/** Runs a command to completion, output shown; rejects on failure. */
function run(command, argv) {
  return new Promise((resolveRun, reject) => {
    const child = spawn(command, argv, {
      cwd: ROOT,
      stdio: "inherit",
      env: { ...process.env, TURBO_TELEMETRY_DISABLED: "1" },
    });
    child.on("error", reject);
    child.on("exit", (code) =>
      code === 0 ? resolveRun() : reject(new Error(`${command} exited with ${code}`)),
    );
  });
}

async function stop(code) {
  if (stopping) return;
  stopping = true;
  await Promise.all(
    children.map(
      ({ child }) =>
        new Promise((done) => {
          if (child.exitCode !== null || child.signalCode !== null) return done();
          const kill = setTimeout(() => child.kill("SIGKILL"), 5_000);
          child.once("exit", () => {
            clearTimeout(kill);
            done();
          });
          child.kill("SIGTERM");
        }),
    ),
  );
  process.exit(code);
}

for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) {
  process.on(signal, () => {
    if (!stopping) say("stopping…");
    void stop(0);
  });
}

async function main() {
  if (!args["no-build"]) {
    say("building the packages and the example app (turbo; cached after the first run)…");
    const turbo = join(
      ROOT,
      "node_modules",
      ".bin",
      process.platform === "win32" ? "turbo.cmd" : "turbo",
    );
    await run(turbo, [
      "run",
      "build",
      "--filter=@unpod/example-react...",
      "--filter=@unpod/example-agent...",
      "--output-logs=errors-only",
    ]);
  }
  const devCli = join(ROOT, "packages/dev-server/dist/cli.js");
  const backendJs = join(ROOT, "apps/example-backend/dist/server.js");
  const appDist = join(ROOT, "apps/example-react/dist/index.html");
  const agentJs = join(ROOT, "apps/example-agent/dist/main.js");
  for (const file of [devCli, backendJs, appDist, agentJs]) {
    if (!existsSync(file)) throw new Error(`${file} is missing: run without --no-build`);
  }

  // 1. The dev server, with fault injection for the drop button (loopback only).
  say("starting the dev server, the example agent, the example backend and the example app…");
  const dev = start("dev-server", devCli, ["--port", "0", "--host", HOST, "--json", "--faults"], {
    // Fault injection is refused under NODE_ENV=production.
    env: { NODE_ENV: "development" },
    // Fresh credentials whatever the shell holds (the dev server would take UNPOD_* from it):
    // the demo hands them to the backend itself.
    dropPrefix: "UNPOD_",
  });
  const [line] = await waitForLine(dev, /^\{.*\}$/m, "the dev server");
  const { rtcUrl, apiUrl, credentials, adminSecret } = JSON.parse(line);

  // 1b. The example agent: an AgentRunner registered as `dev-agent`, the agent of the dev
  //     server's fixture pipe, so every demo session is answered by it.
  const agent = start("example-agent", agentJs, [], {
    env: {
      UNPOD_API_TOKEN: credentials.apiToken,
      UNPOD_ORG_HANDLE: credentials.orgHandle,
      UNPOD_BASE_URL: apiUrl,
    },
    dropPrefix: "UNPOD_",
  });
  const agentReady = waitForLine(agent, /example-agent registered/, "the example agent");

  // 2. Ports for the backend and the app, chosen up front: each must know the other's origin.
  const appPort = await freePort(wantedPort ?? 5173);
  const backendPort = await freePort();
  const appUrl = `http://${HOST}:${appPort}/`;
  const backendUrl = `http://${HOST}:${backendPort}`;

  // 3. The example backend: signs tokens with the dev server's API key pair and proxies the
  //    drop button with its admin secret (which never reaches the browser).
  start("example-backend", backendJs, [], {
    env: {
      UNPOD_API_KEY: credentials.apiKey,
      UNPOD_API_SECRET: credentials.apiSecret,
      UNPOD_SERVER_URL: rtcUrl,
      UNPOD_DEV_ADMIN_SECRET: adminSecret,
      HOST,
      PORT: String(backendPort),
      EXAMPLE_ALLOWED_ORIGINS: `http://${HOST}:${appPort},http://localhost:${appPort}`,
      // Short, so the page shows the server pushing a fresh token (at 3/4 of its life).
      EXAMPLE_TOKEN_TTL: "2m",
    },
  });

  // 4. The built app, served by `vite preview`.
  const require = createRequire(join(ROOT, "apps/example-react/package.json"));
  const viteBin = join(dirname(require.resolve("vite/package.json")), "bin", "vite.js");
  start(
    "example-app",
    viteBin,
    ["preview", "--host", HOST, "--port", String(appPort), "--strictPort"],
    { cwd: join(ROOT, "apps/example-react"), env: { EXAMPLE_BACKEND_URL: backendUrl } },
  );

  // The dev server is listening once it has printed its JSON line.
  await Promise.all([
    agentReady,
    waitForHttp(`${backendUrl}/api/health`, "the example backend"),
    waitForHttp(appUrl, "the example app"),
  ]);
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(
    `\n  Unpod demo ready in ${seconds} s. Open:\n\n    ${appUrl}\n\n  Ctrl+C stops it.\n`,
  );
}

main().catch((error) => {
  console.error(`[demo] ${error.message}`);
  void stop(1);
});
