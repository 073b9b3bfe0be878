// docs/getting-started.md, followed end to end the way a new user would: in an empty
// directory outside the monorepo, with npm, TypeScript run by tsx, the guide's own files and
// commands, the `@unpod/*` packages installed as published (here: packed from this build
// and served by a registry for the @unpod scope), then the pages driven in Chromium.
//
// The one liberty taken: the guide's ports (7880, 8787, 5173) become free ones, so the run
// cannot collide with anything else on the machine. Chromium's fake microphone "speaks" in
// utterances (a tone, then silence), so the voice step can be followed too. `GUIDE_E2E_FILE=<path>` runs another
// copy of the guide (to see it fail when a block breaks); `GUIDE_E2E_KEEP=1` keeps the
// project directory.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import {
  audioHelpers,
  fakeMicrophoneArgs,
  freePort,
  instrumentAudio,
  launchChromium,
  modulatedToneWav,
} from "@unpod/testing";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, expect, test } from "vitest";
import { GuideRunner, planGuide, type Step } from "./support/guide.js";
import { type ScopedRegistry, startScopedRegistry } from "./support/registry.js";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
const GUIDE = process.env.GUIDE_E2E_FILE
  ? resolve(process.env.GUIDE_E2E_FILE)
  : join(ROOT, "docs/getting-started.md");
const GUIDE_NAME = relative(ROOT, GUIDE);
/** The packages a user installs; each is packed from its dist/ as `pnpm publish` would. */
const PUBLISHED = ["core", "node", "browser", "react", "dev-server"];

let work: string;
let registry: ScopedRegistry;
let runner: GuideRunner;
let browser: Browser | undefined;
let steps: Step[];
/** Whether every block ran: the browser checks need the guide's servers. */
let followed = false;
const ports = new Map<string, string>();

/** The environment of a new terminal: no pnpm/npm/turbo/vitest settings leak in. */
function freshEnv(npmrc: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (value === undefined) continue;
    if (/^(npm_|pnpm_|PNPM_|UNPOD_|TURBO_|VITEST|NODE_OPTIONS$|NODE_ENV$|INIT_CWD$)/.test(name)) {
      continue;
    }
    env[name] = value;
  }
  return { ...env, NPM_CONFIG_USERCONFIG: npmrc, FORCE_COLOR: "0", NO_COLOR: "1" };
}

beforeAll(async () => {
  steps = planGuide(readFileSync(GUIDE, "utf8"), GUIDE_NAME);
  work = mkdtempSync(join(tmpdir(), "unpod-getting-started-"));
  const packs = join(work, "packs");
  mkdirSync(packs);
  for (const name of PUBLISHED) {
    execFileSync("pnpm", ["pack", "--pack-destination", packs], {
      cwd: join(ROOT, "packages", name),
      stdio: "pipe",
    });
  }
  registry = await startScopedRegistry(
    "@unpod",
    readdirSync(packs).map((file) => join(packs, file)),
  );
  const npmrc = join(work, "npmrc");
  // The scope's registry stands in for npm until the packages are published; the rest is
  // npm's own, read from npm's cache when it has the package (prefer-offline).
  writeFileSync(
    npmrc,
    `@unpod:registry=${registry.url}\nprefer-offline=true\nupdate-notifier=false\nfund=false\naudit=false\n`,
  );
  for (const port of ["7880", "8787", "5173"]) ports.set(port, String(await freePort()));
  const home = join(work, "home");
  mkdirSync(home);
  runner = new GuideRunner({
    guideName: GUIDE_NAME,
    cwd: home,
    env: freshEnv(npmrc),
    replace: ports,
    commandTimeoutMs: 240_000,
    startTimeoutMs: 60_000,
  });
  const mic = join(work, "mic.wav");
  writeFileSync(mic, modulatedToneWav({ hz: 440, seconds: 1.5, silenceSeconds: 2.5 }));
  browser = await launchChromium(fakeMicrophoneArgs(mic));
});

afterAll(async () => {
  await browser?.close();
  await runner?.stopAll();
  await registry?.close();
  if (work && process.env.GUIDE_E2E_KEEP !== "1") rmSync(work, { recursive: true, force: true });
  else if (work) console.log(`kept ${work}`);
});

test("every block of the guide, in order: commands, files, servers left running", async () => {
  expect(steps.filter((s) => s.kind === "start")).toHaveLength(3);
  for (const step of steps) await runner.take(step);
  // The REST step printed the dev server's fixture spaces.
  const rest = steps.find((s) => s.kind === "run" && s.script.includes("spaces.ts"));
  expect(runner.results.find((r) => r.line === rest?.line)?.output).toContain("Sales Calls");
  // Everything @unpod came from the packed tarballs, through the scope's registry.
  expect(registry.log).toEqual(
    expect.arrayContaining(PUBLISHED.map((p) => `GET /@unpod/${p} → 200`)),
  );
  followed = true;
});

