"use client";
import type { SessionSnapshot } from "@unpod/browser";
import { useEffect, useMemo, useRef, useSyncExternalStore } from "react";
import { useHandle } from "./context.js";
import { SERVER_SNAPSHOT } from "./internal/serverSnapshot.js";

/**
 * Reads a slice of the session's state and re-renders the component only when that slice
 * changes.
 *
 * The selector runs once per new snapshot (the session's snapshot is immutable and keeps
 * its identity until something changes). When it returns a value `isEqual` to the one
 * last rendered, the component keeps the old value and does not re-render — so a selector
 * may build a new object or array each time if it passes an `isEqual` that compares them.
 * On the server and while hydrating it reads an idle, empty session.
 *
 * @param selector - Picks what the component needs from a `SessionSnapshot`. It may be an
 *   inline function; a new one each render costs one extra call, never a loop.
 * @param isEqual - Decides whether a newly selected value is the same as the last one.
 * @returns The selected value.
 * @defaultValue `isEqual`: `Object.is`
 * @throws {@link @unpod/core!UnpodArgumentError} outside an `<UnpodProvider>`.
 * @example
 * ```tsx
 * function Room() {
 *   const room = useSessionSelector((s) => s.room);
 *   return <h1>{room ?? "…"}</h1>;
 * }
 * ```
 */
export function useSessionSelector<T>(
  selector: (snapshot: SessionSnapshot) => T,
  isEqual: (a: T, b: T) => boolean = Object.is,
): T {
  return useSelect("useSessionSelector", selector, isEqual);
}

/** @internal {@link useSessionSelector}, naming the public hook in its error. */
export function useSelect<T>(
  hook: string,
  selector: (snapshot: SessionSnapshot) => T,
  isEqual: (a: T, b: T) => boolean = Object.is,
): T {
  const handle = useHandle(hook);
  // The value this component last committed; a new selection equal to it keeps its identity.
  const committed = useRef<{ value: T }>(undefined);
  const [getSelection, getServerSelection] = useMemo(() => {
    let last: { snapshot: SessionSnapshot; value: T } | undefined;
    const select = (snapshot: SessionSnapshot): T => {
      if (last?.snapshot === snapshot) return last.value;
      const next = selector(snapshot);
      const prev = committed.current;
      const value = prev !== undefined && isEqual(prev.value, next) ? prev.value : next;
      last = { snapshot, value };
      return value;
    };
    return [() => select(handle.session.getSnapshot()), () => select(SERVER_SNAPSHOT)];
  }, [handle, selector, isEqual]);
  const value = useSyncExternalStore(handle.subscribe, getSelection, getServerSelection);
  useEffect(() => {
    committed.current = { value };
  }, [value]);
  return value;
}
