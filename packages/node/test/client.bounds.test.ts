// Hostile and careless input to the REST client: huge bodies, secrets in the URL of a call
// that fails, paths that try to leave the API base, and base URLs that only look local.
// Real node:http servers on 127.0.0.1; memory is judged by what the server managed to
// send (what the client can have buffered), not by timing.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { inspect } from "node:util";
import { afterEach, describe, expect, test } from "vitest";
import { UnpodClient } from "../src/index.js";
import {
  client,
  ok,
  rejection,
  scanForTokenAfterAll,
  startServer,
  type TestServer,
  TOKEN,
} from "./clientHarness.js";

scanForTokenAfterAll();

const MiB = 1024 * 1024;

/**
 * A server that answers every request with `total` bytes of filler (spaces); `stats`
 * counts what the client accepted of the latest answer.
 */
async function hugeServer(total: number, declareLength: boolean) {
  const stats = { sent: 0, requests: 0, finished: false };
  const chunk = Buffer.alloc(MiB, 0x20);
  const server: Server = createServer((req, res) => {
    stats.requests++;
    stats.sent = 0;
    stats.finished = false;
    req.resume();
    res.writeHead(200, {
      "content-type": "application/json",
      ...(declareLength ? { "content-length": String(total) } : {}),
    });
    const pump = (): void => {
      while (stats.sent < total && !res.destroyed) {
        const ok = res.write(chunk, (error) => {
          if (!error) stats.sent += chunk.length;
        });
        if (!ok) {
          res.once("drain", pump);
          return;
        }
      }
      if (!res.destroyed) res.end(() => (stats.finished = true));
    };
    pump();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    stats,
    baseUrl: `http://127.0.0.1:${port}/api/v2/platform/`,
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const settle = () => new Promise((r) => setTimeout(r, 300));
const opened: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const s of opened.splice(0)) await s.close();
});

describe("response size limit", () => {
  test("a 200 MiB body declared by Content-Length is refused before it is read", async () => {
    const s = await hugeServer(200 * MiB, true);
    opened.push(s);
    const c = new UnpodClient({ apiToken: TOKEN, baseUrl: s.baseUrl, maxRetries: 0 });
    const error = await rejection(c.request("GET", "spaces/"));
    expect(error).toMatchObject({ name: "UnpodApiError", code: "response_too_large" });
    expect(error.message).toContain("maxResponseSize");
    await settle();
    // What the kernel and the HTTP stack buffer, nothing like 200 MiB.
    expect(s.stats.finished).toBe(false);
    expect(s.stats.sent).toBeLessThan(32 * MiB);
  });

  test("a 200 MiB chunked body is cut off at maxResponseSize, with bounded memory", async () => {
    const s = await hugeServer(200 * MiB, false);
    opened.push(s);
    const c = new UnpodClient({ apiToken: TOKEN, baseUrl: s.baseUrl, maxRetries: 0 });
    globalThis.gc?.();
    const rss = process.memoryUsage().rss;
    const error = await rejection(c.request("GET", "spaces/"));
    const grown = process.memoryUsage().rss - rss;
    expect(error).toMatchObject({ code: "response_too_large", status: 200 });
    await settle();
    expect(s.stats.finished).toBe(false);
    // The default limit is 32 MiB: the client stopped reading soon after it.
    expect(s.stats.sent).toBeLessThan(64 * MiB);
    expect(grown).toBeLessThan(200 * MiB);
  });

  test("maxResponseSize is configurable, per client and per call", async () => {
    const s = await hugeServer(4 * MiB, false);
    opened.push(s);
    const c = new UnpodClient({
      apiToken: TOKEN,
      baseUrl: s.baseUrl,
      maxRetries: 0,
      maxResponseSize: 64 * 1024,
    });
    expect((await rejection(c.request("GET", "spaces/"))).code).toBe("response_too_large");
    // 4 MiB of spaces is not JSON: read whole, then refused as such.
    const bigger = await rejection(c.request("GET", "spaces/", { maxResponseSize: 8 * MiB }));
    expect(bigger.code).toBe("http_error");
    const bad = await rejection(c.request("GET", "spaces/", { maxResponseSize: 0 }));
    expect(bad).toMatchObject({ name: "UnpodArgumentError", option: "maxResponseSize" });
  });
});

