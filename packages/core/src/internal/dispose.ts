// The one place the SDK polyfills `Symbol.asyncDispose`, for runtimes that lack it (older
// browsers; Node before 20.4 had none either). `await using` compiled by TypeScript looks
// the symbol up when the block runs, and an object's `[Symbol.asyncDispose]` method is keyed
// when the object is made: call this before making one.

/**
 * Defines `Symbol.asyncDispose` where the runtime has none; leaves a native (or another
 * polyfill's) symbol alone. The symbol defined is `Symbol.for("Symbol.asyncDispose")`, so
 * every copy of the SDK that polyfills it agrees on one.
 *
 * @param symbols - The `Symbol` constructor to complete (another realm's, in tests).
 * @returns `Symbol.asyncDispose`, as it now is.
 */
export function polyfillAsyncDispose(symbols: SymbolConstructor = Symbol): symbol {
  const existing: unknown = (symbols as { asyncDispose?: unknown }).asyncDispose;
  if (typeof existing === "symbol") return existing;
  const symbol = Symbol.for("Symbol.asyncDispose");
  Object.defineProperty(symbols, "asyncDispose", { value: symbol });
  return symbol;
}
