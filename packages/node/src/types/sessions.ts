/** What {@link Sessions.createToken} takes. */
export interface CreateSessionTokenParams {
  /** The pipe whose agent serves the session. */
  pipeId: string;
  /** Handed to the agent with the call (`call.metadata` in `@unpod/agent`). */
  metadata?: Record<string, unknown> | undefined;
}

/** A session token (`POST speech/v1/sessions/token`). */
export interface SessionToken {
  /**
   * The token, for one session: hand it to the browser (`new UnpodSession({ token })`).
   * Opaque: do not parse it.
   */
  token: string;
  /** When it expires, in seconds since epoch (it is short-lived: connect soon). */
  expires_at: number;
}
