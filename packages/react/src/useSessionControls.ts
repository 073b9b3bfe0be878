"use client";
import { useHandle } from "./context.js";
import type { SessionControls } from "./sessionControls.js";

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
