// The one Symbol.asyncDispose polyfill: a realm without the symbol gets the registered one;
// a realm with it (Node 20 has Node's own) keeps it.
import { runInNewContext } from "node:vm";
import { expect, it } from "vitest";
import { polyfillAsyncDispose } from "../src/internal/index.js";

it("defines Symbol.asyncDispose only where it is absent", () => {
  const foreign = runInNewContext("Symbol") as SymbolConstructor;
  expect((foreign as { asyncDispose?: symbol }).asyncDispose).toBeUndefined();
  const defined = polyfillAsyncDispose(foreign);
  expect(defined).toBe(Symbol.for("Symbol.asyncDispose"));
  expect((foreign as { asyncDispose?: symbol }).asyncDispose).toBe(defined);
  // A second call, and the native symbol, are left alone.
  expect(polyfillAsyncDispose(foreign)).toBe(defined);
  expect(polyfillAsyncDispose()).toBe(Symbol.asyncDispose);
});

it("the polyfilled symbol is what `await using` (as compiled for Node 20) calls", async () => {
  const foreign = runInNewContext("Symbol") as SymbolConstructor;
  const symbol = polyfillAsyncDispose(foreign);
  const log: string[] = [];
  const resource = { [symbol]: async () => void log.push("disposed") };
  // What TypeScript's helper does for `await using`: look the method up by the symbol.
  await (resource[symbol as keyof typeof resource] as () => Promise<void>)();
  expect(log).toEqual(["disposed"]);
});
