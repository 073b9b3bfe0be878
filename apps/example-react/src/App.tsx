import {
  useConnectionState,
  useSessionControls,
  useSessionEvent,
  useSessionSelector,
  useTranscript,
  useUnpodSession,
} from "@unpod/react";
import { UnpodProvider, useAudioLevel, useVoice } from "@unpod/react/voice";
import { type FormEvent, useEffect, useRef, useState } from "react";
import type { DemoConfig } from "./config.js";

const guest = () => `guest-${Math.random().toString(36).slice(2, 6)}`;

/**
 * The demo: pick a name and a room, connect (microphone and speaker start with the
 * connection: it is a click), talk to the agent by voice or text, and drop the socket to
 * watch the session resume.
 */
export function App({ config }: { config: DemoConfig }) {
  const [identity, setIdentity] = useState(guest);
  const [room, setRoom] = useState("demo");
  // The backend's token endpoint, as a URL: the session GETs it for every new connection
  // (`{ "token": "…" }`), and resumes with the fresh tokens the server pushes meanwhile.
  const tokenUrl = `${config.backendUrl}/api/token?identity=${encodeURIComponent(identity)}&room=${encodeURIComponent(room)}`;
  return (
    <UnpodProvider serverUrl={config.serverUrl} tokenSource={tokenUrl} connect={false} voice={{}}>
      <main className="layout">
        <header className="top">
          <h1>
            Unpod demo <span>· echo agent</span>
          </h1>
          <Join identity={identity} room={room} onIdentity={setIdentity} onRoom={setRoom} />
        </header>
        <section className="conversation">
          <Transcript />
          <Composer />
        </section>
        <aside className="side">
          <Status />
          <Voice backendUrl={config.devTools ? config.backendUrl : undefined} />
          <TokenLifetime />
          {config.devTools ? <DropButton backendUrl={config.backendUrl} /> : null}
          <EventLog />
        </aside>
      </main>
    </UnpodProvider>
  );
}

function Join(props: {
  identity: string;
  room: string;
  onIdentity: (value: string) => void;
  onRoom: (value: string) => void;
}) {
  const state = useConnectionState();
  const { connect, disconnect } = useSessionControls();
  const live = state === "connecting" || state === "connected" || state === "reconnecting";
  return (
    <form
      className="join"
      onSubmit={(event) => {
        event.preventDefault();
        // A failed connect is in the snapshot's `error` (shown by <Status/>).
        if (live) void disconnect();
        else connect().catch(() => {});
      }}
    >
      <label>
        Name
        <input
          data-testid="identity"
          value={props.identity}
          disabled={live}
          onChange={(e) => props.onIdentity(e.target.value)}
        />
      </label>
      <label>
        Room
        <input
          data-testid="room"
          value={props.room}
          disabled={live}
          onChange={(e) => props.onRoom(e.target.value)}
        />
      </label>
      <button type="submit" data-testid="connect" className={live ? "secondary" : "primary"}>
        {live ? "Disconnect" : "Connect"}
      </button>
    </form>
  );
}

function Status() {
  const state = useConnectionState();
  const sessionId = useSessionSelector((s) => s.sessionId);
  const room = useSessionSelector((s) => s.room);
  const attempt = useSessionSelector((s) => s.reconnectAttempt);
  const error = useSessionSelector((s) => s.error);
  return (
    <div className="card">
      <h2>Connection</h2>
      <p>
        <span className={`badge ${state}`} data-testid="state">
          {state}
        </span>
        {state === "reconnecting" && attempt > 0 ? ` attempt ${attempt}` : null}
      </p>
      <dl>
        <dt>Session</dt>
        <dd data-testid="session-id">{sessionId ?? "—"}</dd>
        <dt>Room</dt>
        <dd>{room ?? "—"}</dd>
      </dl>
      {error ? (
        <p className="error" data-testid="error">
          <code>{error.code}</code> {error.message}
        </p>
      ) : null}
    </div>
  );
}

/** A level meter: polls the level every animation frame and re-renders only itself. */
function Meter({ kind }: { kind: "input" | "output" }) {
  const level = useAudioLevel(kind);
  return (
    <div className="meter" data-testid={`${kind}-meter`} data-level={level}>
      <span
        className="meter-fill"
        style={{ width: `${Math.min(100, Math.round(Math.sqrt(level) * 100))}%` }}
      />
    </div>
  );
}

