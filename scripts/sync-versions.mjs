// After `changeset version` bumps package.json files, write each package's version into the
// constant its code reports (X-Unpod-SDK header, `unpod --version`, `VERSION` exports).
// Run by `pnpm version-packages`; the packages' tests fail if a constant and package.json differ.
import { readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";

const root = resolve(import.meta.dirname, "..");
const FILES = {
  core: "src/version.ts",
  node: "src/internal/version.ts",
  browser: "src/version.ts",
};

let changed = 0;
for (const [pkg, file] of Object.entries(FILES)) {
  const { version } = JSON.parse(
    readFileSync(resolve(root, "packages", pkg, "package.json"), "utf8"),
  );
  const path = resolve(root, "packages", pkg, file);
  const before = readFileSync(path, "utf8");
  const after = before.replace(/(export const \w+ = )"[^"]*";/, `$1${JSON.stringify(version)};`);
  if (after === before) continue;
  writeFileSync(path, after);
  changed++;
  console.log(`packages/${pkg}/${file}: ${version}`);
}
console.log(
  changed ? `${changed} version constant(s) updated` : "version constants already in step",
);
