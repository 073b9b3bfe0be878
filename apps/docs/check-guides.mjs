#!/usr/bin/env node
// Keeps the guides in docs/ (and the READMEs) from rotting:
//
// 1. Every ```ts / ```tsx block of every guide, of every packages/*/README.md and of the
//    root README.md is written to its own module under .check/
//    and type-checked with tsc against the real packages (their src/, through the
//    @unpod/source condition) under the repository's strict tsconfig. A block whose first
//    line is `// not compiled: <reason>` is skipped, and the reason is printed. A block whose
//    first line names a file (`// src/App.tsx`) is written as that file, beside the other
//    files of its guide, so relative imports between them resolve (docs/getting-started.md;
//    @unpod/guide-e2e also RUNS that guide, end to end, in a fresh project).
// 2. docs/errors.md has one `### \`code\`` section per code of @unpod/core's
//    UnpodErrorCode, and no other: checked by the same tsc run (a generated module).
// 3. Every TypeScript block of docs/testing.md also RUNS, under Vitest against real dev
//    servers (a block that is not a test file runs as one that passes when its top level
//    completes). `// compiled only: <reason>` as the first line keeps a block from running.
// 4. Every ```sh block of docs/cli.md runs, top to bottom in one shell, against the built
//    `unpod` CLI (a block whose first line is `# not run: <reason>` is skipped).
//
// Errors are reported as <path>.md:<line>:<column>. Exit code 1 on any failure.
import { spawnSync } from "node:child_process";
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { blocks, fileOf } from "./guide-blocks.mjs";

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, "../..");
const DOCS = join(ROOT, "docs");
const OUT = join(HERE, ".check");
const TS_LANGS = new Set(["ts", "tsx", "typescript"]);
const SKIP_TS = /^\/\/ not compiled: (.*\S.*)$/;
const SKIP_SH = /^# not run: (.*\S.*)$/;
const COMPILE_ONLY = /^\/\/ compiled only: (.*\S.*)$/;
const RUN_GUIDES = new Set(["docs/testing.md"]);

// The guides, then every package's README and the root README: their TypeScript blocks are
// type-checked the same way (paths are relative to the repository root).
const guides = [
  ...readdirSync(DOCS)
    .filter((f) => f.endsWith(".md"))
    .sort()
    .map((f) => `docs/${f}`),
  ...readdirSync(join(ROOT, "packages"))
    .sort()
    .map((p) => `packages/${p}/README.md`)
    .filter((f) => existsSync(join(ROOT, f))),
  "README.md",
];
rmSync(OUT, { recursive: true, force: true });
mkdirSync(OUT, { recursive: true });

/** Generated file → where its line 1 sits in which guide. */
const origin = new Map();
const skipped = [];
let compiled = 0;
const shellBlocks = [];
const runBlocks = [];
let failures = 0;

for (const guide of guides) {
  const path = join(ROOT, guide);
  let found;
  try {
    found = blocks(readFileSync(path, "utf8"));
  } catch (error) {
    console.error(`${guide}: ${error.message}`);
    failures++;
    continue;
  }
  for (const [n, block] of found.entries()) {
    const where = `${guide}:${block.line}`;
    if (TS_LANGS.has(block.lang)) {
      const skip = block.lines[0]?.match(SKIP_TS);
      if (skip) {
        skipped.push(`${where} (${skip[1]})`);
        continue;
      }
      if (/^\/\/ not compiled/.test(block.lines[0] ?? "")) {
        console.error(`${where}: "// not compiled:" needs a reason`);
        failures++;
        continue;
      }
      const slug = guide.replace(/\.md$/, "").replaceAll("/", "__");
      const flat = `${slug}.${String(n + 1).padStart(2, "0")}.${block.lang === "tsx" ? "tsx" : "ts"}`;
      // A block that names its file (`// src/App.tsx`) is written there, beside the guide's
      // other files, so that its relative imports resolve.
      const named = fileOf(block);
      const file = named === undefined ? flat : `${slug}/${named}`;
      mkdirSync(dirname(join(OUT, file)), { recursive: true });
      writeFileSync(join(OUT, file), `${block.lines.join("\n")}\n`);
      origin.set(file, { guide, line: block.line });
      compiled++;
      if (RUN_GUIDES.has(guide)) {
        const only = block.lines[0]?.match(COMPILE_ONLY);
        if (only) skipped.push(`${where} (not run: ${only[1]})`);
        else runBlocks.push({ file: flat, guide, line: block.line, lines: block.lines });
      }
    } else if (guide === "docs/cli.md" && (block.lang === "sh" || block.lang === "bash")) {
      const skip = block.lines[0]?.match(SKIP_SH);
      if (skip) skipped.push(`${where} (${skip[1]})`);
      else shellBlocks.push(block);
    }
  }
}

