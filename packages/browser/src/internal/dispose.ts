/**
 * `Symbol.asyncDispose`, so `await using session = …` works. Runtimes that lack the symbol
 * (browsers before explicit resource management) get a registered stand-in: the method is
 * there, and nothing in such a runtime calls it.
 */
export const asyncDispose: typeof Symbol.asyncDispose = (Symbol.asyncDispose ??
  Symbol.for("Symbol.asyncDispose")) as typeof Symbol.asyncDispose;
