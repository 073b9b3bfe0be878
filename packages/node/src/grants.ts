import type { SipGrant, VideoGrant } from "@unpod/core";

/**
 * A room grant that lets the participant join `room`. The room is required, and
 * {@link AccessToken.addGrant} accepts it only on a token whose `identity` is a `string`
 * (checked again at run time).
 */
export interface RoomJoinGrant extends VideoGrant {
  /** May join `room`. */
  roomJoin: true;
  /** The room to join. */
  room: string;
}

/**
 * A room grant that does not join a room (room administration, listing, recording…). The
 * only kind of room grant a token without an `identity` can carry.
 */
export interface RoomGrantWithoutJoin extends VideoGrant {
  /** Absent or `false`: joining needs a {@link RoomJoinGrant} and an identity. */
  roomJoin?: false;
}

/**
 * The participant's capabilities and permissions in a room (the `video` claim). Grants
 * passed to {@link AccessToken.addGrant} merge, later fields winning.
 */
export type RoomGrant = RoomJoinGrant | RoomGrantWithoutJoin;

/**
 * The room grants a token accepts, given the type of its `identity`: any
 * {@link RoomGrant} when the identity is a `string`, otherwise only a
 * {@link RoomGrantWithoutJoin}.
 */
export type RoomGrantFor<Identity extends string | undefined> = [Identity] extends [string]
  ? RoomGrant
  : RoomGrantWithoutJoin;

export type { SipGrant };