interface OpenPage {
  page: Page;
  console: string[];
  errors: string[];
  /** Runs `check`; a failure says what the page showed, logged and threw. */
  expectThat(what: string, check: () => Promise<unknown>): Promise<void>;
}

/**
 * Opens a page of the guide's Vite server, with its console and errors recorded (and, with
 * `audioTap`, @unpod/testing's audio instruments installed before it loads).
 */
async function open(path: string, options: { audioTap?: boolean } = {}): Promise<OpenPage> {
  const page = await (browser as Browser).newPage();
  if (options.audioTap) await page.addInitScript(instrumentAudio);
  const messages: string[] = [];
  const errors: string[] = [];
  page.on("console", (m) => messages.push(m.text()));
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(`http://127.0.0.1:${ports.get("5173")}${path}`);
  const expectThat = async (what: string, check: () => Promise<unknown>) => {
    try {
      await check();
    } catch (error) {
      const shown = await page
        .locator("body")
        .textContent()
        .catch(() => "?");
      throw new Error(
        `${GUIDE_NAME}: ${path} — ${what}: ${(error as Error).message.split("\n")[0]}\npage shows: ${JSON.stringify((shown ?? "").slice(0, 500))}\nconsole: ${JSON.stringify(messages)}\nerrors: ${JSON.stringify(errors)}${runner.backgroundReport()}`,
      );
    }
  };
  return { page, console: messages, errors, expectThat };
}

test("React: the page says connected; Hello! + Enter gets the echo agent's answer", async (ctx) => {
  if (!followed) ctx.skip("the guide's blocks did not all run (see the first failure)");
  const { page, errors, expectThat } = await open("/");
  await expectThat("it never said connected", () =>
    page.getByText("connected", { exact: true }).waitFor({ timeout: 30_000 }),
  );
  await page.locator("input").fill("Hello!");
  await page.locator("input").press("Enter");
  await expectThat("no echo", () =>
    page.getByText("agent: Echo: Hello!", { exact: true }).waitFor({ timeout: 15_000 }),
  );
  expect(await page.locator("li").allTextContents()).toEqual([
    "user: Hello!",
    "agent: Echo: Hello!",
  ]);
  expect(errors).toEqual([]);
  await page.close();
});

test("plain JavaScript: the console shows state: connected, then agent: Echo: Hello!", async (ctx) => {
  if (!followed) ctx.skip("the guide's blocks did not all run (see the first failure)");
  const { page, console: messages, errors, expectThat } = await open("/plain.html");
  await expectThat("not in the console", () =>
    expect
      .poll(() => messages, { timeout: 30_000 })
      .toEqual(expect.arrayContaining(["state: connected", "agent: Echo: Hello!"])),
  );
  expect(errors).toEqual([]);
  await page.close();
});

test("React voice: with <VoiceAssistant /> rendered as the guide says, Talk → the agent hears the speech and answers out loud", async (ctx) => {
  if (!followed) ctx.skip("the guide's blocks did not all run (see the first failure)");
  // "Render <VoiceAssistant /> instead of <Assistant /> in src/main.tsx": done as a user would.
  const main = join(runner.cwd, "src/main.tsx");
  const source = readFileSync(main, "utf8");
  const edited = source
    .replace(
      'import { Assistant } from "./Assistant";',
      'import { VoiceAssistant } from "./VoiceAssistant";',
    )
    .replace("<Assistant />", "<VoiceAssistant />");
  expect(edited).not.toBe(source);
  writeFileSync(main, edited);

  const { page, errors, expectThat } = await open("/", { audioTap: true });
  await expectThat("no Talk button", () =>
    page.getByRole("button", { name: "Talk" }).click({ timeout: 30_000 }),
  );
  // The fake microphone says 1.5 s of tone, then is silent: the agent answers it.
  await expectThat("the agent never answered out loud", () =>
    page.getByText("agent: speaking").waitFor({ timeout: 20_000 }),
  );
  await page.evaluate(audioHelpers);
  await expectThat("nothing was heard", () =>
    page.evaluate(() => (window as unknown as { h: { loud(): Promise<void> } }).h.loud()),
  );
  await page.getByRole("button", { name: "Stop talking" }).click();
  await expectThat("Stop talking did not silence it", () =>
    page.evaluate(() =>
      (window as unknown as { h: { silentAfter(t: number): Promise<number> } }).h.silentAfter(
        performance.now(),
      ),
    ),
  );
  await page.getByRole("button", { name: "Hang up" }).click();
  await page.getByRole("button", { name: "Talk" }).waitFor();
  expect(errors).toEqual([]);
  await page.close();
});
