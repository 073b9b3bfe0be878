import { UnpodArgumentError } from "@unpod/core";
import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { startDevServer } from "../src/index.js";
import { api } from "./helpers.js";

describe("defaults", () => {
  // The defaults without credentials in the environment (see env.test.ts for those).
  beforeEach(() => {
    for (const name of ["API_TOKEN", "API_KEY", "API_SECRET", "ORG_HANDLE", "PRODUCT_ID"]) {
      vi.stubEnv(`UNPOD_${name}`, undefined);
    }
  });
  afterEach(() => {
    vi.unstubAllEnvs();
  });
  test("zero config: loopback, free port, fresh dev credentials per start", async () => {
    const a = await startDevServer();
    const b = await startDevServer();
    try {
      expect(a.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(a.apiUrl).toBe(`${a.url}/api/v2/platform/`);
      expect(a.rtcUrl).toBe(a.url.replace("http:", "ws:"));
      expect(a.credentials.apiToken).toMatch(/^[0-9a-f]{40}$/);
      expect(a.credentials.apiKey).toMatch(/^API[A-Za-z0-9]{12}$/);
      expect(new TextEncoder().encode(a.credentials.apiSecret).length).toBeGreaterThanOrEqual(32);
      expect(a.credentials.orgHandle).toBe("unpod-dev");
      expect(a.credentials.productId).toBe("unpod.dev");
      expect(a.adminSecret).toMatch(/^[0-9a-f]{48}$/);
      expect(b.credentials.apiToken).not.toBe(a.credentials.apiToken);
      expect(b.credentials.apiSecret).not.toBe(a.credentials.apiSecret);
      expect(b.url).not.toBe(a.url);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
  test("given credentials and handles are used", async () => {
    const s = await startDevServer({
      apiTokens: ["t0ken"],
      keys: { mykey: "m".repeat(32) },
      orgHandle: "my-org",
      productId: "my.product",
    });
    try {
      expect({ ...s.credentials }).toEqual({
        apiToken: "t0ken",
        apiKey: "mykey",
        apiSecret: "m".repeat(32),
        orgHandle: "my-org",
        productId: "my.product",
      });
      const r = await api(s, "call-logs/");
      expect(r.status).toBe(200);
      expect(r.json.count).toBe(30);
    } finally {
      await s.close();
    }
  });
  test("close() is idempotent and frees the port", async () => {
    const s = await startDevServer();
    const port = Number(new URL(s.url).port);
    await Promise.all([s.close(), s.close()]);
    const again = await startDevServer({ port });
    expect(again.url).toBe(s.url);
    await again.close();
  });
  test("a taken port fails with the listen error", async () => {
    const s = await startDevServer();
    try {
      await expect(startDevServer({ port: Number(new URL(s.url).port) })).rejects.toMatchObject({
        code: "EADDRINUSE",
      });
    } finally {
      await s.close();
    }
  });
});

describe("bad options throw UnpodArgumentError naming the option", () => {
  const cases: [string, Record<string, unknown>][] = [
    ["port", { port: -1 }],
    ["port", { port: 1.5 }],
    ["host", { host: "" }],
    ["apiTokens", { apiTokens: [] }],
    ["apiTokens[0]", { apiTokens: ["has space"] }],
    ["keys", { keys: {} }],
    ['keys["k"]', { keys: { k: "short" } }],
    ["orgHandle", { orgHandle: "bad handle" }],
    ["resumeWindow", { resumeWindow: "soon" }],
    ["idleTimeout", { idleTimeout: 0 }],
    ["clockTolerance", { clockTolerance: 301 }],
    ["faults", { faults: "yes" }],
    ["clock", { clock: { now: () => 0 } }],
    ["maxBodySize", { maxBodySize: 0 }],
    ["env", { env: "UNPOD_API_KEY=x" }],
  ];
  test.each(cases)("%s", async (option, options) => {
    const error = await startDevServer(options as never).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnpodArgumentError);
    expect((error as UnpodArgumentError).option).toBe(option);
  });
});
