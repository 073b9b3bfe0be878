import type { UnsequencedFrame } from "./session.js";

/**
 * The built-in agent's answer to a typed turn (the `user_turn` is sent before it): a final
 * `agent_reply` under the same turn id, `tN` for the client frame with `seq` N
 * (deterministic per client frame, so a resent frame could never create a second turn).
 * It answers every session whose pipe has no agent serving it.
 *
 * @param turnId - The user's turn.
 * @param text - What the user typed.
 * @returns The final `agent_reply`.
 */
export function echoReply(turnId: string, text: string): UnsequencedFrame {
  return { type: "agent_reply", turn_id: turnId, text: `Echo: ${text}`, final: true };
}
