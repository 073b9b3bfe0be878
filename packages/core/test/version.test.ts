import { expect, it } from "vitest";
import pkg from "../package.json";
import { VERSION } from "../src/index.js";

it("VERSION equals package.json's version (changesets bumps package.json; keep them in step)", () => {
  expect(VERSION).toBe(pkg.version);
  expect(VERSION).toMatch(/^\d+\.\d+\.\d+(-[\w.]+)?$/);
});
