"use client";
import type { SessionSnapshot, UnpodSession } from "@unpod/browser";
import { useContext, useEffect, useMemo, useRef, useSyncExternalStore } from "react";
import { outsideProvider, UnpodContext } from "./context.js";
import { SERVER_SNAPSHOT } from "./internal/serverSnapshot.js";

/** Options of the hooks that read a session's state. */
export interface SessionHookOptions {
  /**
   * Read this session instead of the provider's (the hook then works without a provider).
   * @defaultValue the nearest `<UnpodProvider>`'s session
   */
  session?: UnpodSession | undefined;
}

/** Options of {@link useSessionSelector}. */
export interface SessionSelectorOptions<T> extends SessionHookOptions {
  /** Decides whether a newly selected value is the same as the last one. @defaultValue `Object.is` */
  isEqual?: (a: T, b: T) => boolean;
}

/** What a state hook reads: a session and how to subscribe to it. */
interface Source {
  readonly session: UnpodSession;
  readonly subscribe: (listener: () => void) => () => void;
}

/**
 * @internal The session a hook reads: the explicit one, or the provider's handle
 * (which creates an owned session only when first used on the client).
 */
export function useSource(hook: string, session: UnpodSession | undefined): Source {
  const fromContext = useContext(UnpodContext);
  const explicit = useMemo(
    () => (session ? { session, subscribe: session.subscribe } : undefined),
    [session],
  );
  // An explicit session needs no provider; without one, the provider's handle.
  if (explicit) return explicit;
  if (!fromContext) throw outsideProvider(hook);
  return fromContext;
}

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
 * @param options - `isEqual` (decides whether a newly selected value is the same as the last
 *   one; default `Object.is`; may be passed directly as the second argument) and `session`
 *   (read that session instead of the provider's).
 * @returns The selected value.
 * @throws {@link @unpod/core!UnpodArgumentError} outside an `<UnpodProvider>` (unless a
 *   `session` is given).
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
  options?: ((a: T, b: T) => boolean) | SessionSelectorOptions<T>,
): T {
  const { isEqual = Object.is, session } =
    typeof options === "function" ? { isEqual: options, session: undefined } : (options ?? {});
  return useSelect("useSessionSelector", selector, isEqual, session);
}

/** @internal {@link useSessionSelector}, naming the public hook in its error. */
export function useSelect<T>(
  hook: string,
  selector: (snapshot: SessionSnapshot) => T,
  isEqual: (a: T, b: T) => boolean = Object.is,
  session?: UnpodSession,
): T {
  const handle = useSource(hook, session);
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
