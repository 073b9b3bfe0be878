/** The session's actions, as returned by {@link useSessionControls}. */
export interface SessionControls {
  /**
   * Connects the session. While a connect is already in flight, returns that one's promise
   * instead of opening a second connection.
   *
   * @param options - `signal` aborts the attempt.
   * @returns Resolves once connected; rejects with the session's error.
   */
  readonly connect: (options?: { signal?: AbortSignal }) => Promise<void>;
  /**
   * Leaves the session and closes its connection.
   *
   * @returns Resolves once disconnected.
   */
  readonly disconnect: () => Promise<void>;
  /**
   * Sends the user's text to the agent.
   *
   * @param text - What the user said.
   * @throws Whatever `UnpodSession.sendText` throws (e.g. when not connected).
   */
  readonly sendText: (text: string) => void;
}
