/**
 * The kind of participant a token is for: LiveKit's `ParticipantInfo.Kind`, lower case, as
 * its `kind` claim spells it. A token without one is for a `standard` participant.
 */
export type ParticipantKind =
  | "standard"
  | "ingress"
  | "egress"
  | "sip"
  | "agent"
  | "connector"
  | "bridge";

/** An agent dispatched into the room when it is created (LiveKit's `RoomAgentDispatch`). */
export interface RoomAgentDispatch {
  /** The agent to dispatch, by the name it registered under. */
  agentName?: string | undefined;
  /** Opaque metadata handed to the agent's job. */
  metadata?: string | undefined;
  /** Which deployment of the agent to use. */
  deployment?: string | undefined;
  /** String → string attributes of the dispatch. */
  attributes?: Record<string, string> | undefined;
}

/**
 * How the room is created when this token's participant is the first to join (LiveKit's
 * `RoomConfiguration`, in the JSON form its `roomConfig` claim carries: camelCase fields,
 * times as whole numbers).
 *
 * @example
 * ```ts
 * import { AccessToken } from "@unpod/node";
 * const jwt = await new AccessToken({
 *   identity: "user-42",
 *   roomConfig: { emptyTimeout: 300, maxParticipants: 2, agents: [{ agentName: "support" }] },
 * })
 *   .addGrant({ roomJoin: true, room: "call-42" })
 *   .toJwt();
 * ```
 */
export interface RoomConfiguration {
  /** The room's name. */
  name?: string | undefined;
  /** Seconds the room stays open with nobody in it. */
  emptyTimeout?: number | undefined;
  /** Seconds the room stays open after the last participant left. */
  departureTimeout?: number | undefined;
  /** Most participants at once (0: no limit). */
  maxParticipants?: number | undefined;
  /** The room's metadata. */
  metadata?: string | undefined;
  /** Smallest playout delay, in milliseconds. */
  minPlayoutDelay?: number | undefined;
  /** Largest playout delay, in milliseconds. */
  maxPlayoutDelay?: number | undefined;
  /** Keep audio and video of one participant in sync. */
  syncStreams?: boolean | undefined;
  /** Agents dispatched into the room when it is created. */
  agents?: RoomAgentDispatch[] | undefined;
  /** String → string tags of the room. */
  tags?: Record<string, string> | undefined;
  /** LiveKit's `RoomEgress` (automatic recording), passed through as given. */
  egress?: Record<string, unknown> | undefined;
}
