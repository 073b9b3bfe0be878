// Run-time validation of grants, for signing (options → claims) and for verifying
// (claims → typed claims). Both directions use the same field tables.

import {
  type AccessTokenClaims,
  type SipGrant,
  type TrackSource,
  UnpodTokenError,
  type VideoGrant,
} from "@unpod/core";
import { invalidArgument } from "@unpod/core/internal";

/** Boolean fields of the room grant, in the order they are written. */
const VIDEO_FLAGS = [
  "roomJoin",
  "roomCreate",
  "roomList",
  "roomRecord",
  "roomAdmin",
  "canPublish",
  "canSubscribe",
  "canPublishData",
  "canUpdateOwnMetadata",
  "hidden",
  "recorder",
  "agent",
] as const;
const SIP_FLAGS = ["admin", "call"] as const;
const SOURCES: ReadonlySet<string> = new Set<TrackSource>([
  "camera",
  "microphone",
  "screen_share",
  "screen_share_audio",
]);
const VIDEO_FIELDS: ReadonlySet<string> = new Set(["room", "canPublishSources", ...VIDEO_FLAGS]);

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * Validates a room grant given to `addGrant` and merges it into `current`, in a fixed
 * field order (so the JSON layout never depends on call order).
 */
export function mergeRoomGrant(current: VideoGrant | undefined, grant: unknown): VideoGrant {
  if (!isObject(grant)) throw invalidArgument("grant", "must be an object");
  for (const key of Object.keys(grant)) {
    if (!VIDEO_FIELDS.has(key)) {
      throw invalidArgument(`grant.${key}`, "is not a room grant field");
    }
  }
  const merged: Record<string, unknown> = { ...current };
  for (const [key, value] of Object.entries(grant)) {
    if (value === undefined) continue;
    if (key === "room") {
      if (typeof value !== "string" || value === "") {
        throw invalidArgument("grant.room", "must be a non-empty string");
      }
    } else if (key === "canPublishSources") {
      if (!Array.isArray(value) || value.some((s) => !SOURCES.has(s))) {
        throw invalidArgument(
          "grant.canPublishSources",
          `must be an array of ${[...SOURCES].join(", ")}`,
        );
      }
    } else if (typeof value !== "boolean") {
      throw invalidArgument(`grant.${key}`, "must be a boolean");
    }
    merged[key] = key === "canPublishSources" ? [...new Set(value as string[])] : value;
  }
  const ordered: Record<string, unknown> = {};
  if (merged.room !== undefined) ordered.room = merged.room;
  for (const key of VIDEO_FLAGS) if (merged[key] !== undefined) ordered[key] = merged[key];
  if (merged.canPublishSources !== undefined) ordered.canPublishSources = merged.canPublishSources;
  return ordered as VideoGrant;
}

/** Validates a SIP grant given to `addSIPGrant` and merges it into `current`. */
export function mergeSipGrant(current: SipGrant | undefined, grant: unknown): SipGrant {
  if (!isObject(grant)) throw invalidArgument("grant", "must be an object");
  const merged: Record<string, unknown> = { ...current };
  for (const [key, value] of Object.entries(grant)) {
    if (!(SIP_FLAGS as readonly string[]).includes(key)) {
      throw invalidArgument(`grant.${key}`, "is not a SIP grant field");
    }
    if (value === undefined) continue;
    if (typeof value !== "boolean") {
      throw invalidArgument(`grant.${key}`, "must be a boolean");
    }
    merged[key] = value;
  }
  const ordered: Record<string, unknown> = {};
  for (const key of SIP_FLAGS) if (merged[key] !== undefined) ordered[key] = merged[key];
  return ordered as SipGrant;
}

function claimError(reason: string, claim: string, message: string): UnpodTokenError {
  return new UnpodTokenError("invalid_token", message, { reason, claim });
}

/**
 * Checks what core's `checkClaims` (types) leaves to a verifier: a room-join grant must
 * name a room and an identity.
 *
 * @throws {@link UnpodTokenError} `invalid_token`, reason `missing_claim`.
 */
export function checkGrantClaims(claims: AccessTokenClaims): void {
  const video = claims.video;
  if (video?.roomJoin !== true) return;
  if (!video.room) {
    throw claimError("missing_claim", "video.room", "A room-join grant must name the room.");
  }
  if (!claims.sub) {
    throw claimError("missing_claim", "sub", 'A room-join grant requires "sub" (identity).');
  }
}
