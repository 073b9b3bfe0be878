import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type DevServer, startDevServer } from "@unpod/dev-server";
import { AccessToken } from "@unpod/node";
import {
  audioHelpers,
  fakeMicrophoneArgs,
  instrumentAudio,
  launchChromium,
  modulatedToneWav,
} from "@unpod/testing";
import { build } from "esbuild";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";

// @unpod/react/voice in real Chromium with a fake microphone (a modulated 440 Hz tone),
// loading the BUILT packages, against the dev server's voice agent. Audio is observed
// through the page's instruments (@unpod/testing): the tap on the output, and the recorded
// getUserMedia streams and AudioContexts.

const dist = (file: string) => fileURLToPath(new URL(`../dist/${file}`, import.meta.url));
const entry = fileURLToPath(new URL("./fixtures/voicePage.tsx", import.meta.url));

let server: DevServer;
let site: Server;
let siteUrl: string;
let browser: Browser;
let dir: string;

beforeAll(async () => {
  for (const file of ["index.js", "voice.js"]) {
    if (!existsSync(dist(file)))
      throw new Error(`dist/${file} is missing: build @unpod/react first`);
  }
  const bundle = await build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    format: "esm",
    platform: "browser",
    target: "es2022",
    alias: { "@unpod/react/voice": dist("voice.js"), "@unpod/react": dist("index.js") },
    define: { "process.env.NODE_ENV": '"development"' }, // StrictMode double effects
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
  dir = await mkdtemp(join(tmpdir(), "unpod-react-voice-"));
  const wav = join(dir, "mic.wav");
  await writeFile(wav, modulatedToneWav({ hz: 440, seconds: 8 }));
  [server, browser] = await Promise.all([
    startDevServer({ env: false }),
    launchChromium(fakeMicrophoneArgs(wav)),
  ]);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await new Promise((resolve) => site?.close(resolve));
  await rm(dir, { recursive: true, force: true });
});

async function mint(): Promise<string> {
  const token = new AccessToken({
    apiKey: server.credentials.apiKey,
    apiSecret: server.credentials.apiSecret,
    identity: "react-voice",
    ttl: "10m",
  });
  token.addGrant({ room: "voice", roomJoin: true, canPublish: true, canPublishData: true });
  return token.toJwt();
}

type Win = {
  renders: { tree: number; status: number; input: number; output: number };
  streams: MediaStream[];
  contexts: AudioContext[];
  unmountApp(): void;
};

async function open(muted: boolean): Promise<{ page: Page; problems: string[] }> {
  const page = await browser.newPage();
  const problems: string[] = [];
  page.on("pageerror", (error) => problems.push(error.message));
  await page.addInitScript(instrumentAudio);
  const query = new URLSearchParams({
    server: server.rtcUrl,
    token: await mint(),
    muted: muted ? "1" : "0",
  });
  await page.goto(`${siteUrl}?${query}`);
  await page.waitForSelector("#voice");
  await page.evaluate(audioHelpers);
  return { page, problems };
}

// Audio in Chromium competes with every other package's tests on CI's two cores, so each
// test gets a minute, and each wait names what it waited for when it gives up.
const AUDIO_TEST = { timeout: 60_000 };

async function until(page: Page, what: string, predicate: () => boolean): Promise<void> {
  try {
    await page.waitForFunction(predicate, undefined, { timeout: 25_000 });
  } catch (error) {
    throw new Error(`Timed out waiting until ${what}`, { cause: error });
  }
}

const level = (page: Page, id: string) =>
  page.$eval(`#${id}`, (el) => Number((el as HTMLElement).dataset.level));

it(
  "under StrictMode: one socket, one AudioContext, one mic track; meters move; unmount releases all",
  AUDIO_TEST,
  async () => {
    const before = server.rtc.stats().upgrades;
    const { page, problems } = await open(false);
    try {
      expect(await page.textContent("#voice")).toBe("idle");
      expect(await page.evaluate(() => (window as unknown as Win).contexts.length)).toBe(0);
      await page.click("#connect"); // a user gesture: socket + mic + speaker
      await until(
        page,
        "voice is active",
        () => document.querySelector("#voice")?.textContent === "active",
      );
      // The fake microphone moves the input meter.
      await until(
        page,
        "the input meter moves",
        () => Number((document.querySelector("#input") as HTMLElement).dataset.level) > 0.01,
      );
      const counts = await page.evaluate(() => {
        const w = window as unknown as Win;
        return {
          contexts: w.contexts.length,
          tracks: w.streams
            .flatMap((s) => s.getAudioTracks())
            .filter((t) => t.readyState === "live").length,
        };
      });
      expect(counts).toEqual({ contexts: 1, tracks: 1 });
      expect(server.rtc.stats().upgrades - before).toBe(1);
      // The agent speaking moves the output meter (mute first: no barge-in from the mic).
      await page.click("#mute");
      await page.waitForTimeout(800);
      const sid = server.rtc.sessions().find((s) => s.connected)?.sessionId as string;
      server.rtc.say(sid, { tone_hz: 600, duration_ms: 4000 });
      await until(
        page,
        "the output meter moves",
        () => Number((document.querySelector("#output") as HTMLElement).dataset.level) > 0.01,
      );
      expect(await page.textContent("#agent")).toBe("speaking");
      expect(await level(page, "input")).toBe(0); // muted
      await page.evaluate(() => (window as unknown as Win).unmountApp());
      await until(page, "every context is closed and every track ended", () => {
        const w = window as unknown as Win;
        return (
          w.contexts.every((c) => c.state === "closed") &&
          w.streams.every((s) => s.getTracks().every((t) => t.readyState === "ended"))
        );
      });
      await expect.poll(() => server.rtc.stats().activeSockets).toBe(0);
      expect(problems).toEqual([]);
    } finally {
      await page.close();
    }
  },
);

it(
  "useAudioLevel re-renders only its own component, about once per animation frame",
  AUDIO_TEST,
  async () => {
    const { page } = await open(false);
    try {
      await page.click("#connect");
      await until(
        page,
        "voice is active",
        () => document.querySelector("#voice")?.textContent === "active",
      );
      const start = await page.evaluate(() => ({ ...(window as unknown as Win).renders }));
      await page.waitForTimeout(2000);
      const end = await page.evaluate(() => ({ ...(window as unknown as Win).renders }));
      // The input meter follows the modulated tone frame by frame…
      expect(end.input - start.input).toBeGreaterThan(30);
      // …while the tree above it, and the status beside it, stay put.
      expect(end.tree - start.tree).toBe(0);
      expect(end.status - start.status).toBeLessThan(10);
    } finally {
      await page.evaluate(() => (window as unknown as Win).unmountApp()).catch(() => {});
      await page.close();
    }
  },
);
