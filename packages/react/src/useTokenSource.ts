"use client";
import type { TokenSource } from "@unpod/browser";
import { invalidArgument } from "@unpod/core/internal";
import { useInsertionEffect, useMemo, useRef } from "react";

type TokenFetcher = Exclude<TokenSource, string>;

/** @internal {@link useTokenSource} without the argument check (the provider's own use). */
export function useStableTokenSource<T extends TokenSource | undefined>(source: T): T {
  const latest = useRef(source);
  // Before any effect of any component, so a child that connects in its own effect already
  // calls the newest function.
  useInsertionEffect(() => {
    latest.current = source;
  });
  const key = typeof source === "function" ? latest : source;
  return useMemo(
    () =>
      (key === latest
        ? (options: { signal: AbortSignal }) => (latest.current as TokenFetcher)(options)
        : key) as T,
    [key],
  );
}

/**
 * A token source whose identity never changes, for fetching access tokens from the app's
 * backend.
 *
 * A URL is returned as is (strings compare by value). A function is wrapped in a stable
 * one that always calls the newest function passed — so an inline arrow that closes over
 * props or state neither re-creates a session nor reconnects, and still fetches with the
 * current values.
 *
 * @param source - The URL of the app's token endpoint (`GET` → `{ "token": "…" }` or the
 *   token as text), or a function that fetches one and honours its `signal`.
 * @returns A stable `TokenSource`.
 * @throws {@link @unpod/core!UnpodArgumentError} (`option: "tokenSource"`) unless `source` is a
 *   non-empty string or a function.
 * @example
 * ```tsx
 * function App({ room }: { room: string }) {
 *   const tokenSource = useTokenSource(async ({ signal }) => {
 *     const res = await fetch(`/api/unpod-token?room=${room}`, { signal });
 *     return (await res.json()).token;
 *   });
 *   return (
 *     <UnpodProvider serverUrl="wss://rtc.example.com" tokenSource={tokenSource}>
 *       <Conversation />
 *     </UnpodProvider>
 *   );
 * }
 * ```
 */
export function useTokenSource(source: TokenSource): TokenSource {
  if (typeof source !== "function" && (typeof source !== "string" || source === "")) {
    throw invalidArgument("tokenSource", "must be a token endpoint URL or a function");
  }
  return useStableTokenSource(source);
}
