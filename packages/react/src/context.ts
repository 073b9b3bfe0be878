"use client";
import type { UnpodSession } from "@unpod/browser";
import type { UnpodArgumentError } from "@unpod/core";
import { invalidArgument } from "@unpod/core/internal";
import { createContext, useContext } from "react";
import type { SessionHandle } from "./internal/sessionHandle.js";

/** @internal The provider's context: one {@link SessionHandle} per session. */
export const UnpodContext = createContext<SessionHandle | undefined>(undefined);

/** @internal The error of a hook used outside a provider, naming the hook. */
export function outsideProvider(hook: string): UnpodArgumentError {
  return invalidArgument(
    hook,
    "must be called inside <UnpodProvider> (or use useMaybeUnpodSession(), which returns undefined there)",
  );
}

/** @internal The handle, or a clear error naming the hook that needed it. */
export function useHandle(hook: string): SessionHandle {
  const handle = useContext(UnpodContext);
  if (handle === undefined) throw outsideProvider(hook);
  return handle;
}

/**
 * The session of the nearest {@link UnpodProvider}.
 *
 * Reading it does not subscribe the component to anything: use the state hooks
 * ({@link useConnectionState}, {@link useTranscript}, {@link useSessionSelector}) for what
 * should re-render.
 *
 * @returns The provider's `UnpodSession` (created on first use when the provider owns it).
 * @throws {@link @unpod/core!UnpodArgumentError} (`option: "useUnpodSession"`) outside an `<UnpodProvider>`.
 * @example
 * ```tsx
 * function Debug() {
 *   const session = useUnpodSession();
 *   useEffect(() => session.on("agent_reply", (frame) => console.log(frame.text)), [session]);
 *   return null;
 * }
 * ```
 */
export function useUnpodSession(): UnpodSession {
  return useHandle("useUnpodSession").session;
}

/**
 * Like {@link useUnpodSession}, but returns `undefined` outside an `<UnpodProvider>`
 * instead of throwing — for components that work with and without a session.
 *
 * @returns The provider's session, or `undefined` when there is no provider above.
 */
export function useMaybeUnpodSession(): UnpodSession | undefined {
  return useContext(UnpodContext)?.session;
}
