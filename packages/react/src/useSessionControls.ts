"use client";
import { useHandle } from "./context.js";

/** The session's actions, as returned by {@link useSessionControls}. */
export interface SessionControls {
  /**
   * Connects the session. While a connect is already in flight, returns that one's promise
   * instead of opening a second connection.
   *
   * @param options - `signal` aborts the attempt.
   * @returns Resolves once connected; rejects with the session's error.
   */
  readonly connect: (options?: { signal?: AbortSignal }) => Promise<void>;
  /**
   * Leaves the session and closes its connection.
   *
   * @returns Resolves once disconnected.
   */
  readonly disconnect: () => Promise<void>;
  /**
   * Sends the user's text to the agent.
   *
   * @param text - What the user said.
   * @throws Whatever `UnpodSession.sendText` throws (e.g. when not connected).
   */
  readonly sendText: (text: string) => void;
}

/**
 * Stable controls for the provider's session: `connect`, `disconnect` and `sendText`.
 * The object (and each function in it) keeps its identity for as long as the provider
 * keeps the same session, so it is safe in dependency lists and `memo` props. Using it
 * never re-renders the component.
 *
 * @returns The controls.
 * @throws {@link @unpod/core!UnpodArgumentError} outside an `<UnpodProvider>`.
 * @example
 * ```tsx
 * function Composer() {
 *   const { sendText } = useSessionControls();
 *   const [text, setText] = useState("");
 *   return (
 *     <form onSubmit={(e) => { e.preventDefault(); sendText(text); setText(""); }}>
 *       <input value={text} onChange={(e) => setText(e.target.value)} />
 *     </form>
 *   );
 * }
 * ```
 */
export function useSessionControls(): SessionControls {
  return useHandle("useSessionControls").controls;
}
