import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";

// The CLI test spawns the built bin, which imports the built @unpod/core and @unpod/node.
// turbo builds all of that before `test`; a bare `vitest run` may not have, so build here
// when dist is missing or older than src (turbo's cache makes this cheap when up to date).
export default function setup(): void {
  const root = join(import.meta.dirname, "..");
  const cli = join(root, "dist", "cli.js");
  const newest = (dir: string): number =>
    Math.max(
      0,
      ...readdirSync(dir, { withFileTypes: true }).map((e) =>
        e.isDirectory() ? newest(join(dir, e.name)) : statSync(join(dir, e.name)).mtimeMs,
      ),
    );
  const deps = ["core", "node"].every((p) => existsSync(join(root, "..", p, "dist", "index.js")));
  if (deps && existsSync(cli) && statSync(cli).mtimeMs >= newest(join(root, "src"))) return;
  execFileSync(
    "pnpm",
    ["exec", "turbo", "run", "build", "--filter=@unpod/dev-server", "--output-logs=errors-only"],
    {
      cwd: root,
      stdio: "inherit",
    },
  );
}