describe("no secret anywhere in an error's cause chain", () => {
  const A = "tok_9f8e7d6c5b4a39281706";
  const B = "sec_Zq9XkT4mWp7RvL2sNc8H";
  const query = { access_token: A, api_secret: B, page: 1 };

  /** Every rendering of the error and of each link of its cause chain. */
  function everything(error: unknown): string {
    const out: string[] = [];
    let link: unknown = error;
    for (let depth = 0; depth < 8 && link !== undefined && link !== null; depth++) {
      out.push(inspect(link, { depth: 20, showHidden: true, getters: true }), String(link));
      try {
        out.push(JSON.stringify(link) ?? "");
      } catch {
        // circular: inspect covers it
      }
      link = (link as { cause?: unknown }).cause;
    }
    return out.join("\n");
  }

  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  test("a timed-out call: inspected, with its whole cause chain", async () => {
    server = await startServer([{ stall: true }]);
    const error = await rejection(
      client(server, { timeout: "200ms" }).request("GET", "x/", { query }),
    );
    expect(error.code).toBe("timeout");
    const text = everything(error);
    expect(text).toContain("[redacted]");
    expect(text).not.toContain(A);
    expect(text).not.toContain(B);
  });

  test("a network error whose runtime error names the URL", async () => {
    server = await startServer([ok({})]);
    const leakyFetch = (input: RequestInfo | URL) =>
      Promise.reject(
        new TypeError("fetch failed", {
          cause: new Error(`connect ECONNRESET ${input instanceof Request ? input.url : input}`),
        }),
      );
    const error = await rejection(
      client(server, { fetch: leakyFetch, maxRetries: 0 }).request("GET", "x/", { query }),
    );
    expect(error.code).toBe("network_error");
    const text = everything(error);
    expect(text).not.toContain(A);
    expect(text).not.toContain(B);
  });

  test("the total deadline and the caller's abort", async () => {
    server = await startServer([{ stall: true }]);
    const c = client(server, { totalTimeout: "200ms" });
    const late = await rejection(c.request("GET", "x/", { query }));
    expect(late.code).toBe("timeout");
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const aborted = await rejection(
      client(server).request("GET", "x/", { query, signal: controller.signal }),
    );
    expect(aborted.code).toBe("aborted");
    for (const error of [late, aborted]) {
      const text = everything(error);
      expect(text).not.toContain(A);
      expect(text).not.toContain(B);
    }
  });
});

describe("request paths stay under the base URL", () => {
  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  test.each([
    "%2e%2e/%2e%2e/admin/",
    "%2E%2E/%2E%2E/%2E%2E/x",
    ".%2E/.%2e/admin/",
    "%2e./admin/",
    "spaces/%2e%2e/%2e%2e/%2e%2e/x",
    "..\\..\\admin/",
    "spaces\\..\\..\\..\\x",
    "a/..%2f..%2fadmin/",
    "a/%2e%2e%5c%2e%2e%5cadmin/",
  ])("%s is refused before anything is sent", async (path) => {
    server = await startServer([ok({})]);
    const c = client(server);
    const error = await rejection(c.request("GET", path));
    expect(error).toMatchObject({ name: "UnpodArgumentError", option: "path" });
    const listed = await rejection(c.requestPage(path));
    expect(listed).toMatchObject({ name: "UnpodArgumentError", option: "path" });
    expect(server.received).toHaveLength(0);
  });

  test("ordinary encoded segments still go through, as written", async () => {
    server = await startServer([ok({}), ok({})]);
    const c = client(server);
    await c.request("GET", "spaces/a%20b%2Fc/");
    await c.request("GET", "spaces/..a/");
    expect(server.received.map((r) => r.url)).toEqual([
      "/api/v2/platform/spaces/a%20b%2Fc/",
      "/api/v2/platform/spaces/..a/",
    ]);
  });
});

describe("only literal loopback hosts may use plain http", () => {
  test.each([
    "http://evil.localhost/",
    "http://api.localhost:8000/api/",
    "http://localhost.evil.example/",
    "http://localhost./",
    "http://127.0.0.1.nip.io/",
  ])("%s is refused", (baseUrl) => {
    let error: unknown;
    try {
      new UnpodClient({ apiToken: TOKEN, baseUrl });
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ name: "UnpodArgumentError", option: "baseUrl" });
  });
});

describe("durations: one parser, in milliseconds, for every option", () => {
  test("\"500ms\" works for the verifier's clockTolerance and a token's ttl too", async () => {
    const { AccessToken, TokenVerifier } = await import("../src/index.js");
    const secret = "0123456789abcdef0123456789abcdef";
    expect(new TokenVerifier({ keys: { k: secret }, clockTolerance: "500ms" }).clockTolerance).toBe(
      0.5,
    );
    expect(new AccessToken({ apiKey: "k", apiSecret: secret, ttl: "90000ms" }).ttl).toBe(90);
    expect(() => new AccessToken({ apiKey: "k", apiSecret: secret, ttl: "500ms" })).toThrow(
      /ttl: must be between 1 and/,
    );
  });
});
