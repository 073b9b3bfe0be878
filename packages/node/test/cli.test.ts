// The `unpod` CLI, spawned from the BUILT bin (dist/cli.js), as a user would run it.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { decodeToken } from "@unpod/core";
import { beforeAll, describe, expect, it } from "vitest";
import { TokenVerifier } from "../src/index.js";
import { PACKAGE_VERSION } from "../src/internal/version.js";
import { CLAIMS, craft, HS256, SECRET1, SECRET2 } from "./tokenCorpus.js";

const pkgUrl = new URL("../package.json", import.meta.url);
const pkg = JSON.parse(readFileSync(pkgUrl, "utf8")) as { version: string; bin: { unpod: string } };
const bin = fileURLToPath(new URL(`../${pkg.bin.unpod}`, import.meta.url));
const CREDS = { UNPOD_API_KEY: "k1", UNPOD_API_SECRET: SECRET1 };

function unpod(args: string[], options: { env?: Record<string, string>; input?: string } = {}) {
  const env: Record<string, string | undefined> = {
    ...process.env,
    UNPOD_API_KEY: undefined,
    UNPOD_API_SECRET: undefined,
    ...options.env,
  };
  for (const k of Object.keys(env)) if (env[k] === undefined) delete env[k];
  const r = spawnSync(process.execPath, [bin, ...args], {
    env,
    input: options.input ?? "",
    encoding: "utf8",
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(() => {
  if (!existsSync(bin)) throw new Error("run `pnpm --filter @unpod/node build` first");
});

describe("unpod CLI", () => {
  it("is executable with a node shebang", () => {
    expect(readFileSync(bin, "utf8").startsWith("#!/usr/bin/env node")).toBe(true);
  });

  it("prints its version, equal to package.json's", () => {
    expect(PACKAGE_VERSION).toBe(pkg.version);
    expect(unpod(["--version"])).toMatchObject({ code: 0, stdout: `${pkg.version}\n` });
  });

  it.each([
    [[], "unpod token create"],
    [["--help"], "unpod token create"],
    [["token"], "create   mint"],
    [["token", "--help"], "create   mint"],
    [["token", "create", "--help"], "--can-publish"],
    [["token", "decode", "--help"], "WITHOUT checking"],
    [["token", "verify", "--help"], "--ignore-expiration"],
  ])("help: unpod %j", (args, text) => {
    const r = unpod(args);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(text);
  });

  it("token create prints a token that verifies, with the grants from the flags", async () => {
    const r = unpod(
      [
        "token",
        "create",
        "-i",
        "alice",
        "-r",
        "support",
        "--ttl",
        "10m",
        "--name",
        "Alice",
        "--can-publish",
        "--no-can-subscribe",
        "--can-publish-data",
        "--sources",
        "camera,microphone",
        "--attribute",
        "tier=gold",
        "--attribute",
        "eq=a=b",
        "--sip-call",
      ],
      { env: CREDS },
    );
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const jwt = r.stdout.trim();
    const claims = await new TokenVerifier({ keys: { k1: SECRET1 } }).verify(jwt);
    expect(claims).toMatchObject({
      iss: "k1",
      sub: "alice",
      name: "Alice",
      attributes: { tier: "gold", eq: "a=b" },
      video: {
        room: "support",
        roomJoin: true,
        canPublish: true,
        canSubscribe: false,
        canPublishData: true,
        canPublishSources: ["camera", "microphone"],
      },
      sip: { call: true },
    });
    expect(claims.exp - (claims.nbf as number)).toBe(600);
  });

  it("token create takes credentials from flags, --ttl in seconds, and --json", () => {
    const r = unpod([
      "token",
      "create",
      "--api-key",
      "k2",
      "--api-secret",
      SECRET2,
      "-i",
      "bot",
      "--ttl",
      "90",
      "--json",
    ]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.header).toEqual({ alg: "HS256", typ: "JWT" });
    expect(out.claims).toMatchObject({ iss: "k2", sub: "bot" });
    expect(out.claims.exp - out.claims.nbf).toBe(90);
    expect(decodeToken(out.token).claims).toEqual(out.claims);
  });

  it.each([
    [["token", "create", "-r", "room"], CREDS, /identity: is required/],
    [["token", "create", "-i", "a"], {}, /UNPOD_API_KEY/],
    [["token", "create", "-i", "a", "--ttl", "0"], CREDS, /ttl: must be between/],
    [["token", "create", "-i", "a", "--ttl", "31d"], CREDS, /ttl: must be between 1 and 2592000/],
    [
      ["token", "create", "-i", "a", "--ttl", "1 year"],
      CREDS,
      /ttl: must be a number of seconds or a duration like "500ms"/,
    ],
    [
      ["token", "create", "-i", "a", "--api-secret", "too-short"],
      { UNPOD_API_KEY: "k" },
      /apiSecret: is 9 bytes/,
    ],
    [["token", "create", "--sources", "webcam"], CREDS, /canPublishSources/],
    [["token", "create", "--bogus"], CREDS, /Unknown option '--bogus'/],
    [["token", "create", "--join", "--no-join"], CREDS, /contradict/],
    [["token", "mint"], CREDS, /unknown command "token mint"/],
    [["tokens"], CREDS, /unknown command "tokens"/],
  ])("token create refuses %j with exit 2 and a clear message", (args, env, message) => {
    const r = unpod(args, { env });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toContain("too-short");
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  it("token decode prints header and claims without verifying", () => {
    const jwt = craft(HS256, CLAIMS, "any-secret-at-all-not-the-configured-one");
    const r = unpod(["token", "decode", jwt]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ header: HS256, claims: CLAIMS });
    expect(r.stderr).toContain("NOT verified");
    const piped = unpod(["token", "decode", "-"], { input: `${jwt}\n` });
    expect(JSON.parse(piped.stdout).claims).toEqual(CLAIMS);
    const bad = unpod(["token", "decode", "not.a-token"]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/not a token: .*malformed/);
  });

  it("token verify: exit 0 for a good token, 1 with the reason for a bad one", () => {
    const now = Math.floor(Date.now() / 1000);
    const good = craft(HS256, { ...CLAIMS, nbf: now, exp: now + 600 });
    const ok = unpod(["token", "verify", good], { env: CREDS });
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ sub: "alice" });
    expect(ok.stderr).toMatch(/^valid: signed by "k1" for "alice"/);
    expect(unpod(["token", "verify", "-", "--quiet"], { env: CREDS, input: good })).toMatchObject({
      code: 0,
      stdout: "",
    });

    const forged = craft(HS256, { ...CLAIMS, nbf: now, exp: now + 600 }, SECRET2);
    const r1 = unpod(["token", "verify", forged], { env: CREDS });
    expect(r1.code).toBe(1);
    expect(r1.stdout).toBe("");
    expect(r1.stderr).toMatch(/token refused: .*\[invalid_token: bad_signature\]/);

    const expired = craft(HS256, { ...CLAIMS, nbf: now - 7200, exp: now - 3600 });
    const r2 = unpod(["token", "verify", expired], { env: CREDS });
    expect(r2.code).toBe(1);
    expect(r2.stderr).toMatch(
      /\[token_expired: expired, claim exp\] It expired at \S+ \(60m ago\)/,
    );
    expect(unpod(["token", "verify", expired, "--ignore-expiration"], { env: CREDS }).code).toBe(0);

    const r3 = unpod(["token", "verify", good], {
      env: { UNPOD_API_KEY: "k9", UNPOD_API_SECRET: SECRET1 },
    });
    expect(r3.code).toBe(1);
    expect(r3.stderr).toMatch(/unknown_key.*It names API key "k1"/);

    const r4 = unpod(["token", "verify", "garbage"], { env: CREDS });
    expect(r4.code).toBe(1);
    expect(r4.stderr).toMatch(/malformed/);
    for (const r of [ok, r1, r2, r3, r4]) expect(r.stdout + r.stderr).not.toContain(SECRET1);
  });

  it("token verify needs credentials and a bounded tolerance (exit 2)", () => {
    const jwt = craft(HS256, CLAIMS);
    expect(unpod(["token", "verify", jwt])).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/missing --api-key/),
    });
    expect(
      unpod(["token", "verify", jwt, "--clock-tolerance", "1h"], { env: CREDS }),
    ).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/clockTolerance: must be between 0 and 300/),
    });
    expect(unpod(["token", "verify"], { env: CREDS, input: "" })).toMatchObject({ code: 1 });
  });
});
