// Credentials from the environment: startDevServer's `env` (default process.env) and the
// CLI's environment and --dotenv. Precedence: options/flags > environment > env file >
// fresh random values.
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseEnv } from "node:util";
import { UnpodArgumentError } from "@unpod/core";
import { afterAll, afterEach, describe, expect, test, vi } from "vitest";
import { startDevServer } from "../src/index.js";
import { api, mint, validate } from "./helpers.js";

const BIN = join(import.meta.dirname, "..", "dist", "cli.js");
const SECRET = "s3cret-from-the-env-0123456789abcdef";
const ENV = {
  UNPOD_API_TOKEN: "0123456789abcdef0123456789abcdef01234567",
  UNPOD_API_KEY: "APIfromEnv",
  UNPOD_API_SECRET: SECRET,
  UNPOD_ORG_HANDLE: "env-org",
  UNPOD_PRODUCT_ID: "env.product",
};
const CREDENTIALS = {
  apiToken: ENV.UNPOD_API_TOKEN,
  apiKey: ENV.UNPOD_API_KEY,
  apiSecret: SECRET,
  orgHandle: "env-org",
  productId: "env.product",
};

afterEach(() => {
  vi.unstubAllEnvs();
});

describe("startDevServer reads UNPOD_* credentials", () => {
  test("from `env`: the REST API and the real-time endpoint accept them", async () => {
    const s = await startDevServer({ env: ENV });
    try {
      expect({ ...s.credentials }).toEqual(CREDENTIALS);
      const spaces = await api(s, "spaces/");
      expect(spaces.status).toBe(200);
      const token = await mint(s);
      expect((await validate(s, { access_token: token })).status).toBe(200);
    } finally {
      await s.close();
    }
  });

  test("from process.env by default, so a restarted server accepts the backend's tokens", async () => {
    for (const [name, value] of Object.entries(ENV)) vi.stubEnv(name, value);
    const first = await startDevServer();
    const token = await mint(first); // what the backend minted before the restart
    await first.close();
    const second = await startDevServer();
    try {
      expect({ ...second.credentials }).toEqual(CREDENTIALS);
      expect(await validate(second, { access_token: token })).toEqual({
        status: 200,
        json: { status_code: 200, message: "OK" },
      });
    } finally {
      await second.close();
    }
  });

  test("options win over the environment, which wins over the defaults", async () => {
    const s = await startDevServer({
      env: ENV,
      apiTokens: ["from-option"],
      keys: { APIfromOption: "o".repeat(32) },
      orgHandle: "option-org",
    });
    try {
      expect({ ...s.credentials }).toEqual({
        apiToken: "from-option",
        apiKey: "APIfromOption",
        apiSecret: "o".repeat(32),
        orgHandle: "option-org",
        productId: "env.product", // not given as an option: the environment's
      });
    } finally {
      await s.close();
    }
  });

  test("env: false and empty values mean fresh credentials", async () => {
    for (const [name, value] of Object.entries(ENV)) vi.stubEnv(name, value);
    const ignored = await startDevServer({ env: false });
    const empty = await startDevServer({
      env: { UNPOD_API_TOKEN: "", UNPOD_API_KEY: "", UNPOD_API_SECRET: "" },
    });
    try {
      for (const s of [ignored, empty]) {
        expect(s.credentials.apiToken).toMatch(/^[0-9a-f]{40}$/);
        expect(s.credentials.apiKey).toMatch(/^API[A-Za-z0-9]{12}$/);
        expect(s.credentials.orgHandle).toBe("unpod-dev");
      }
    } finally {
      await Promise.all([ignored.close(), empty.close()]);
    }
  });

  test.each([
    ["UNPOD_API_SECRET", { UNPOD_API_KEY: "APIalone" }, /required when UNPOD_API_KEY is set/],
    ["UNPOD_API_KEY", { UNPOD_API_SECRET: SECRET }, /required when UNPOD_API_SECRET is set/],
    ["UNPOD_API_SECRET", { UNPOD_API_KEY: "k", UNPOD_API_SECRET: "short-secret" }, /32 bytes/],
    ["UNPOD_API_TOKEN", { UNPOD_API_TOKEN: "has a space" }, /visible ASCII/],
    ["UNPOD_ORG_HANDLE", { UNPOD_ORG_HANDLE: "bad handle" }, /must be a string matching/],
  ])(
    "a bad %s is an UnpodArgumentError naming the variable, not its value",
    async (option, env, message) => {
      const error = await startDevServer({ env }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UnpodArgumentError);
      expect(error).toMatchObject({ option, message: expect.stringMatching(message) });
      expect((error as Error).message).not.toContain(SECRET);
      expect((error as Error).message).not.toContain("short-secret");
    },
  );
});

