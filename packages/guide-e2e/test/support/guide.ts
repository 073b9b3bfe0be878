// A guide as a list of steps a reader would take, and a runner that takes them in a real
// shell: commands run top to bottom in one working directory (a `cd` carries over), a
// block headed `# terminal N — leave it running (URL)` starts in the background and is
// waited for until URL answers, a block headed `// path` (or `<!-- path -->`) is saved as
// that file. Every failure names the guide's line.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { blocks, fileOf } from "@unpod/docs/guide-blocks";

/** One thing the reader does. */
export type Step =
  | { kind: "run"; line: number; script: string }
  | { kind: "start"; line: number; script: string; url: string }
  | { kind: "file"; line: number; path: string; content: string };

const SHELL = new Set(["sh", "bash", "shell"]);
const FILES = new Set(["ts", "tsx", "js", "jsx", "mjs", "html", "css", "json"]);
const BACKGROUND = /^# terminal \d+ — leave it running \((https?:\/\/[^\s)]+)\)$/;
const NOT_RUN = /^(?:#|\/\/|<!--) not run: \S/;

/** A guide's blocks as steps; a block that is neither a command nor a file is an error. */
export function planGuide(markdown: string, guideName: string): Step[] {
  const steps: Step[] = [];
  for (const block of blocks(markdown)) {
    const where = `${guideName}:${block.line}`;
    if (NOT_RUN.test(block.lines[0] ?? "")) continue;
    if (SHELL.has(block.lang)) {
      const background = block.lines[0]?.match(BACKGROUND);
      const script = block.lines.join("\n");
      steps.push(
        background
          ? { kind: "start", line: block.line, script, url: background[1] as string }
          : { kind: "run", line: block.line, script },
      );
    } else if (FILES.has(block.lang)) {
      const path = fileOf(block);
      if (path === undefined) {
        throw new Error(
          `${where}: a ${block.lang} block of this guide must name its file on its first line (\`// server.ts\`, \`<!-- index.html -->\`) or say \`// not run: <reason>\``,
        );
      }
      steps.push({ kind: "file", line: block.line, path, content: block.lines.join("\n") });
    }
    // ```text and other languages are output shown to the reader: nothing to do.
  }
  return steps;
}

/** What a {@link GuideRunner} needs. */
export interface RunnerOptions {
  /** The guide's name in messages, e.g. `docs/getting-started.md`. */
  guideName: string;
  /** Where the reader starts (their empty working directory). */
  cwd: string;
  /** The environment every command gets. */
  env: Record<string, string>;
  /** Replaces each text (e.g. a port) wherever it stands as a whole word. */
  replace: ReadonlyMap<string, string>;
  /** Longest a command may take. */
  commandTimeoutMs: number;
  /** Longest a background process may take to answer its URL. */
  startTimeoutMs: number;
}

/** The output of a command step, by the guide line it came from. */
export interface RunResult {
  line: number;
  output: string;
}

const MAX_OUTPUT = 256 * 1024;

/** Keeps the last {@link MAX_OUTPUT} characters of a stream. */
function tail(text: string): string {
  return text.length > MAX_OUTPUT ? text.slice(-MAX_OUTPUT) : text;
}

/** Takes the steps of a guide in a real shell. */
export class GuideRunner {
  readonly #o: RunnerOptions;
  #cwd: string;
  readonly #background: { line: number; child: ChildProcess; output: () => string }[] = [];
  readonly results: RunResult[] = [];

  constructor(options: RunnerOptions) {
    this.#o = options;
    this.#cwd = options.cwd;
  }

  /** The reader's working directory now. */
  get cwd(): string {
    return this.#cwd;
  }

  /** The text with every replacement applied. */
  substitute(text: string): string {
    let out = text;
    for (const [from, to] of this.#o.replace) {
      out = out.replace(
        new RegExp(`\\b${from.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\b`, "g"),
        to,
      );
    }
    return out;
  }

  async take(step: Step): Promise<void> {
    const where = `${this.#o.guideName}:${step.line}`;
    if (step.kind === "file") {
      const path = resolve(this.#cwd, step.path);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, `${this.substitute(step.content)}\n`);
    } else if (step.kind === "run") {
      await this.#run(step.script, where, step.line);
    } else {
      await this.#start(step.script, this.substitute(step.url), where, step.line);
    }
  }

  /** Runs a block of commands in bash (`-e -o pipefail`), then reads back its directory. */
  #run(script: string, where: string, line: number): Promise<void> {
    const cwdFile = join(this.#o.cwd, `.cwd-after-${line}`);
    const bash = `set -eo pipefail\n${this.substitute(script)}\npwd > ${JSON.stringify(cwdFile)}\n`;
    return new Promise((done, fail) => {
      const child = spawn("bash", ["-c", bash], {
        cwd: this.#cwd,
        env: this.#o.env,
        stdio: ["ignore", "pipe", "pipe"],
      });
      let output = "";
      const keep = (chunk: Buffer) => {
        output = tail(output + String(chunk));
      };
      child.stdout.on("data", keep);
      child.stderr.on("data", keep);
      const timer = setTimeout(() => child.kill("SIGKILL"), this.#o.commandTimeoutMs);
      child.on("error", fail);
      child.on("exit", (code, signal) => {
        clearTimeout(timer);
        this.results.push({ line, output });
        if (code !== 0) {
          fail(
            new Error(
              `${where}: the block failed (${signal ?? `exit ${code}`}):\n${output}${this.backgroundReport()}`,
            ),
          );
          return;
        }
        this.#cwd = readFileSync(cwdFile, "utf8").trim();
        done();
      });
    });
  }

  /** Starts a long-running block in its own process group and waits until `url` answers. */
  async #start(script: string, url: string, where: string, line: number): Promise<void> {
    const child = spawn("bash", ["-c", this.substitute(script)], {
      cwd: this.#cwd,
      env: this.#o.env,
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    let output = "";
    const keep = (chunk: Buffer) => {
      output = tail(output + String(chunk));
    };
    child.stdout?.on("data", keep);
    child.stderr?.on("data", keep);
    this.#background.push({ line, child, output: () => output });
    const deadline = Date.now() + this.#o.startTimeoutMs;
    for (;;) {
      if (child.exitCode !== null || child.signalCode !== null) {
        throw new Error(`${where}: exited (${child.exitCode ?? child.signalCode}):\n${output}`);
      }
      try {
        await fetch(url, { signal: AbortSignal.timeout(2_000) });
        return;
      } catch {
        if (Date.now() > deadline) {
          throw new Error(`${where}: nothing answered at ${url} within the time:\n${output}`);
        }
        await new Promise((r) => setTimeout(r, 200));
      }
    }
  }

  /** The last lines of every background block, for a failure message. */
  backgroundReport(): string {
    return this.#background
      .map(({ line, output }) => {
        const last = output().trimEnd().split("\n").slice(-30).join("\n  ");
        return `\n--- ${this.#o.guideName}:${line} (running) said:\n  ${last}`;
      })
      .join("");
  }

  /** Stops every background block (SIGTERM to its process group, SIGKILL after 5 s). */
  async stopAll(): Promise<void> {
    await Promise.all(
      this.#background.map(
        ({ child }) =>
          new Promise<void>((done) => {
            if (child.exitCode !== null || child.signalCode !== null || !child.pid) return done();
            const pid = child.pid;
            const kill = setTimeout(() => {
              try {
                process.kill(-pid, "SIGKILL");
              } catch {
                // already gone
              }
            }, 5_000);
            child.once("exit", () => {
              clearTimeout(kill);
              done();
            });
            try {
              process.kill(-pid, "SIGTERM");
            } catch {
              clearTimeout(kill);
              done();
            }
          }),
      ),
    );
  }
}
