import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { type DevServer, startDevServer } from "@unpod/dev-server";
import { TokenVerifier } from "@unpod/node";
import { fakeMicrophoneArgs, freePort, launchChromium, modulatedToneWav } from "@unpod/testing";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";

const APP = resolve(dirname(fileURLToPath(import.meta.url)), "..");

let server: DevServer;
let next: ChildProcess;
let nextOutput = "";
let url: string;
let browser: Browser;

/** Polls until `target` answers (any status), or the app has exited. */
async function waitForHttp(target: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (next.exitCode !== null) throw new Error(`next start exited:\n${nextOutput}`);
    try {
      await fetch(target, { signal: AbortSignal.timeout(2_000) });
      return;
    } catch {
      if (Date.now() > deadline) throw new Error(`no answer from ${target}:\n${nextOutput}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

beforeAll(async () => {
  if (!existsSync(join(APP, ".next/BUILD_ID"))) {
    throw new Error("apps/example-next is not built: run `pnpm turbo run build` (or `next build`)");
  }
  // Fresh credentials, whatever the shell holds; the app gets them the way a deployment does.
  server = await startDevServer({ env: false });
  const port = await freePort();
  url = `http://127.0.0.1:${port}`;
  const nextBin = createRequire(join(APP, "package.json")).resolve("next/dist/bin/next");
  next = spawn(
    process.execPath,
    [nextBin, "start", "--hostname", "127.0.0.1", "--port", String(port)],
    {
      cwd: APP,
      stdio: ["ignore", "pipe", "pipe"],
      env: {
        ...process.env,
        NODE_ENV: "production",
        NEXT_TELEMETRY_DISABLED: "1",
        UNPOD_API_KEY: server.credentials.apiKey,
        UNPOD_API_SECRET: server.credentials.apiSecret,
        UNPOD_SERVER_URL: server.rtcUrl,
        // lib/session.ts is a development stub; this run knows it.
        EXAMPLE_STUB_SESSION: "1",
      },
    },
  );
  const keep = (chunk: Buffer) => {
    nextOutput += String(chunk);
  };
  next.stdout?.on("data", keep);
  next.stderr?.on("data", keep);
  const mic = join(mkdtempSync(join(tmpdir(), "unpod-next-")), "mic.wav");
  writeFileSync(mic, modulatedToneWav({ hz: 440, seconds: 8 }));
  [browser] = await Promise.all([launchChromium(fakeMicrophoneArgs(mic)), waitForHttp(url)]);
});

afterAll(async () => {
  await browser?.close();
  if (next && next.exitCode === null) {
    const exited = new Promise((done) => next.once("exit", done));
    next.kill("SIGTERM");
    await exited;
  }
  await server?.close();
});

const waitForText = (page: Page, testId: string, re: RegExp, timeout = 15_000) =>
  page.waitForFunction(
    ([id, source]) =>
      new RegExp(source as string).test(
        document.querySelector(`[data-testid="${id}"]`)?.textContent ?? "",
      ),
    [testId, re.source] as const,
    { timeout },
  );

describe("the built Next.js app (next start) against the dev server", () => {
  test("the route handler mints a token for the session's user, never cached", async () => {
    const res = await fetch(`${url}/api/unpod-token`);
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const { token } = (await res.json()) as { token: string };
    const { apiKey, apiSecret } = server.credentials;
    const claims = await new TokenVerifier({ keys: { [apiKey]: apiSecret } }).verify(token);
    expect(claims).toMatchObject({
      iss: apiKey,
      sub: "demo-user",
      name: "Demo User",
      video: { roomJoin: true, room: "support-demo-user", canPublishData: true, canPublish: true },
    });
    expect(claims.exp - (claims.nbf ?? claims.exp - 600)).toBe(600);
  });

  test("Chromium: the client component connects and the agent replies", async () => {
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on("pageerror", (error) => problems.push(error.message));
    page.on("response", (response) => {
      if (response.status() >= 400) problems.push(`${response.status()} ${response.url()}`);
    });
    await page.goto(url);
    await waitForText(page, "state", /^connected$/);
    await page.getByTestId("message").fill("hello from next");
    await page.getByTestId("send").click();
    await waitForText(page, "transcript", /Agent: Echo: hello from next/);
    expect(
      await page.$$eval("[data-testid=transcript] li", (items) =>
        items.map((li) => li.textContent),
      ),
    ).toEqual(["You: hello from next", "Agent: Echo: hello from next"]);
    expect(problems).toEqual([]);
    expect(server.rtc.sessions()).toContainEqual(
      expect.objectContaining({ identity: "demo-user", room: "support-demo-user" }),
    );
    // Voice waits for a click (autoStart: false): no microphone until Talk.
    expect(await page.getByTestId("talk").textContent()).toBe("Talk");
    await page.getByTestId("talk").click();
    await waitForText(page, "agent-state", /^(listening|thinking|speaking)$/);
    const sid = server.rtc.sessions().find((s) => s.identity === "demo-user" && s.connected)
      ?.sessionId as string;
    await expect
      .poll(() => server.rtc.audio(sid).receivedBytes, { timeout: 10_000 })
      .toBeGreaterThan(6400);
    expect(problems).toEqual([]);
    await page.close();
  });

  test("no secret and no signing code reaches the browser", async () => {
    const { apiSecret } = server.credentials;
    const html = await (await fetch(url)).text();
    expect(html).not.toContain(apiSecret);
    const chunks: string[] = [];
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) walk(path);
        else if (entry.name.endsWith(".js")) chunks.push(path);
      }
    };
    walk(join(APP, ".next/static"));
    expect(chunks.length).toBeGreaterThan(0);
    for (const chunk of chunks) {
      const code = readFileSync(chunk, "utf8");
      // @unpod/node's messages name UNPOD_API_SECRET: its absence means the module is absent.
      expect(code, chunk).not.toContain("UNPOD_API_SECRET");
      expect(code, chunk).not.toContain(apiSecret);
    }
  });
});