// The error reference must cover UnpodErrorCode exactly: a type-level check, so tsc names
// the missing (or unknown) codes.
const errorsGuide = readFileSync(join(DOCS, "errors.md"), "utf8");
const documented = [...errorsGuide.matchAll(/^### `([a-z_]+)`/gm)].map((m) => m[1]);
writeFileSync(
  join(OUT, "_error-codes.ts"),
  `import type { UnpodErrorCode } from "@unpod/core";
// The \`### \\\`code\\\`\` sections of docs/errors.md.
const documented = ${JSON.stringify(documented)} as const;
type Documented = (typeof documented)[number];
type Missing = Exclude<UnpodErrorCode, Documented>;
type Unknown = Exclude<Documented, UnpodErrorCode>;
export const everyCodeHasASection: [Missing] extends [never] ? true : { missingFromDocsErrorsMd: Missing } = true;
export const everySectionIsACode: [Unknown] extends [never] ? true : { notAnUnpodErrorCode: Unknown } = true;
export const noCodeTwice: ${documented.length === new Set(documented).size} = true;
`,
);
origin.set("_error-codes.ts", { guide: "docs/errors.md", line: 1, generated: true });

writeFileSync(
  join(OUT, "tsconfig.json"),
  JSON.stringify(
    {
      extends: relative(OUT, join(ROOT, "tsconfig.base.json")),
      compilerOptions: { types: ["node"], noEmit: true, incremental: false },
      include: ["**/*.ts", "**/*.tsx"],
      exclude: ["run"],
    },
    null,
    2,
  ),
);

const tsc = join(
  dirname(createRequire(import.meta.url).resolve("typescript/package.json")),
  "bin",
  "tsc",
);
const result = spawnSync(
  process.execPath,
  [tsc, "-p", join(OUT, "tsconfig.json"), "--pretty", "false"],
  {
    encoding: "utf8",
  },
);
const tscOutput = `${result.stdout}${result.stderr}`;
for (const line of tscOutput.split("\n")) {
  if (!line.trim()) continue;
  const m = line.match(/^(.*?)\((\d+),(\d+)\): (.*)$/);
  const from = m && origin.get(relative(OUT, resolve(m[1])).replaceAll("\\", "/"));
  if (from?.generated) console.error(`${from.guide}: ${m[4]}`);
  else if (from) console.error(`${from.guide}:${from.line + Number(m[2]) - 1}:${m[3]} - ${m[4]}`);
  else console.error(line);
}
if (result.status !== 0) failures++;

// The testing guide, run for real (after it type-checked).
if (result.status === 0 && runBlocks.length > 0) {
  const dir = join(OUT, "run");
  mkdirSync(dir);
  for (const b of runBlocks) {
    const isTest = b.lines.some((l) => /from "vitest"/.test(l));
    const tail = isTest
      ? ""
      : '\nimport { test as ranTopToBottom } from "vitest";\nranTopToBottom("the block runs top to bottom", () => {});\n';
    writeFileSync(
      join(dir, b.file.replace(/\.tsx?$/, ".test.ts")),
      `${b.lines.join("\n")}\n${tail}`,
    );
  }
  writeFileSync(
    join(OUT, "vitest.config.mjs"),
    `const conditions = ["@unpod/source"];
export default { resolve: { conditions }, ssr: { resolve: { conditions } },
  test: { include: ["run/*.test.ts"], environment: "node", testTimeout: 20000 } };
`,
  );
  const vitest = join(
    dirname(createRequire(import.meta.url).resolve("vitest/package.json")),
    "vitest.mjs",
  );
  const run = spawnSync(process.execPath, [vitest, "run", "--root", OUT, "--reporter", "dot"], {
    encoding: "utf8",
    env: { ...process.env, NODE_ENV: "test", FORCE_COLOR: "0" },
    // Generous: on a loaded 2-core CI machine importing the packages from source takes most
    // of a minute; a run that is killed says so below.
    timeout: 600_000,
  });
  const out = `${run.stdout}${run.stderr}`;
  if (run.signal) {
    console.error(`docs/testing.md: the run was stopped (${run.signal}) after 10 minutes:\n${out}`);
    failures++;
  } else if (run.status !== 0) {
    // Point at the guide: "run/docs__testing.03.test.ts:12" → "docs/testing.md:<line>".
    console.error(
      out.replace(/run\/([\w-]+)\.(\d+)\.test\.ts:(\d+)/g, (whole, name, n, line) => {
        const b = runBlocks.find((x) => x.file.startsWith(`${name}.${n}.`));
        return b ? `${b.guide}:${b.line + Number(line) - 1}` : whole;
      }),
    );
    failures++;
  } else {
    const tests = out
      .replace(new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, "g"), "")
      .match(/Tests\s+(\d+) passed/);
    console.log(
      `docs/testing.md: ${runBlocks.length} blocks ran (${tests ? tests[1] : "?"} tests passed)`,
    );
  }
}

// The CLI guide, run for real.
if (shellBlocks.length > 0) {
  const cli = join(ROOT, "packages/node/dist/cli.js");
  if (!existsSync(cli)) {
    console.error("docs/cli.md: packages/node/dist/cli.js is missing; run `pnpm build` first");
    failures++;
  } else {
    const bin = join(OUT, "bin");
    mkdirSync(bin);
    writeFileSync(join(bin, "unpod"), `#!/bin/sh\nexec "${process.execPath}" "${cli}" "$@"\n`);
    chmodSync(join(bin, "unpod"), 0o755);
    const script = shellBlocks.map((b) => `GUIDE_LINE=${b.line}\n${b.lines.join("\n")}`).join("\n");
    const run = spawnSync(
      "bash",
      [
        "-c",
        `set -euo pipefail\ntrap 'echo "docs/cli.md:$GUIDE_LINE: a command failed" >&2' ERR\n${script}`,
      ],
      {
        cwd: OUT,
        encoding: "utf8",
        env: {
          PATH: `${bin}:${process.env.PATH}`,
          HOME: OUT,
          LANG: "C.UTF-8",
        },
        timeout: 60_000,
      },
    );
    if (run.status !== 0) {
      console.error(`${run.stdout}${run.stderr}`.trim());
      failures++;
    }
  }
}

const summary = `${compiled} TypeScript blocks from ${guides.length} guides and READMEs type-checked, ${documented.length} error codes documented, ${shellBlocks.length} CLI blocks run`;
console.log(skipped.length ? `${summary}; skipped:\n  ${skipped.join("\n  ")}` : summary);
if (failures > 0) {
  console.error("guides: FAILED");
  process.exit(1);
}
console.log("guides: OK");
