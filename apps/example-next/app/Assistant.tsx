"use client";

import { useConnectionState, useSessionControls, useTranscript } from "@unpod/react";
import { UnpodProvider, useAudioLevel, useVoice } from "@unpod/react/voice";
import { useState } from "react";

/**
 * The conversation: `UnpodProvider` (the voice one, from `@unpod/react/voice`) fetches a
 * token from this app's own route handler and connects after mount (once, StrictMode
 * included) for text; voice waits for the Talk button (`autoStart: false`), because
 * browsers start a microphone only in a click.
 */
export function Assistant({ serverUrl }: { serverUrl: string }) {
  return (
    <UnpodProvider
      serverUrl={serverUrl}
      tokenSource="/api/unpod-token"
      voice={{ autoStart: false }}
    >
      <Status />
      <Talk />
      <Transcript />
      <Composer />
    </UnpodProvider>
  );
}

function Talk() {
  const { status, agentState, muted, setMuted, start, stop } = useVoice();
  const level = useAudioLevel("input");
  if (status !== "active") {
    return (
      <button type="button" data-testid="talk" onClick={() => start().catch(() => {})}>
        {status === "starting" ? "Starting…" : "Talk"}
      </button>
    );
  }
  return (
    <p>
      <meter min={0} max={1} value={level} data-testid="mic-level" /> Agent:{" "}
      <strong data-testid="agent-state">{agentState}</strong>{" "}
      <button type="button" onClick={() => setMuted(!muted)}>
        {muted ? "Unmute" : "Mute"}
      </button>{" "}
      <button type="button" onClick={() => void stop()}>
        Stop talking
      </button>
    </p>
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