// Each test starts node processes: room for a loaded 2-core runner (not timing tests).
describe("unpod-dev-server reads them from the environment and --dotenv", {
  timeout: 60_000,
}, () => {
  const dir = mkdtempSync(join(tmpdir(), "unpod-dev-env-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** The process environment without any UNPOD_* variable, plus `extra`. */
  const cleanEnv = (extra: Record<string, string> = {}) => {
    const env: Record<string, string | undefined> = { ...process.env };
    for (const name of Object.keys(env)) if (name.startsWith("UNPOD_")) delete env[name];
    return { ...env, ...extra };
  };

  /** Starts the CLI; resolves with everything it printed up to "Press Ctrl+C", then stops it. */
  function runUntilReady(args: string[], env: Record<string, string | undefined>) {
    return new Promise<{ stdout: string; stderr: string }>((resolve, reject) => {
      const child = spawn(process.execPath, [BIN, "--port", "0", ...args], {
        env,
        stdio: ["ignore", "pipe", "pipe"],
      });
      let stdout = "";
      let stderr = "";
      child.stderr.on("data", (d) => {
        stderr += d;
      });
      let stopped = false;
      child.stdout.on("data", (d) => {
        stdout += d;
        if (!stopped && /Press Ctrl\+C to stop\.|^\{.*\}\n/m.test(stdout)) {
          stopped = true;
          child.kill("SIGTERM");
        }
      });
      child.on("exit", (code, signal) =>
        code === 0
          ? resolve({ stdout, stderr })
          : reject(new Error(`exit ${code ?? signal}: ${stderr}${stdout}`)),
      );
    });
  }

  test("UNPOD_* in the environment: used, and the secrets are not printed again", async () => {
    const json = await runUntilReady(["--json"], cleanEnv(ENV));
    expect(JSON.parse(json.stdout).credentials).toEqual(CREDENTIALS);
    const text = await runUntilReady([], cleanEnv(ENV));
    expect(text.stdout).toContain("UNPOD_API_KEY=APIfromEnv\n");
    expect(text.stdout).toContain("UNPOD_API_SECRET=(from the environment)\n");
    expect(text.stdout).toContain("UNPOD_API_TOKEN=(from the environment)\n");
    expect(text.stdout).not.toContain(SECRET);
    expect(text.stdout).not.toMatch(/new on every start/);
  });

  test("without them, it says the credentials are new on every start and how to keep them", async () => {
    const { stdout } = await runUntilReady([], cleanEnv());
    expect(stdout).toMatch(/UNPOD_API_SECRET=[A-Za-z0-9]{43}\n/);
    expect(stdout).toMatch(/new on every start[\s\S]*--dotenv \.env/);
  });

  test("--dotenv creates the file (0600) once, and the next start reuses it", async () => {
    const file = join(dir, "created.env");
    const first = await runUntilReady(["--dotenv", file], cleanEnv());
    expect(first.stdout).toContain(`Wrote them to ${file}`);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const written = parseEnv(readFileSync(file, "utf8"));
    expect(written).toMatchObject({
      UNPOD_API_TOKEN: expect.stringMatching(/^[0-9a-f]{40}$/),
      UNPOD_API_KEY: expect.stringMatching(/^API/),
      UNPOD_API_SECRET: expect.stringMatching(/^[A-Za-z0-9]{43}$/),
      UNPOD_ORG_HANDLE: "unpod-dev",
      UNPOD_PRODUCT_ID: "unpod.dev",
      UNPOD_BASE_URL: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/api\/v2\/platform\/$/),
      UNPOD_SERVER_URL: expect.stringMatching(/^ws:\/\/127\.0\.0\.1:\d+$/),
    });
    expect(first.stdout).toContain(`UNPOD_API_SECRET=${written.UNPOD_API_SECRET}\n`);

    const again = await runUntilReady(["--dotenv", file, "--json"], cleanEnv());
    expect(JSON.parse(again.stdout).credentials).toMatchObject({
      apiToken: written.UNPOD_API_TOKEN,
      apiKey: written.UNPOD_API_KEY,
      apiSecret: written.UNPOD_API_SECRET,
    });
    const text = await runUntilReady(["--dotenv", file], cleanEnv());
    expect(text.stdout).toContain(`UNPOD_API_SECRET=(from ${file})\n`);
    expect(text.stdout).not.toContain("Wrote them");
  });

  test("an existing --dotenv is read, never rewritten; the real environment wins over it", async () => {
    const file = join(dir, "existing.env");
    const content = `# my backend's .env\nDATABASE_URL=postgres://x\nUNPOD_API_KEY=APIfromFile\nUNPOD_API_SECRET='${"f".repeat(32)}'\nUNPOD_ORG_HANDLE=file-org\n`;
    writeFileSync(file, content);
    const { stdout } = await runUntilReady(
      ["--dotenv", file, "--json"],
      cleanEnv({ UNPOD_ORG_HANDLE: "shell-org" }),
    );
    expect(JSON.parse(stdout).credentials).toMatchObject({
      apiKey: "APIfromFile",
      apiSecret: "f".repeat(32),
      orgHandle: "shell-org",
    });
    expect(readFileSync(file, "utf8")).toBe(content);
  });

  test("flags win over both", async () => {
    const { stdout } = await runUntilReady(
      ["--json", "--api-key", "APIflag", "--api-secret", "g".repeat(32)],
      cleanEnv(ENV),
    );
    expect(JSON.parse(stdout).credentials).toMatchObject({
      apiKey: "APIflag",
      apiSecret: "g".repeat(32),
      apiToken: ENV.UNPOD_API_TOKEN,
    });
  });

  test("half a key pair in the environment exits 1 naming the missing variable", () => {
    const r = spawnSync(process.execPath, [BIN, "--port", "0"], {
      env: cleanEnv({ UNPOD_API_SECRET: SECRET }),
      encoding: "utf8",
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/UNPOD_API_KEY: is required when UNPOD_API_SECRET is set/);
    expect(r.stderr).not.toContain(SECRET);
  });
});
