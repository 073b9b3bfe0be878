"use client";
import type { ConnectionState, SessionSnapshot } from "@unpod/browser";
import { useSelect } from "./useSessionSelector.js";

const selectState = (snapshot: SessionSnapshot): ConnectionState => snapshot.state;

/**
 * The session's connection state. The component re-renders when the state changes and at
 * no other time (not for new transcript entries, token refreshes, …).
 *
 * @returns `"idle"`, `"connecting"`, `"connected"`, `"reconnecting"`, `"disconnecting"` or `"disconnected"`;
 *   `"idle"` on the server.
 * @throws {@link @unpod/core!UnpodArgumentError} outside an `<UnpodProvider>`.
 * @example
 * ```tsx
 * function Status() {
 *   const state = useConnectionState();
 *   return <p>{state === "connected" ? "Live" : state}</p>;
 * }
 * ```
 */
export function useConnectionState(): ConnectionState {
  return useSelect("useConnectionState", selectState);
}
