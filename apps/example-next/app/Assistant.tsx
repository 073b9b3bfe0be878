"use client";

import { UnpodProvider, useConnectionState, useSessionControls, useTranscript } from "@unpod/react";
import { useState } from "react";

/**
 * The conversation: `UnpodProvider` fetches a token from this app's own route handler and
 * connects after mount (once, StrictMode included); the children read the session through
 * hooks.
 */
export function Assistant({ serverUrl }: { serverUrl: string }) {
  return (
    <UnpodProvider serverUrl={serverUrl} tokenSource="/api/unpod-token">
      <Status />
      <Transcript />
      <Composer />
    </UnpodProvider>
  );
}

function Status() {
  return (
    <p>
      Connection: <strong data-testid="state">{useConnectionState()}</strong>
    </p>
  );
}

function Transcript() {
  return (
    <ul data-testid="transcript">
      {useTranscript().map((entry) => (
        <li key={entry.id} data-role={entry.role}>
          <b>{entry.role === "user" ? "You" : "Agent"}:</b> {entry.text}
        </li>
      ))}
    </ul>
  );
}

function Composer() {
  const { sendText } = useSessionControls();
  const connected = useConnectionState() === "connected";
  const [text, setText] = useState("");
  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        if (!text.trim()) return;
        sendText(text);
        setText("");
      }}
    >
      <input
        data-testid="message"
        aria-label="Message"
        placeholder="Say something"
        value={text}
        onChange={(event) => setText(event.target.value)}
      />
      <button type="submit" data-testid="send" disabled={!connected}>
        Send
      </button>
    </form>
  );
}
