import type { UnsequencedFrame } from "./session.js";

/**
 * The built-in agent: for a `user_text` with client `seq` N it sends the transcript of the
 * user's turn, then the agent's answer, both final, under turn id `tN` (deterministic per
 * client frame, so a resent frame could never create a second turn).
 *
 * @param seq - The client frame's `seq`.
 * @param text - What the user typed.
 * @returns The frames to send, in order.
 */
export function echoAgent(seq: number, text: string): UnsequencedFrame[] {
  const turnId = `t${seq}`;
  return [
    { type: "user_turn", turn_id: turnId, text, final: true },
    { type: "agent_reply", turn_id: turnId, text: `Echo: ${text}`, final: true },
  ];
}