function Voice({ backendUrl }: { backendUrl: string | undefined }) {
  const state = useConnectionState();
  const sessionId = useSessionSelector((s) => s.sessionId);
  const voice = useVoice();
  const { status, agentState, userSpeaking, muted, volume, playbackBlocked, error } = voice;
  const live = state === "connected" || state === "reconnecting";
  return (
    <div className="card">
      <h2>Voice</h2>
      <p>
        <span className={`badge ${status}`} data-testid="voice-status">
          {status}
        </span>{" "}
        agent <strong data-testid="agent-state">{agentState}</strong>
        {userSpeaking ? <span data-testid="user-speaking"> · you are speaking</span> : null}
      </p>
      {playbackBlocked ? (
        <button
          type="button"
          className="primary"
          data-testid="enable-audio"
          onClick={() => voice.start()}
        >
          Enable audio
        </button>
      ) : null}
      <div className="controls">
        <button
          type="button"
          data-testid="mic"
          className={status === "active" ? "secondary" : "primary"}
          disabled={!live && status !== "idle"}
          onClick={() => (status === "active" ? voice.stop() : voice.start()).catch(() => {})}
        >
          {status === "active" ? "Stop microphone" : "Start microphone"}
        </button>
        <button type="button" data-testid="mute" onClick={() => voice.setMuted(!muted)}>
          {muted ? "Unmute" : "Mute"}
        </button>
        <button
          type="button"
          data-testid="interrupt"
          disabled={agentState !== "speaking"}
          onClick={voice.interrupt}
        >
          Interrupt
        </button>
      </div>
      <label className="volume">
        Volume
        <input
          type="range"
          data-testid="volume"
          min={0}
          max={1}
          step={0.05}
          value={volume}
          onChange={(e) => voice.setVolume(Number(e.target.value))}
        />
      </label>
      <div className="meters">
        <span>Mic</span>
        <Meter kind="input" />
        <span>Agent</span>
        <Meter kind="output" />
      </div>
      {error ? (
        <p className="error" data-testid="voice-error">
          <code>{error.code}</code> {error.message}
        </p>
      ) : null}
      {backendUrl && sessionId ? (
        <p className="hint">
          <a
            data-testid="uplink"
            href={`${backendUrl}/api/dev/uplink?sid=${encodeURIComponent(sessionId)}`}
            download="uplink.wav"
          >
            What the server heard (WAV)
          </a>
        </p>
      ) : null}
    </div>
  );
}

/** Re-renders every `ms` with the current time. */
function useNow(ms: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(id);
  }, [ms]);
  return now;
}

const clock = (seconds: number) =>
  `${Math.floor(seconds / 60)}:${String(Math.floor(seconds % 60)).padStart(2, "0")}`;

function TokenLifetime() {
  const expiresAt = useSessionSelector((s) => s.tokenExpiresAt);
  const [refreshes, setRefreshes] = useState(0);
  useSessionEvent("token_refreshed", () => setRefreshes((n) => n + 1));
  const now = useNow(1000);
  const left = expiresAt === undefined ? undefined : Math.max(0, expiresAt - now / 1000);
  return (
    <div className="card">
      <h2>Access token</h2>
      <p className="big" data-testid="token-remaining">
        {left === undefined ? "no token yet" : left > 0 ? `${clock(left)} left` : "expired"}
      </p>
      <p className="hint">
        {refreshes > 0
          ? `Refreshed by the server ${refreshes}× — a reconnect uses the newest token.`
          : "The server pushes a fresh token when a quarter of its life remains."}
      </p>
    </div>
  );
}

function DropButton({ backendUrl }: { backendUrl: string }) {
  const state = useConnectionState();
  const sessionId = useSessionSelector((s) => s.sessionId);
  const [note, setNote] = useState<string>();
  const drop = async () => {
    setNote("Dropping the socket…");
    // The backend holds the dev server's admin secret and forwards this; the page never sees it.
    const res = await fetch(
      `${backendUrl}/api/dev/drop?sid=${encodeURIComponent(sessionId ?? "")}`,
      {
        method: "POST",
      },
    ).catch(() => undefined);
    setNote(
      res?.ok
        ? "Socket dropped (1006). Watch the session resume with the same id."
        : `The drop failed (${res?.status ?? "no answer"}).`,
    );
  };
  return (
    <div className="card">
      <h2>Network</h2>
      <button
        type="button"
        data-testid="drop"
        className="warn"
        disabled={state !== "connected"}
        onClick={() => void drop()}
      >
        Simulate network drop
      </button>
      {note ? <p className="hint">{note}</p> : null}
    </div>
  );
}

