// What tests and the admin routes see of the real-time endpoint (`server.rtc`,
// `/_dev/rtc/*`, `/_dev/voice/*`): counters, the live sessions, dropped sockets, frames pushed
// as if the agent had spoken, and the voice agent's recording, `say` and `interrupt`. It
// reads the hub through RtcControlPort and never opens, resumes or ends a session: that
// lifecycle is hub.ts.
import { invalidArgument } from "@unpod/core/internal";
import type { ResolvedAudio } from "../resolveOptions.js";
import type { Connection, Session, UnsequencedFrame } from "./session.js";
import type { RtcVoiceInfo, VoiceAgent } from "./voice/voiceAgent.js";
import { type RtcUplinkAudio, type SayRequest, validateSay } from "./voice/voiceControl.js";

/** Counters of the real-time endpoint, from `server.rtc.stats()`. */
export interface RtcStats {
  /** Upgrades accepted since start. */
  upgrades: number;
  /** Requests to `/v1/rtc/validate` since start. */
  validates: number;
  /** Sockets open now. */
  activeSockets: number;
  /** Live sessions now (connected or inside their resume window). */
  sessions: number;
  /** Upgrades refused since start (any status). */
  refused: number;
}

/** One session, as `server.rtc.sessions()` lists it. */
export interface RtcSessionInfo {
  /** Session id (`joined.session_id`). */
  sessionId: string;
  /** Participant identity (the token's `sub`). */
  identity: string;
  /** Room from the token's grant. */
  room: string;
  /** Whether a socket is attached now. */
  connected: boolean;
  /** Highest server `seq` sent so far. */
  lastSeq: number;
  /** The voice agent's state, once a connection of the session negotiated audio. */
  voice?: RtcVoiceInfo;
}

/** A frame `server.rtc.push()` sends as if the agent had spoken. */
export interface PushFrame {
  /** `agent_reply` or `user_turn`. */
  type: "agent_reply" | "user_turn";
  /** Turn id; a later frame with the same id replaces the text. */
  turn_id: string;
  /** The text. */
  text: string;
  /** Whether the turn is complete. */
  final: boolean;
}

/** What {@link RtcControl} reads and does through the hub. */
export interface RtcControlPort {
  /** Sessions that are live: connected, or inside their resume window. */
  liveSessions(): Session[];
  /** The live session with this id, or `undefined`. */
  liveSession(sessionId: string): Session | undefined;
  /** Sockets open now. */
  connections(): ReadonlySet<Connection>;
  /** The hub's counters since start (or the last reset). */
  counters(): { upgrades: number; validates: number; refused: number };
  /** Sends a frame on a session, sequenced and kept for replay. */
  send(session: Session, frame: UnsequencedFrame): void;
  /** Audio formats, `undefined` when audio is off. */
  readonly audio: ResolvedAudio | undefined;
}

/** `server.rtc`, less `restart()` (which closes sockets, so it is the hub's). */
export class RtcControl {
  readonly #hub: RtcControlPort;
  #pushes = 0;
  #says = 0;

  constructor(hub: RtcControlPort) {
    this.#hub = hub;
  }

  /** `server.reset()`: push turn ids start again at 1. */
  reset(): void {
    this.#pushes = 0;
  }

  #voice(sessionId: string): VoiceAgent {
    const s = this.#live(sessionId);
    if (!s.voice) {
      throw invalidArgument(
        "sessionId",
        `session ${JSON.stringify(sessionId)} never connected with audio=pcm_s16le`,
      );
    }
    return s.voice;
  }

  /** See {@link DevServerRtc.audio}. */
  audio(sessionId: string): RtcUplinkAudio {
    const voice = this.#voice(sessionId);
    const { uplink } = voice.info();
    return {
      wav: voice.uplinkWav(),
      sampleRate: this.#hub.audio?.formats.input.sample_rate ?? 0,
      ...uplink,
    };
  }

  /** See {@link DevServerRtc.say}. */
  say(sessionId: string, request: SayRequest): string {
    const voice = this.#voice(sessionId);
    const output = this.#hub.audio?.formats.output.sample_rate ?? 0;
    const valid = validateSay(request, output);
    if (!voice.active) {
      throw invalidArgument(
        "sessionId",
        `session ${JSON.stringify(sessionId)} has no audio connection now`,
      );
    }
    if (!voice.canSpeak) {
      throw invalidArgument(
        "sessionId",
        "the agent's speech queue is full; interrupt it or wait for it to finish",
      );
    }
    this.#says += 1;
    const turnId = `say-${this.#says}`;
    voice.say(turnId, valid);
    return turnId;
  }

  /** See {@link DevServerRtc.interrupt}. */
  interrupt(sessionId: string): string | undefined {
    return this.#voice(sessionId).bargeIn();
  }

  stats(): RtcStats {
    return {
      ...this.#hub.counters(),
      activeSockets: this.#hub.connections().size,
      sessions: this.#hub.liveSessions().length,
    };
  }

  sessions(): RtcSessionInfo[] {
    return this.#hub.liveSessions().map((s) => ({
      sessionId: s.id,
      identity: s.identity,
      room: s.room,
      connected: s.connection !== undefined,
      lastSeq: s.lastSeq,
      ...(s.voice ? { voice: s.voice.info() } : {}),
    }));
  }

  #live(sessionId: string): Session {
    const s = typeof sessionId === "string" ? this.#hub.liveSession(sessionId) : undefined;
    if (!s) {
      throw invalidArgument("sessionId", `no live session ${JSON.stringify(String(sessionId))}`);
    }
    return s;
  }

  dropSession(sessionId: string): void {
    const s = this.#live(sessionId);
    s.connection?.ws.terminate();
  }

  dropAll(): void {
    for (const c of this.#hub.connections()) c.ws.terminate();
  }

  push(sessionId: string, frame: PushFrame): void {
    const s = this.#live(sessionId);
    if (typeof frame !== "object" || frame === null)
      throw invalidArgument("frame", "must be an object");
    if (frame.type !== "agent_reply" && frame.type !== "user_turn") {
      throw invalidArgument("frame.type", 'must be "agent_reply" or "user_turn"');
    }
    if (typeof frame.turn_id !== "string" || frame.turn_id === "") {
      throw invalidArgument("frame.turn_id", "must be a non-empty string");
    }
    if (typeof frame.text !== "string") throw invalidArgument("frame.text", "must be a string");
    if (typeof frame.final !== "boolean") throw invalidArgument("frame.final", "must be a boolean");
    this.#hub.send(s, {
      type: frame.type,
      turn_id: frame.turn_id,
      text: frame.text,
      final: frame.final,
    });
  }

  /** A turn id for admin pushes. */
  nextPushTurn(): string {
    this.#pushes += 1;
    return `push-${this.#pushes}`;
  }
}
