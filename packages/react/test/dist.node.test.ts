import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const dist = new URL("../dist/", import.meta.url);
const read = (file: string): string => {
  try {
    return readFileSync(new URL(file, dist), "utf8");
  } catch {
    throw new Error(`dist/${file} is missing: run \`pnpm --filter @unpod/react build\` first`);
  }
};

// Plain Node, in a child process: no test runner, no custom export conditions, no DOM — what
// a server framework does when it imports the package.
const SERVER = `
import { createRequire } from "node:module";
import { createElement as h } from "react";
import { renderToString } from "react-dom/server";
const esm = await import("./dist/index.js");
const cjs = createRequire(import.meta.url)("./dist/index.cjs");
for (const mod of [esm, cjs]) {
  const Status = () => h("p", null, "state:" + mod.useConnectionState());
  const app = h(mod.UnpodProvider, { serverUrl: "wss://rtc.example.com", token: "x" }, h(Status));
  console.log(typeof window, renderToString(h("div", null, app)));
}
`;

describe("the built package", () => {
  it.each(["index.js", "index.cjs"])("%s starts with the 'use client' directive", (file) => {
    expect(read(file).split("\n", 1)[0]).toBe('"use client";');
  });

  it("imports (ESM and CJS) and renders in plain Node with no DOM", () => {
    read("index.js");
    const { NODE_OPTIONS: _, ...env } = process.env;
    const out = execFileSync(process.execPath, ["--input-type=module", "-e", SERVER], {
      cwd: fileURLToPath(new URL("..", import.meta.url)),
      env,
      encoding: "utf8",
    });
    expect(out.trim().split("\n")).toEqual([
      "undefined <div><p>state:idle</p></div>",
      "undefined <div><p>state:idle</p></div>",
    ]);
  });
});
