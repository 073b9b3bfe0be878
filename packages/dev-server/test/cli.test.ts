import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { once } from "node:events";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { describe, expect, test } from "vitest";

const BIN = join(import.meta.dirname, "..", "dist", "cli.js");

function run(args: string[]): {
  child: ChildProcess;
  firstLine: Promise<string>;
  stdout: () => string;
  stderr: () => string;
} {
  // Without UNPOD_* from the shell: these tests check the fresh credentials (env.test.ts
  // covers credentials from the environment).
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !name.startsWith("UNPOD_")),
  );
  const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  let err = "";
  child.stdout?.on("data", (d) => {
    out += d;
  });
  child.stderr?.on("data", (d) => {
    err += d;
  });
  const rl = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const firstLine = new Promise<string>((resolve, reject) => {
    rl.once("line", resolve);
    child.once("exit", (code) => reject(new Error(`exited ${code}: ${err}`)));
  });
  return { child, firstLine, stdout: () => out, stderr: () => err };
}

async function exitCode(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return child.exitCode;
  const [code] = await once(child, "exit");
  return code as number | null;
}

// Each test starts node processes: room for a loaded 2-core runner (not timing tests).
describe("unpod-dev-server (the built bin)", { timeout: 60_000 }, () => {
  test("--json: prints URLs and credentials that work, and stops cleanly on SIGTERM", async () => {
    const p = run(["--port", "0", "--json"]);
    const info = JSON.parse(await p.firstLine);
    expect(info.apiUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/v2\/platform\/$/);
    expect(info.credentials.apiToken).toMatch(/^[0-9a-f]{40}$/);
    const res = await fetch(`${info.apiUrl}organizations/`, {
      headers: { Authorization: `Token ${info.credentials.apiToken}` },
    });
    expect(res.status).toBe(200);
    p.child.kill("SIGTERM");
    expect(await exitCode(p.child)).toBe(0);
    await expect(fetch(`${info.apiUrl}organizations/`)).rejects.toThrow();
  });

  test("text mode: prints the URL and every credential; SIGINT stops it", async () => {
    const p = run(["-p", "0", "--org-handle", "cli-org"]);
    const first = await p.firstLine;
    expect(first).toMatch(/^Unpod dev server listening on http:\/\/127\.0\.0\.1:\d+$/);
    await new Promise((r) => setTimeout(r, 100));
    const out = p.stdout();
    for (const key of [
      "UNPOD_API_TOKEN=",
      "UNPOD_API_KEY=API",
      "UNPOD_API_SECRET=",
      "UNPOD_ORG_HANDLE=cli-org",
      "UNPOD_PRODUCT_ID=unpod.dev",
    ]) {
      expect(out).toContain(key);
    }
    p.child.kill("SIGINT");
    expect(await exitCode(p.child)).toBe(0);
  });

  test("bad flags exit 2 with the usage; refused options exit 1", () => {
    const bad = spawnSync(process.execPath, [BIN, "--port", "http"], { encoding: "utf8" });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/--port must be an integer/);
    const unknown = spawnSync(process.execPath, [BIN, "--nope"], { encoding: "utf8" });
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/Usage: unpod-dev-server/);
    const faults = spawnSync(
      process.execPath,
      [BIN, "--port", "0", "--faults", "--host", "0.0.0.0"],
      { encoding: "utf8" },
    );
    expect(faults.status).toBe(1);
    expect(faults.stderr).toMatch(/faults: fault injection only runs on a loopback host/);
    const help = spawnSync(process.execPath, [BIN, "--help"], { encoding: "utf8" });
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/--port/);
  });
});

describe("curl against the server", { timeout: 60_000 }, () => {
  test("a plain curl run gets the platform's answers", async () => {
    const p = run(["--port", "0", "--json"]);
    try {
      const info = JSON.parse(await p.firstLine);
      const c = info.credentials;
      const curl = (...args: string[]) =>
        new Promise<string>((resolve, reject) => {
          const child = spawn("curl", ["-sS", "-i", "--max-time", "5", ...args]);
          let out = "";
          child.stdout.on("data", (d) => {
            out += d;
          });
          child.on("error", reject);
          child.on("exit", (code) =>
            code === 0 ? resolve(out) : reject(new Error(`curl exited ${code}`)),
          );
        });
      const ok = await curl(
        "-H",
        `Authorization: Token ${c.apiToken}`,
        "-H",
        `Org-Handle: ${c.orgHandle}`,
        `${info.apiUrl}spaces/`,
      );
      expect(ok, ok).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
      expect(ok).toMatch(/\r\ncontent-type: application\/json\r\n/i);
      expect(ok).toContain('"message":"Spaces fetched successfully"');
      const denied = await curl(`${info.apiUrl}spaces/`);
      expect(denied, denied).toMatch(/^HTTP\/1\.1 401 Unauthorized\r\n/);
      expect(
        denied.endsWith(
          '{"status_code":401,"message":"Authentication credentials were not provided."}',
        ),
      ).toBe(true);
      const redirect = await curl(
        "-H",
        `Authorization: Token ${c.apiToken}`,
        `${info.apiUrl}organizations`,
      );
      expect(redirect, redirect).toMatch(/^HTTP\/1\.1 301 Moved Permanently\r\n/);
      expect(redirect).toMatch(/\r\nlocation: \/api\/v2\/platform\/organizations\/\r\n/i);
      const refused = await curl(`${info.url}/v1/rtc/validate?access_token=nope`);
      expect(refused, refused).toMatch(/^HTTP\/1\.1 401 /);
      const body = refused.slice(refused.indexOf("\r\n\r\n") + 4);
      expect(JSON.parse(body)).toEqual({
        status_code: 401,
        message: "Invalid token.",
        reason: "malformed",
        hint: expect.stringMatching(/compact JWT/),
      });
    } finally {
      p.child.kill("SIGTERM");
      await exitCode(p.child);
    }
  });
});
