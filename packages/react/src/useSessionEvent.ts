"use client";
import type { SessionEvents } from "@unpod/browser";
import { useEffect, useRef } from "react";
import { type SessionHookOptions, useSource } from "./useSessionSelector.js";

/**
 * Calls `handler` for every `type` event of the session — always the handler of the latest
 * render, without subscribing again when it changes (an inline arrow is fine). Subscribes
 * after mount, on the client; never during server rendering.
 *
 * @param type - `state`, `agent_reply`, `user_turn`, `token_refreshed`, `error` or `disconnected`.
 * @param handler - Called with the event's payload.
 * @param options - `session`: listen to that session instead of the provider's.
 * @throws {@link @unpod/core!UnpodArgumentError} outside an `<UnpodProvider>` (unless a
 *   `session` is given).
 * @example
 * ```tsx
 * function Announcer() {
 *   const [last, setLast] = useState("");
 *   useSessionEvent("agent_reply", ({ text, final }) => {
 *     if (final) setLast(text);
 *   });
 *   return <p aria-live="polite">{last}</p>;
 * }
 * ```
 */
export function useSessionEvent<K extends keyof SessionEvents>(
  type: K,
  handler: (payload: SessionEvents[K]) => void,
  options?: SessionHookOptions,
): void {
  const source = useSource("useSessionEvent", options?.session);
  const latest = useRef(handler);
  useEffect(() => {
    latest.current = handler;
  });
  useEffect(() => source.session.on(type, (payload) => latest.current(payload)), [source, type]);
}
