"use client";
import type { ConnectionState, SessionSnapshot } from "@unpod/browser";
import { type SessionHookOptions, useSelect } from "./useSessionSelector.js";

const selectState = (snapshot: SessionSnapshot): ConnectionState => snapshot.state;

/**
 * The session's connection state. The component re-renders when the state changes and at
 * no other time (not for new transcript entries, token refreshes, …).
 *
 * @param options - `session`: read that session instead of the provider's.
 * @returns `"idle"`, `"connecting"`, `"connected"`, `"reconnecting"`, `"disconnecting"` or `"disconnected"`;
 *   `"idle"` on the server.
 * @throws {@link @unpod/core!UnpodArgumentError} outside an `<UnpodProvider>` (unless a
 *   `session` is given).
 * @example
 * ```tsx
 * function Status() {
 *   const state = useConnectionState();
 *   return <p>{state === "connected" ? "Live" : state}</p>;
 * }
 * ```
 */
export function useConnectionState(options?: SessionHookOptions): ConnectionState {
  return useSelect("useConnectionState", selectState, Object.is, options?.session);
}
