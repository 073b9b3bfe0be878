import type { AgentReplyFrame, UserTurnFrame } from "@unpod/core";
import type { TranscriptEntry } from "../types.js";

/** Most entries a transcript keeps; past it the oldest are dropped. */
export const MAX_TRANSCRIPT_ENTRIES = 1000;

/** A transcript: the entries, and where each entry id sits (so an update does not scan). */
export interface Transcript {
  readonly entries: readonly TranscriptEntry[];
  readonly positions: ReadonlyMap<string, number>;
}

/** The transcript of a new session. */
export const EMPTY_TRANSCRIPT: Transcript = Object.freeze({
  entries: Object.freeze([]),
  positions: new Map<string, number>(),
});

function indexed(entries: readonly TranscriptEntry[]): Transcript {
  return {
    entries: Object.freeze(entries),
    positions: new Map(entries.map((entry, i) => [entry.id, i])),
  };
}

/**
 * Applies one `agent_reply` or `user_turn` frame: a turn's later text replaces its entry
 * (same id, same place); a new turn is appended. Pure: returns a new transcript with a new
 * frozen `entries` array, leaving `transcript` as it was. Keeps at most
 * {@link MAX_TRANSCRIPT_ENTRIES} entries, dropping the oldest tenth when it overflows.
 */
export function applyTurn(
  transcript: Transcript,
  frame: AgentReplyFrame | UserTurnFrame,
): Transcript {
  const role = frame.type === "agent_reply" ? "agent" : "user";
  const id = `${role}:${frame.turn_id}`;
  const entry: TranscriptEntry = {
    id,
    role,
    turnId: frame.turn_id,
    text: frame.text,
    final: frame.final,
    seq: frame.seq,
  };
  const at = transcript.positions.get(id);
  if (at !== undefined) {
    const entries = [...transcript.entries];
    entries[at] = entry;
    return { entries: Object.freeze(entries), positions: transcript.positions };
  }
  if (transcript.entries.length >= MAX_TRANSCRIPT_ENTRIES) {
    const keep = transcript.entries.slice(Math.ceil(MAX_TRANSCRIPT_ENTRIES / 10));
    return indexed([...keep, entry]);
  }
  const positions = new Map(transcript.positions).set(id, transcript.entries.length);
  return { entries: Object.freeze([...transcript.entries, entry]), positions };
}
