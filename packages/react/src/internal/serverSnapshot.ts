import type { SessionSnapshot } from "@unpod/browser";

/**
 * What every hook reads while rendering on the server and while hydrating: an idle,
 * empty session. A constant, so the markup the server sent and the client's first render
 * agree even when an app hands the provider a session that is already connected.
 */
export const SERVER_SNAPSHOT: SessionSnapshot = Object.freeze({
  state: "idle",
  sessionId: undefined,
  room: undefined,
  participant: undefined,
  transcript: Object.freeze([]),
  error: undefined,
  tokenExpiresAt: undefined,
  reconnectAttempt: 0,
});