function Transcript() {
  const transcript = useTranscript();
  const end = useRef<HTMLLIElement>(null);
  // Scroll to the newest line whenever the transcript changes. (Braces: newer browsers'
  // scrollIntoView returns a promise, which React would take for a cleanup function.)
  useEffect(() => {
    end.current?.scrollIntoView({ block: "end" });
  }, [transcript]);
  return (
    <ol className="transcript" data-testid="transcript">
      {transcript.length === 0 ? (
        <li className="empty">Connect, then say something: the echo agent answers.</li>
      ) : null}
      {transcript.map((entry) => (
        <li key={entry.id} className={`turn ${entry.role}`} data-role={entry.role}>
          <span className="who">{entry.role === "agent" ? "Agent" : "You"}</span>
          <span className="text">{entry.text}</span>
        </li>
      ))}
      <li ref={end} className="end" aria-hidden />
    </ol>
  );
}

function Composer() {
  const state = useConnectionState();
  const { sendText } = useSessionControls();
  const [text, setText] = useState("");
  const [problem, setProblem] = useState<string>();
  // Text typed while reconnecting is buffered and sent once the session resumes.
  const open = state === "connected" || state === "reconnecting" || state === "connecting";
  const submit = (event: FormEvent) => {
    event.preventDefault();
    try {
      sendText(text);
      setText("");
      setProblem(undefined);
    } catch (error) {
      setProblem(error instanceof Error ? error.message : String(error));
    }
  };
  return (
    <form className="composer" onSubmit={submit}>
      <input
        data-testid="message"
        placeholder={open ? "Type a message" : "Connect first"}
        value={text}
        disabled={!open}
        onChange={(e) => setText(e.target.value)}
      />
      <button type="submit" data-testid="send" className="primary" disabled={!open || !text}>
        Send
      </button>
      {problem ? <p className="error">{problem}</p> : null}
    </form>
  );
}

interface LogLine {
  readonly id: number;
  readonly at: string;
  readonly text: string;
  readonly kind: "info" | "good" | "bad";
}

/** What the session reported, newest last: state changes, resumes, refreshes, errors. */
function EventLog() {
  const session = useUnpodSession();
  const [lines, setLines] = useState<readonly LogLine[]>([]);
  // The session id at the previous state change: `connected` after `reconnecting` with the
  // same id is a resume.
  const lastSession = useRef<string | undefined>(undefined);
  const add = (text: string, kind: LogLine["kind"] = "info") =>
    setLines((old) => [
      ...old.slice(-49),
      { id: (old.at(-1)?.id ?? 0) + 1, at: new Date().toLocaleTimeString(), text, kind },
    ]);
  useSessionEvent("state", ({ state, previous }) => {
    const { sessionId } = session.getSnapshot();
    if (state === "connected" && previous === "reconnecting" && sessionId === lastSession.current) {
      add(`resumed session ${sessionId} (same id, nothing lost)`, "good");
    } else if (state === "connected") {
      add(`joined session ${sessionId}`, "good");
    } else {
      add(state, state === "reconnecting" ? "bad" : "info");
    }
    lastSession.current = sessionId;
  });
  useSessionEvent("token_refreshed", ({ expiresAt }) =>
    add(`token refreshed, now valid until ${new Date(expiresAt * 1000).toLocaleTimeString()}`),
  );
  useSessionEvent("error", ({ error, fatal }) =>
    add(`${fatal ? "fatal " : ""}error ${error.code}: ${error.message}`, "bad"),
  );
  return (
    <div className="card">
      <h2>Events</h2>
      <ol className="log" data-testid="event-log">
        {lines.map((line) => (
          <li key={line.id} className={line.kind}>
            <time>{line.at}</time> {line.text}
          </li>
        ))}
      </ol>
    </div>
  );
}
