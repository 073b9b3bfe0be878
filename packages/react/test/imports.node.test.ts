// The module graph of src/ has no cycle, type-only imports included: a cycle through
// types still couples the files (and breaks declaration bundling order).
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { expect, test } from "vitest";

const SRC = fileURLToPath(new URL("../src", import.meta.url));
const IMPORT = /(?:import|export)\s[^;]*?from\s+["'](\.{1,2}\/[^"']+)["']/g;

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : /\.tsx?$/.test(e.name) ? [join(dir, e.name)] : [],
  );
}

function target(from: string, spec: string, known: Set<string>): string | undefined {
  const base = resolve(dirname(from), spec).replace(/\.js$/, "");
  return [`${base}.ts`, `${base}.tsx`].find((f) => known.has(f));
}

test("src/ has no import cycle (type imports included)", () => {
  const all = files(SRC);
  const known = new Set(all);
  const graph = new Map<string, string[]>();
  for (const file of all) {
    const text = readFileSync(file, "utf8");
    const deps = [...text.matchAll(IMPORT)]
      .map((m) => target(file, m[1] as string, known))
      .filter((f): f is string => f !== undefined);
    graph.set(file, deps);
  }
  const cycles: string[] = [];
  const state = new Map<string, "open" | "done">();
  const walk = (file: string, path: string[]): void => {
    if (state.get(file) === "done") return;
    if (state.get(file) === "open") {
      const loop = path.slice(path.indexOf(file)).concat(file);
      cycles.push(loop.map((f) => relative(SRC, f)).join(" → "));
      return;
    }
    state.set(file, "open");
    for (const dep of graph.get(file) ?? []) walk(dep, [...path, file]);
    state.set(file, "done");
  };
  for (const file of all) walk(file, []);
  expect(graph.size).toBeGreaterThan(5);
  expect(cycles).toEqual([]);
});
