// UnpodClient's options: environment fallbacks, validation naming the option, the HTTPS
// rule, the browser guard, and a token that never shows in JSON or inspect output.
import { readFileSync } from "node:fs";
import { inspect } from "node:util";
import { afterEach, describe, expect, test, vi } from "vitest";
import { DEFAULT_BASE_URL, UnpodClient, type UnpodClientOptions } from "../src/index.js";
import { PACKAGE_VERSION } from "../src/internal/version.js";
import { ok, rejection, scanForTokenAfterAll, startServer, TOKEN, track } from "./clientHarness.js";

scanForTokenAfterAll();

function argError(fn: () => unknown): { option: string; code: string; message: string } {
  try {
    fn();
  } catch (error) {
    track(error);
    return error as { option: string; code: string; message: string };
  }
  throw new Error("expected a throw");
}

afterEach(() => {
  vi.unstubAllEnvs();
});

describe("UnpodClient options", () => {
  test("reads UNPOD_API_TOKEN, UNPOD_ORG_HANDLE, UNPOD_PRODUCT_ID and UNPOD_BASE_URL", async () => {
    const server = await startServer([ok([], { count: 0 })]);
    vi.stubEnv("UNPOD_API_TOKEN", TOKEN);
    vi.stubEnv("UNPOD_ORG_HANDLE", "env-org");
    vi.stubEnv("UNPOD_PRODUCT_ID", "env-product");
    vi.stubEnv("UNPOD_BASE_URL", server.baseUrl);
    const client = new UnpodClient();
    expect(client.baseUrl).toBe(server.baseUrl);
    expect(client.orgHandle).toBe("env-org");
    expect(client.productId).toBe("env-product");
    await client.callLogs.list();
    const headers = server.received[0]?.headers;
    expect(headers?.authorization).toBe(`Token ${TOKEN}`);
    expect(headers?.["org-handle"]).toBe("env-org");
    expect(headers?.["product-id"]).toBe("env-product");
    await server.close();
  });

  test("options win over the environment", () => {
    vi.stubEnv("UNPOD_ORG_HANDLE", "env-org");
    vi.stubEnv("UNPOD_BASE_URL", "https://env.example/api/");
    const client = new UnpodClient({
      apiToken: TOKEN,
      orgHandle: "opt-org",
      baseUrl: "https://opt.example/x",
    });
    expect(client.orgHandle).toBe("opt-org");
    expect(client.baseUrl).toBe("https://opt.example/x/");
  });

  test("X-Unpod-SDK carries the package's version", () => {
    const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
    expect(PACKAGE_VERSION).toBe(pkg.version);
  });

  test("defaults to the platform's base URL", () => {
    vi.stubEnv("UNPOD_BASE_URL", "");
    expect(new UnpodClient({ apiToken: TOKEN }).baseUrl).toBe(DEFAULT_BASE_URL);
    expect(DEFAULT_BASE_URL).toBe("https://unpod.ai/api/v2/platform/");
  });

  test("no token at all is refused, naming apiToken and the variable", () => {
    vi.stubEnv("UNPOD_API_TOKEN", "");
    const error = argError(() => new UnpodClient());
    expect(error.option).toBe("apiToken");
    expect(error.message).toContain("UNPOD_API_TOKEN");
  });

  test("a token or scope value that cannot be sent as a header is refused up front", () => {
    expect(argError(() => new UnpodClient({ apiToken: "abc def" })).option).toBe("apiToken");
    expect(argError(() => new UnpodClient({ apiToken: `${TOKEN}\r\nX: y` })).option).toBe(
      "apiToken",
    );
    expect(argError(() => new UnpodClient({ apiToken: TOKEN, orgHandle: "a\nb" })).option).toBe(
      "orgHandle",
    );
    expect(
      argError(() => new UnpodClient({ apiToken: TOKEN, headers: { "X-A": "1\r\n2" } })).option,
    ).toBe("headers.X-A");
  });

  test.each<[UnpodClientOptions, string]>([
    [{ timeout: 0 }, "timeout"],
    [{ timeout: 30_000 }, "timeout"], // milliseconds by mistake: durations are seconds
    [{ timeout: "soon" }, "timeout"],
    [{ totalTimeout: -1 }, "totalTimeout"],
    [{ maxRetries: 1.5 }, "maxRetries"],
    [{ maxRetries: 11 }, "maxRetries"],
    [{ retry: { initialDelay: "1 fortnight" } }, "retry.initialDelay"],
    [{ retry: { maxRetryAfter: 7200 } }, "retry.maxRetryAfter"],
    [{ baseUrl: "not a url" }, "baseUrl"],
    [{ baseUrl: "ftp://unpod.ai/" }, "baseUrl"],
    [{ baseUrl: "https://user:pw@unpod.ai/" }, "baseUrl"],
    [{ baseUrl: "https://unpod.ai/api/?x=1" }, "baseUrl"],
    [{ fetch: "fetch" as unknown as typeof fetch }, "fetch"],
    [{ logger: "console" as unknown as Record<string, never> }, "logger"],
  ])("bad option %o is refused naming %s", (options, option) => {
    const error = argError(() => new UnpodClient({ apiToken: TOKEN, ...options }));
    expect(error.code).toBe("invalid_argument");
    expect(error.option).toBe(option);
  });

  test("durations accept seconds, fractions, ms and unit strings", () => {
    for (const timeout of [30, 0.25, "250ms", "30s", "2m"]) {
      expect(() => new UnpodClient({ apiToken: TOKEN, timeout })).not.toThrow();
    }
  });

  describe("HTTPS only", () => {
    test("plain http to a remote host is refused", () => {
      const error = argError(
        () => new UnpodClient({ apiToken: TOKEN, baseUrl: "http://unpod.ai/api/" }),
      );
      expect(error.option).toBe("baseUrl");
      expect(error.message).toContain("allowInsecure: true");
    });

    test.each([
      "http://127.0.0.1:8000/api/",
      "http://127.1.2.3/",
      "http://localhost:3000/",
      "http://[::1]:8000/",
      "http://[0:0:0:0:0:0:0:1]/",
    ])("loopback %s is allowed", (baseUrl) => {
      expect(new UnpodClient({ apiToken: TOKEN, baseUrl }).baseUrl.startsWith("http://")).toBe(
        true,
      );
    });

    test("allowInsecure opts in explicitly (allowInsecureHttp, deprecated, too)", () => {
      const baseUrl = "http://10.0.0.5/api/v2/platform";
      for (const insecure of [{ allowInsecure: true }, { allowInsecureHttp: true }]) {
        const client = new UnpodClient({ apiToken: TOKEN, baseUrl, ...insecure });
        expect(client.baseUrl).toBe("http://10.0.0.5/api/v2/platform/");
      }
      // The new name wins when both are given.
      const both = { allowInsecure: false, allowInsecureHttp: true };
      expect(argError(() => new UnpodClient({ apiToken: TOKEN, baseUrl, ...both })).option).toBe(
        "baseUrl",
      );
      const notBoolean = { allowInsecure: "yes" as unknown as boolean };
      expect(
        argError(() => new UnpodClient({ apiToken: TOKEN, baseUrl, ...notBoolean })).option,
      ).toBe("allowInsecure");
    });

    test("a request path cannot point somewhere else", async () => {
      const client = new UnpodClient({ apiToken: TOKEN });
      for (const path of [
        "https://evil.example/",
        "//evil.example/x",
        "spaces/../../x",
        "spaces/./x",
        "a?b=1",
      ]) {
        const error = await rejection(client.request("GET", path));
        expect(error.option).toBe("path");
      }
    });
  });

  describe("browser guard", () => {
    const g = globalThis as Record<string, unknown>;
    afterEach(() => {
      delete g.window;
      delete g.document;
    });

    test("refuses a browser page unless dangerouslyAllowBrowser", () => {
      g.window = {};
      g.document = {};
      const error = argError(() => new UnpodClient({ apiToken: TOKEN }));
      expect(error.option).toBe("dangerouslyAllowBrowser");
      expect(
        () => new UnpodClient({ apiToken: TOKEN, dangerouslyAllowBrowser: true }),
      ).not.toThrow();
    });

    test("does not read the environment in a browser page", () => {
      vi.stubEnv("UNPOD_API_TOKEN", TOKEN);
      g.window = {};
      g.document = {};
      expect(argError(() => new UnpodClient({ dangerouslyAllowBrowser: true })).option).toBe(
        "apiToken",
      );
    });
  });

  test("JSON.stringify and util.inspect never show the token", () => {
    const client = new UnpodClient({
      apiToken: TOKEN,
      orgHandle: "acme",
      headers: { "X-Team": "a" },
    });
    track(client);
    track(client.spaces);
    track(client.telephony);
    const json = JSON.parse(JSON.stringify(client));
    expect(json).toMatchObject({ orgHandle: "acme", apiToken: "[redacted]", headers: ["x-team"] });
    const shown = inspect(client, { depth: 10, showHidden: true });
    expect(shown).toContain("UnpodClient");
    expect(shown).toContain("[redacted]");
    expect(shown).not.toContain(TOKEN);
    expect(inspect(client.telephony.bridges, { showHidden: true })).not.toContain(TOKEN);
    expect(JSON.stringify(client.spaces)).toBe("{}");
  });
});
