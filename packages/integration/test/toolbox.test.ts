// One toolbox across packages: the same `Logger` object (core's interface) serves the REST
// client and the dev server, the same `Clock` the dev server and any other package, and a
// duration string means the same thing to every option that takes one.
import type { Clock, LogFields, Logger } from "@unpod/core";
import { startDevServer } from "@unpod/dev-server";
import { TokenVerifier, UnpodClient } from "@unpod/node";
import { expect, test } from "vitest";

test("one Logger and one Clock for every package", async () => {
  const lines: string[] = [];
  const logger: Logger = {
    debug: (message: string, fields?: LogFields) =>
      lines.push(`debug ${message} ${JSON.stringify(fields ?? {})}`),
    info: (message: string) => lines.push(`info ${message}`),
  };
  const clock: Clock = {
    now: () => Date.now(),
    setTimeout: (fn, ms) => setTimeout(fn, ms),
    clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
  };
  const server = await startDevServer({ logger, clock, resumeWindow: "1500ms" });
  try {
    const client = new UnpodClient({
      apiToken: server.credentials.apiToken,
      orgHandle: server.credentials.orgHandle,
      baseUrl: server.apiUrl,
      logger,
      timeout: "2500ms",
    });
    await client.organizations.list();
    expect(lines.some((l) => l.startsWith("debug unpod.request"))).toBe(true);
    expect(lines.some((l) => l.startsWith("info GET /api/v2/platform/organizations/"))).toBe(true);
    const verifier = new TokenVerifier({
      keys: { [server.credentials.apiKey]: server.credentials.apiSecret },
      clockTolerance: "1500ms",
    });
    expect(verifier.clockTolerance).toBe(1.5);
  } finally {
    await server.close();
  }
});
