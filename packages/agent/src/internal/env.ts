interface MaybeProcess {
  env?: Record<string, string | undefined>;
}
interface MaybeDeno {
  env?: { get(name: string): string | undefined };
}

/**
 * Reads an environment variable on server runtimes (Node, Bun, Deno); empty values count
 * as unset. (The same rule as `@unpod/node`'s `UnpodClient`.)
 */
export function readEnv(name: string): string | undefined {
  const g = globalThis as { process?: MaybeProcess; Deno?: MaybeDeno };
  let value: string | undefined;
  try {
    value = g.process?.env?.[name] ?? g.Deno?.env?.get(name);
  } catch {
    // Deno without --allow-env throws: treat as unset.
    value = undefined;
  }
  return value === "" ? undefined : value;
}
