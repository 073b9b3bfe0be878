import { existsSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { launchChromium } from "@unpod/testing";
import { build } from "esbuild";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { type DevServer, expectServerIdle, mintToken, startServer, statsSince } from "./helpers.js";

const dist = fileURLToPath(new URL("../dist/index.js", import.meta.url));
const entry = fileURLToPath(new URL("./fixtures/page.tsx", import.meta.url));

let server: DevServer;
let site: Server;
let siteUrl: string;
let browser: Browser;

beforeAll(async () => {
  if (!existsSync(dist)) {
    throw new Error("dist/index.js is missing: run `pnpm --filter @unpod/react build` first");
  }
  // The page imports what ships: @unpod/react's dist (aliased, since a package cannot
  // import itself by name here) and @unpod/browser's dist (its `import` condition).
  const bundle = await build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    format: "esm",
    platform: "browser",
    target: "es2022",
    alias: { "@unpod/react": dist },
    // React's development build, so StrictMode double-runs effects as it does for app devs.
    define: { "process.env.NODE_ENV": '"development"' },
    logLevel: "silent",
  });
  const script = bundle.outputFiles[0]?.text ?? "";
  site = createServer((req, res) => {
    if (req.url?.startsWith("/app.js")) {
      res.writeHead(200, { "content-type": "text/javascript" }).end(script);
    } else {
      res
        .writeHead(200, { "content-type": "text/html" })
        .end('<!doctype html><div id="root"></div><script type="module" src="/app.js"></script>');
    }
  });
  await new Promise<void>((resolve) => site.listen(0, "127.0.0.1", resolve));
  siteUrl = `http://127.0.0.1:${(site.address() as AddressInfo).port}/`;
  [server, browser] = await Promise.all([startServer(), launchChromium()]);
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await new Promise((resolve) => site?.close(resolve));
});

async function text(page: Page, selector: string): Promise<string> {
  return (await page.textContent(selector)) ?? "";
}

it("connects once under StrictMode, echoes, and disconnects on unmount in real Chromium", async () => {
  const token = await mintToken(server, { identity: "chromium" });
  const page = await browser.newPage();
  const problems: string[] = [];
  page.on("pageerror", (error) => problems.push(error.message));
  page.on("console", (msg) => {
    if (msg.type() === "error" || msg.type() === "warning") problems.push(msg.text());
  });
  try {
    const stats = await statsSince(server);
    const query = new URLSearchParams({ server: server.rtcUrl, token });
    await page.goto(`${siteUrl}?${query}`);
    await page.waitForSelector("#state");
    expect(await text(page, "#state")).toBe("idle");
    expect((await stats()).upgrades).toBe(0);

    await page.click("#connect");
    await page.waitForFunction(() => document.querySelector("#state")?.textContent === "connected");
    expect(await stats()).toMatchObject({ upgrades: 1, activeSockets: 1, sessions: 1 });

    await page.fill("#text", "hello from chromium");
    await page.click("#send");
    await page.waitForFunction(() => document.querySelector("#transcript")?.children.length === 2);
    expect(await page.$$eval("#transcript li", (lis) => lis.map((li) => li.textContent))).toEqual([
      "user: hello from chromium",
      "agent: Echo: hello from chromium",
    ]);

    await page.evaluate(() => (window as unknown as { unmountApp(): void }).unmountApp());
    await expectServerIdle(server);
    expect((await stats()).upgrades).toBe(1);
    expect(problems).toEqual([]);
  } finally {
    await page.close();
  }
});
