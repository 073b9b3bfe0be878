"use client";
import type { SessionSnapshot, TranscriptEntry } from "@unpod/browser";
import { type SessionHookOptions, useSelect } from "./useSessionSelector.js";

const selectTranscript = (snapshot: SessionSnapshot): readonly TranscriptEntry[] =>
  snapshot.transcript;

// Entries are immutable: the same entries in the same order mean the same transcript, even
// if a snapshot rebuilt the array around them.
const sameEntries = (a: readonly TranscriptEntry[], b: readonly TranscriptEntry[]): boolean =>
  a.length === b.length && a.every((entry, i) => entry === b[i]);

/**
 * The conversation so far: agent replies and user turns, in order, each entry's `id`
 * stable (`"agent:t3"`) so it can be a React `key`. A partial (non-final) entry is
 * replaced by its update in place. The component re-renders only when the transcript
 * changes — not on connection-state changes or token refreshes.
 *
 * @param options - `session`: read that session instead of the provider's.
 * @returns The transcript; the same array until it changes; empty on the server.
 * @throws {@link @unpod/core!UnpodArgumentError} outside an `<UnpodProvider>` (unless a
 *   `session` is given).
 * @example
 * ```tsx
 * function Transcript() {
 *   const transcript = useTranscript();
 *   return (
 *     <ul>
 *       {transcript.map((entry) => (
 *         <li key={entry.id}>{entry.role}: {entry.text}</li>
 *       ))}
 *     </ul>
 *   );
 * }
 * ```
 */
export function useTranscript(options?: SessionHookOptions): readonly TranscriptEntry[] {
  return useSelect("useTranscript", selectTranscript, sameEntries, options?.session);
}
