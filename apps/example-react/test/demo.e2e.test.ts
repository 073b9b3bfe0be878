import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import {
  audioHelpers,
  fakeMicrophoneArgs,
  goertzel,
  instrumentAudio,
  launchChromium,
  modulatedToneWav,
  readWav,
} from "@unpod/testing";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";

const APP = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const ROOT = resolve(APP, "../..");
const OUT = join(APP, "test-results");

let demo: ChildProcess;
let output = "";
let url: string;
let browser: Browser;

/**
 * Starts the demo the way the README does (`pnpm demo`, here on free ports, already built) in
 * its own process group, like a terminal's foreground job, and resolves with the one URL it
 * prints.
 */
function startDemo(): Promise<string> {
  demo = spawn("pnpm", ["demo", "--no-build", "--port", "0"], {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  return new Promise((done, fail) => {
    const onData = (chunk: Buffer) => {
      output += String(chunk);
      const match = output.match(/Open:\s+(http:\/\/127\.0\.0\.1:\d+\/)/);
      if (match) done(match[1] as string);
    };
    demo.stdout?.on("data", onData);
    demo.stderr?.on("data", onData);
    demo.once("exit", (code) =>
      fail(new Error(`demo exited (${code}) before it was ready:\n${output}`)),
    );
  });
}

const text = async (page: Page, testId: string) =>
  ((await page.getByTestId(testId).textContent()) ?? "").trim();

/** Waits until the element's text matches. */
const waitForText = (page: Page, testId: string, re: RegExp, timeout = 15_000) =>
  page.waitForFunction(
    ([id, source, flags]) =>
      new RegExp(source as string, flags as string).test(
        document.querySelector(`[data-testid="${id}"]`)?.textContent ?? "",
      ),
    [testId, re.source, re.flags] as const,
    { timeout },
  );

/**
 * The typed conversation as `role: text` lines. The microphone is on too (voice starts with
 * the connection), so the transcript also holds the voice agent's turns — what it heard,
 * `(speech, 1.2 s)`, and its answer, `I heard …` — which these lines leave out.
 */
const transcript = async (page: Page) =>
  (
    await page.$$eval("[data-testid=transcript] li[data-role]", (items) =>
      items.map(
        (li) => `${li.getAttribute("data-role")}: ${li.querySelector(".text")?.textContent}`,
      ),
    )
  ).filter((line) => !/^user: \(speech, |^agent: I heard /.test(line));

beforeAll(async () => {
  // Under turbo the app is built before its tests; run directly, build it if it is missing.
  if (!existsSync(join(APP, "dist/index.html"))) {
    const vite = join(
      dirname(createRequire(join(APP, "package.json")).resolve("vite/package.json")),
      "bin/vite.js",
    );
    execFileSync(process.execPath, [vite, "build", "--logLevel", "warn"], { cwd: APP });
  }
  // A fake microphone playing a 440 Hz tone (amplitude-modulated: noise suppression would
  // flatten a steady one).
  const mic = join(mkdtempSync(join(tmpdir(), "unpod-demo-")), "mic.wav");
  writeFileSync(mic, modulatedToneWav({ hz: 440, seconds: 8 }));
  [url, browser] = await Promise.all([startDemo(), launchChromium(fakeMicrophoneArgs(mic))]);
});

afterAll(async () => {
  await browser?.close();
  if (demo?.pid && demo.exitCode === null && demo.signalCode === null) {
    process.kill(-demo.pid, "SIGTERM");
  }
});

describe("the demo app in Chromium", () => {
  let page: Page;
  const pageErrors: string[] = [];
  const adminCalls: string[] = [];
  const failedRequests: string[] = [];

  test("connects and shows the state, the session and the token's remaining lifetime", async () => {
    page = await browser.newPage({ viewport: { width: 1180, height: 720 } });
    page.on("pageerror", (error) => pageErrors.push(error.message));
    // Every request the page makes succeeds: the favicon too.
    page.on("response", (response) => {
      if (response.status() >= 400) failedRequests.push(`${response.status()} ${response.url()}`);
    });
    page.on("request", (request) => {
      // The browser must never call the dev server's admin routes itself (no admin secret in it).
      if (request.url().includes("/__dev/") || request.headers()["x-dev-admin"]) {
        adminCalls.push(request.url());
      }
    });
    await page.addInitScript(instrumentAudio); // a tap on the audio output, for the voice tests
    await page.goto(url);
    await page.evaluate(audioHelpers);
    await page.getByTestId("identity").fill("e2e-user");
    expect(await text(page, "state")).toBe("idle");
    await page.getByTestId("connect").click();
    await waitForText(page, "state", /^connected$/);
    expect(await text(page, "session-id")).toMatch(/\S{6,}/);
    // A 2-minute token (the demo's EXAMPLE_TOKEN_TTL): "1:59 left" or so.
    await waitForText(page, "token-remaining", /^[12]:\d\d left$/);
  });

  test("sends text and shows the echo agent's reply", async () => {
    await page.getByTestId("message").fill("hello from chromium");
    await page.getByTestId("send").click();
    await waitForText(page, "transcript", /Echo: hello from chromium/);
    expect(await transcript(page)).toEqual([
      "user: hello from chromium",
      "agent: Echo: hello from chromium",
    ]);
  });

  test("a simulated network drop resumes the same session, transcript intact", async () => {
    const sessionId = await text(page, "session-id");
    await page.getByTestId("drop").click();
    await waitForText(page, "event-log", new RegExp(`resumed session ${sessionId} \\(same id`));
    const log = await text(page, "event-log");
    expect(log.indexOf("reconnecting")).toBeGreaterThan(log.indexOf(`joined session ${sessionId}`));
    expect(await text(page, "state")).toBe("connected");
    expect(await text(page, "session-id")).toBe(sessionId);
    expect(await transcript(page)).toEqual([
      "user: hello from chromium",
      "agent: Echo: hello from chromium",
    ]);

    // The resumed session still talks, and nothing is shown twice.
    await page.getByTestId("message").fill("still here after the drop");
    await page.getByTestId("send").click();
    await waitForText(page, "transcript", /Echo: still here after the drop/);
    expect(await transcript(page)).toEqual([
      "user: hello from chromium",
      "agent: Echo: hello from chromium",
      "user: still here after the drop",
      "agent: Echo: still here after the drop",
    ]);

    mkdirSync(OUT, { recursive: true });
    await page.screenshot({ path: join(OUT, "demo-resumed.png") });
    expect(pageErrors).toEqual([]);
    expect(adminCalls).toEqual([]);
    expect(failedRequests).toEqual([]);
    expect(await page.evaluate(async () => (await fetch("/favicon.svg")).status)).toBe(200);
  });

  test("the replies come from the example agent, a TypeScript runner: /help is a command, not an echo", async () => {
    // The dev server's own echo agent would answer "Echo: /help"; apps/example-agent's fake
    // LLM knows the command. So the demo's replies come through @unpod/agent.
    await page.getByTestId("message").fill("/help");
    await page.getByTestId("send").click();
    // It streams in word by word (the fake LLM's tokens): wait for the last words.
    await waitForText(page, "transcript", /Try \/story for .* or \/bye to hang up\./);
    expect((await transcript(page)).slice(-2)).toEqual([
      "user: /help",
      "agent: Try /story for a long streamed answer you can interrupt, /history for what I remember, or /bye to hang up.",
    ]);
  });

  describe("voice", () => {
    type H = {
      h: {
        rms(): number;
        loud(ms?: number): Promise<void>;
        silentAfter(t: number, ms?: number): Promise<number>;
      };
    };
    let backendUrl: string;
    /** What the dev server heard from the page's microphone, through the demo's backend. */
    const uplink = async () => {
      const sid = await text(page, "session-id");
      const res = await fetch(`${backendUrl}/api/dev/uplink?sid=${encodeURIComponent(sid)}`);
      expect(res.status).toBe(200);
      return {
        received: Number(res.headers.get("x-audio-received-bytes")),
        ...readWav(new Uint8Array(await res.arrayBuffer())),
      };
    };

    test("connecting started the microphone: the dev server's uplink holds the fake mic's tone", async () => {
      ({ backendUrl } = (await (await fetch(`${url}demo-config.json`)).json()) as {
        backendUrl: string;
      });
      await waitForText(page, "voice-status", /^active$/);
      await expect
        .poll(async () => (await uplink()).received, { timeout: 10_000 })
        .toBeGreaterThan(32_000);
      const { rate, samples } = await uplink();
      const last = samples.subarray(Math.max(0, samples.length - rate));
      expect(goertzel(last, 440, rate)).toBeGreaterThan(20 * goertzel(last, 520, rate));
      await page.waitForFunction(
        () =>
          Number(document.querySelector("[data-testid=input-meter]")?.getAttribute("data-level")) >
          0,
      );
    });

    test("the agent's reply is heard, the volume slider turns it down, and Interrupt silences it at once", async () => {
      // Muting ends the user's utterance; the agent answers it out loud.
      await page.getByTestId("mute").click();
      await waitForText(page, "agent-state", /^speaking$/);
      await page.evaluate(() => (window as unknown as H).h.loud());
      // Volume 0 on the slider: the output goes silent while the agent still speaks; back up, heard.
      await page.getByTestId("volume").fill("0");
      const quiet = await page.evaluate(() =>
        (window as unknown as H).h.silentAfter(performance.now()),
      );
      expect(quiet).toBeLessThanOrEqual(1000);
      expect(await text(page, "agent-state")).toBe("speaking");
      await page.getByTestId("volume").fill("1");
      await page.evaluate(() => (window as unknown as H).h.loud());
      const ms = await page.evaluate(async () => {
        const t0 = performance.now();
        (document.querySelector("[data-testid=interrupt]") as HTMLButtonElement).click();
        return (window as unknown as H).h.silentAfter(t0);
      });
      // "At once" for a person; the 50 ms target is @unpod/browser's bench (bench/voice.mjs).
      expect(ms).toBeLessThanOrEqual(1000);
      await waitForText(page, "agent-state", /^(listening|idle)$/);
    });

    test("after a simulated drop, audio flows both ways again", async () => {
      const sessionId = await text(page, "session-id");
      const resumedBefore = (await text(page, "event-log")).split("resumed session").length;
      await page.getByTestId("drop").click();
      await page.waitForFunction(
        (n) =>
          (document.querySelector("[data-testid=event-log]")?.textContent ?? "").split(
            "resumed session",
          ).length > n,
        resumedBefore,
      );
      expect(await text(page, "session-id")).toBe(sessionId);
      // Uplink: unmute, and the server hears the microphone again.
      await page.getByTestId("mute").click();
      const before = (await uplink()).received;
      await expect
        .poll(async () => (await uplink()).received, { timeout: 10_000 })
        .toBeGreaterThan(before + 16_000);
      // Downlink: mute (no barge-in), wait for the agent's answer to that utterance, hear it.
      await page.getByTestId("mute").click();
      await waitForText(page, "agent-state", /^speaking$/);
      await page.evaluate(() => (window as unknown as H).h.loud());
      await page.waitForFunction(
        () =>
          Number(document.querySelector("[data-testid=output-meter]")?.getAttribute("data-level")) >
          0,
      );
      // The microphone button: Stop releases the mic (the uplink stops), Start brings it back.
      await page.getByTestId("mute").click(); // unmuted again
      await waitForText(page, "mute", /^Mute$/);
      await page.getByTestId("mic").click();
      await waitForText(page, "voice-status", /^stopped$/);
      await page.waitForTimeout(300); // frames already in flight land
      const stopped = (await uplink()).received;
      await page.waitForTimeout(1000);
      expect((await uplink()).received).toBe(stopped);
      await page.getByTestId("mic").click();
      await waitForText(page, "voice-status", /^active$/);
      await expect
        .poll(async () => (await uplink()).received, { timeout: 10_000 })
        .toBeGreaterThan(stopped + 16_000);

      mkdirSync(OUT, { recursive: true });
      await page.screenshot({ path: join(OUT, "demo-voice.png") });
      expect(pageErrors).toEqual([]);
      expect(adminCalls).toEqual([]);
    });
  });
});

test("Ctrl+C (SIGINT to the whole foreground group) stops everything, and pnpm exits 0 quietly", async () => {
  const { backendUrl } = (await (await fetch(`${url}demo-config.json`)).json()) as {
    backendUrl: string;
  };
  const { serverUrl } = (await (await fetch(`${backendUrl}/api/config`)).json()) as {
    serverUrl: string;
  };
  const devUrl = serverUrl.replace(/^ws/, "http");
  const exited = new Promise<number | string | null>((done) =>
    demo.once("exit", (code, signal) => done(code ?? signal)),
  );
  process.kill(-(demo.pid as number), "SIGINT");
  expect(await exited, output).toBe(0);
  expect(output).not.toMatch(/ELIFECYCLE|Command failed/);
  for (const target of [url, `${backendUrl}/api/health`, `${devUrl}/v1/rtc/validate`]) {
    await expect(fetch(target, { signal: AbortSignal.timeout(2_000) })).rejects.toThrow();
  }
});
